#!/usr/bin/env bash
# A private, throwaway PostgreSQL cluster for the tests and benchmarks.
#
#   eval "$(bash tooling/scripts/ensure-postgres.sh start)"   # prints export lines on stdout
#   bash tooling/scripts/ensure-postgres.sh stop "$FIVESTEP_PG_DIR"
#
# `start` uses the PostgreSQL server programs (initdb, pg_ctl) already on the machine: those in
# $FIVESTEP_PG_BINDIR, Debian's /usr/lib/postgresql/*/bin, on PATH, Homebrew's postgresql@N
# (/opt/homebrew/opt, /usr/local/opt), Postgres.app or /usr/pgsql-N/bin (see locate.sh). When
# there are none, on Debian (or a derivative) it installs Debian's postgresql package as root, or,
# not root, prints the apt-get command to run and fails; elsewhere it says what to install and
# fails. It initialises a cluster in a fresh temporary folder (as user postgres when run as root,
# since initdb refuses root), starts it on 127.0.0.1 at a free port with its socket in that
# folder, and prints FIVESTEP_TEST_PG_URL (postgres://postgres@127.0.0.1:<port>/postgres),
# FIVESTEP_PG_DIR and FIVESTEP_PG_BINDIR. Nothing else on the machine is touched: no system
# cluster, no service.
# The cluster trades durability for speed (fsync off) and sorts text bytewise (no locale), as
# SQLite does. `stop` shuts it down and deletes the folder.
set -euo pipefail
log() { echo "ensure-postgres: $*" >&2; }

. "$(dirname "${BASH_SOURCE[0]}")/locate.sh"
find_bindir() { fivestep_find_pg_bindir; }

as_owner() { # run a command as the cluster's owner
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  local bindir
  if ! bindir=$(find_bindir); then
    local why="no PostgreSQL server programs (initdb, pg_ctl) found; the tests start a throwaway cluster with them"
    if [ -n "${FIVESTEP_PG_BINDIR:-}" ]; then
      log "FIVESTEP_PG_BINDIR is $FIVESTEP_PG_BINDIR, which has no initdb and pg_ctl"
      exit 1
    fi
    if ! fivestep_is_debian family; then
      log "$why."
      if [ "$(uname -s)" = Darwin ]; then
        log "Install PostgreSQL 13 or newer with Homebrew (brew install postgresql@16; its bin folder is found"
        log "without being on PATH), or put initdb and pg_ctl on PATH, or set FIVESTEP_PG_BINDIR to their folder."
      else
        log "Install PostgreSQL 13 or newer (its server package) so that initdb and pg_ctl are on PATH,"
        log "or set FIVESTEP_PG_BINDIR to their folder."
      fi
      exit 1
    fi
    if [ "$(id -u)" -ne 0 ]; then
      log "$why. Install Debian's postgresql package as root:"
      log "  apt-get update && apt-get install -y --no-install-recommends postgresql"
      log "(or set FIVESTEP_PG_BINDIR to another PostgreSQL's bin folder), then run this again."
      exit 1
    fi
    log "$why: installing Debian's postgresql package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 || true
    # The package's own cluster is not wanted; keep its post-install from creating one.
    mkdir -p /etc/postgresql-common
    [ -f /etc/postgresql-common/createcluster.conf ] ||
      echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.conf
    apt-get install -y -qq --no-install-recommends postgresql >&2
    bindir=$(find_bindir) || { log "postgresql installed but no initdb found"; exit 1; }
  fi
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi

  local dir port
  dir=$(mktemp -d /tmp/fivestep-pg.XXXXXX)
  chmod 700 "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")

  as_owner "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
  }
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=128MB" \
    start >&2 || {
    cat "$dir/server.log" >&2
    exit 1
  }
  log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $dir)"
  echo "export FIVESTEP_TEST_PG_URL=postgres://postgres@127.0.0.1:$port/postgres"
  echo "export FIVESTEP_PG_DIR=$dir"
  echo "export FIVESTEP_PG_BINDIR=$bindir"
}

stop() {
  local dir=${1:-${FIVESTEP_PG_DIR:-}}
  [ -n "$dir" ] && [ -d "$dir/data" ] || return 0
  local bindir
  bindir=$(find_bindir) || return 0
  as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-start}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *)
    echo "usage: ensure-postgres.sh start|stop [dir]" >&2
    exit 2
    ;;
esac
