#!/usr/bin/env bash
# Installs what is needed, builds the two web apps and starts Fivestep on its embedded SQLite
# database (./data/fivestep.db) with the demo data. PORT and HOST may be set; DATABASE_URL too.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tooling/scripts/setup.sh
echo "==> Building the planner and the admin console"
pnpm exec turbo run build --output-logs=errors-only
exec node apps/server/bin/fivestep.mjs start --demo --port "${PORT:-3000}" --host "${HOST:-127.0.0.1}"
