#!/usr/bin/env bash
# Installs what Fivestep needs on a machine that has only Node.js 20 and npm: the pinned pnpm, into
# this checkout's .tools/ (env.sh; never npm's global folder), then the workspace's packages
# (better-sqlite3 compiles against the local Node headers).
set -euo pipefail
cd "$(dirname "$0")/../.."

export TURBO_TELEMETRY_DISABLED=1
# node-gyp must build against the installed headers instead of downloading them.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi

. tooling/scripts/env.sh

echo "==> Installing workspace packages"
pnpm install --frozen-lockfile --reporter=append-only 2>&1 | grep -vE "^\.\.\./.*(install|postinstall): " || true
# pnpm's exit code is lost in the pipe above; check the result instead.
[ -d node_modules/.pnpm ] && [ -e node_modules/.modules.yaml ] || { echo "pnpm install failed" >&2; exit 1; }
