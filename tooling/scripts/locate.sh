# Sourced (never run) by env.sh, ensure-chromium.sh and ensure-postgres.sh: finds what the tests
# need among what is already on this machine. Changes nothing; each function prints a path and
# returns 0, or returns 1 when nothing is found.

# A Chromium or Google Chrome: $CHROMIUM_PATH when set (and then nothing else); else chromium,
# chromium-browser, google-chrome or google-chrome-stable on PATH; else Debian's /usr/bin/chromium,
# or the Google Chrome or Chromium app on macOS (in /Applications or ~/Applications).
fivestep_find_chromium() {
  local name path
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    [ -x "$CHROMIUM_PATH" ] || return 1
    echo "$CHROMIUM_PATH"
    return 0
  fi
  for name in chromium chromium-browser google-chrome google-chrome-stable; do
    if path=$(command -v "$name" 2>/dev/null) && [ -x "$path" ]; then
      echo "$path"
      return 0
    fi
  done
  for path in /usr/bin/chromium \
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome" \
    "/Applications/Chromium.app/Contents/MacOS/Chromium" \
    "${HOME:-/nonexistent}/Applications/Google Chrome.app/Contents/MacOS/Google Chrome" \
    "${HOME:-/nonexistent}/Applications/Chromium.app/Contents/MacOS/Chromium"; do
    if [ -x "$path" ]; then
      echo "$path"
      return 0
    fi
  done
  return 1
}

# A folder holding PostgreSQL's server programs (initdb and pg_ctl): $FIVESTEP_PG_BINDIR when set
# (and then nothing else); else the newest of Debian's /usr/lib/postgresql/*/bin; else initdb's
# folder on PATH; else the newest Homebrew postgresql@N (/opt/homebrew/opt on Apple silicon,
# /usr/local/opt on Intel), Homebrew's unversioned postgresql, Postgres.app, or the newest
# /usr/pgsql-N/bin (PostgreSQL's own packages for Red Hat and Fedora).
fivestep_find_pg_bindir() {
  local dir
  if [ -n "${FIVESTEP_PG_BINDIR:-}" ]; then
    [ -x "$FIVESTEP_PG_BINDIR/initdb" ] && [ -x "$FIVESTEP_PG_BINDIR/pg_ctl" ] || return 1
    echo "$FIVESTEP_PG_BINDIR"
    return 0
  fi
  while IFS= read -r dir; do
    if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done < <(
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r 2>/dev/null
    dir=$(command -v initdb 2>/dev/null) && dirname "$dir"
    ls -d /opt/homebrew/opt/postgresql@*/bin /usr/local/opt/postgresql@*/bin 2>/dev/null | sort -t@ -k2,2 -n -r
    ls -d /opt/homebrew/opt/postgresql/bin /usr/local/opt/postgresql/bin 2>/dev/null
    ls -d /Applications/Postgres.app/Contents/Versions/latest/bin 2>/dev/null
    ls -d /usr/pgsql-*/bin 2>/dev/null | sort -t- -k2,2 -n -r
  )
  return 1
}

# Whether this is Debian (ID=debian), or Debian or a derivative of it such as Ubuntu (with
# "family"), with apt-get: only there do the scripts install Debian's packages.
fivestep_is_debian() { # [family]
  [ -r /etc/os-release ] && command -v apt-get >/dev/null 2>&1 || return 1
  local ids
  ids=$(
    . /etc/os-release
    if [ "${1:-}" = family ]; then echo " ${ID:-} ${ID_LIKE:-} "; else echo " ${ID:-} "; fi
  )
  case "$ids" in *" debian "*) return 0 ;; *) return 1 ;; esac
}
