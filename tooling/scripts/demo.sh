#!/usr/bin/env bash
# Installs what is needed, builds the two web apps and starts Fivestep on its embedded SQLite
# database (./data/fivestep.db) with the demo data. PORT and HOST may be set; DATABASE_URL too.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tooling/scripts/setup.sh
# The repository's own pnpm on PATH; CHROMIUM_PATH (PDF reports) when a browser is found.
. tooling/scripts/env.sh
echo "==> Building the planner and the admin console"
pnpm exec turbo run build --output-logs=errors-only
# A heap ceiling (FIVESTEP_HEAP_MB, default 512): without one V8 sizes the heap from the
# machine's memory and lets a busy server grow for a long time before collecting.
exec node --max-old-space-size="${FIVESTEP_HEAP_MB:-512}" apps/server/bin/fivestep.mjs start --demo --port "${PORT:-3000}" --host "${HOST:-127.0.0.1}"
