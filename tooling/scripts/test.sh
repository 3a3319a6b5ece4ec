#!/usr/bin/env bash
# Installs what the tests need, then runs every check: typecheck, lint, unit and integration
# tests, and browser tests against the real server. Ends with one line "N passed, N failed"
# summing every suite, and exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/../.."
export TURBO_TELEMETRY_DISABLED=1 FORCE_COLOR=0

bash tooling/scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }
bash tooling/scripts/ensure-chromium.sh || { echo "0 passed, 1 failed"; exit 1; }

checks=$(mktemp)
record() { # name exit-code
  if [ "$2" -eq 0 ]; then echo "pass $1" >>"$checks"; else echo "fail $1" >>"$checks"; fi
}

# Results from an earlier run must never be counted again.
find apps packages tooling e2e -name test-results.json -not -path '*/node_modules/*' -delete

echo "==> Typecheck"
pnpm exec turbo run typecheck --output-logs=errors-only; record typecheck $?
echo "==> Lint and format"
pnpm exec biome check . --diagnostic-level=error; record lint $?
echo "==> Layering (dependencies point one way)"
bash tooling/scripts/check-layering.sh; record layering $?
echo "==> Unit and integration tests"
pnpm exec turbo run test --filter='!@fivestep/e2e' --continue --concurrency=2
echo "==> Browser tests (real server, Debian Chromium)"
pnpm exec turbo run test --filter=@fivestep/e2e --output-logs=new-only

node tooling/scripts/summarise.mjs "$checks"
