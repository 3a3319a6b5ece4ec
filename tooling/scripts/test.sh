#!/usr/bin/env bash
# Installs what the tests need, then runs every check: typecheck, lint, unit and integration
# tests (the db and api suites twice: on SQLite, then on PostgreSQL), and browser tests against
# the real server (including two instances on one PostgreSQL database). Ends with one line
# "N passed, N failed" summing every suite, and exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/../.."
export TURBO_TELEMETRY_DISABLED=1 FORCE_COLOR=0

# How long each stage took, printed as it ends and again before the summary.
timings=$(mktemp)
t0=$SECONDS
lap() { # stage-name
  local took=$((SECONDS - t0))
  printf '%-34s %5d s\n' "$1" "$took" >>"$timings"
  echo "    ($1 took ${took} s)"
  t0=$SECONDS
}

bash tooling/scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }
bash tooling/scripts/ensure-chromium.sh || { echo "0 passed, 1 failed"; exit 1; }
# The repository's own pnpm first on PATH; CHROMIUM_PATH set to the browser found (locate.sh).
. tooling/scripts/env.sh || { echo "0 passed, 1 failed"; exit 1; }
lap "install"

checks=$(mktemp)
record() { # name exit-code
  if [ "$2" -eq 0 ]; then echo "pass $1" >>"$checks"; else echo "fail $1" >>"$checks"; fi
}

# Results from an earlier run must never be counted again.
find apps packages tooling e2e \( -name test-results.json -o -name test-results-postgres.json \) \
  -not -path '*/node_modules/*' -delete

echo "==> PostgreSQL (a private throwaway cluster on loopback)"
unset FIVESTEP_TEST_PG_URL FIVESTEP_TEST_DATABASE
if pg_env=$(bash tooling/scripts/ensure-postgres.sh start); then
  eval "$pg_env"
  trap 'bash tooling/scripts/ensure-postgres.sh stop "$FIVESTEP_PG_DIR"' EXIT
  record postgres 0
else
  # The PostgreSQL suites then fail (they never skip) and the summary says so.
  record postgres 1
fi
lap "PostgreSQL start"

echo "==> Typecheck"
pnpm exec turbo run typecheck --output-logs=errors-only; record typecheck $?
lap "typecheck"
echo "==> Lint and format"
pnpm exec biome check . --diagnostic-level=error; record lint $?
echo "==> Layering (dependencies point one way)"
bash tooling/scripts/check-layering.sh; record layering $?
lap "lint and layering"
echo "==> Unit and integration tests (SQLite)"
pnpm exec turbo run test --filter='!@fivestep/e2e' --continue --concurrency=2
lap "unit and integration (SQLite)"
echo "==> The db and api suites again on PostgreSQL"
# Side by side (the db suite is small). Each suite's output is kept and printed whole when it
# ends, so the two do not interleave. More workers than cores made CPU-heavy tests time out.
pg_suite() { # dir workers
  local log
  log=$(mktemp)
  (cd "$1" && FIVESTEP_TEST_DATABASE=postgres pnpm exec vitest run --maxWorkers="$2" \
    --reporter=default --reporter=json --outputFile=test-results-postgres.json) >"$log" 2>&1
  cat "$log"
  rm -f "$log"
}
pg_suite packages/db 1 &
pg_suite packages/api 2 &
wait
lap "db and api on PostgreSQL"
echo "==> Browser tests (real server, Debian Chromium) and scale-out (two servers, one PostgreSQL)"
pnpm exec turbo run test --filter=@fivestep/e2e --output-logs=new-only
lap "browser tests"

echo "==> Time per stage"
cat "$timings"

node tooling/scripts/summarise.mjs "$checks"
