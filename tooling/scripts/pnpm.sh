#!/usr/bin/env bash
# pnpm without a pnpm of one's own: runs the version pinned in package.json from .tools/ (installed
# there on first use; see env.sh), from the current folder, with CHROMIUM_PATH set when a browser
# is found. The root package.json scripts that need pnpm (or turbo, which runs tasks through pnpm)
# go through it.
#
#   bash tooling/scripts/pnpm.sh --filter @fivestep/server start
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
exec pnpm "$@"
