#!/usr/bin/env bash
# Browser tests drive Debian's Chromium; install it when missing (no browser download).
set -euo pipefail
browser=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$browser" ]; then exit 0; fi
echo "==> Installing Chromium (Debian package)"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
[ -x "$browser" ] || { echo "Chromium is not at $browser after installing" >&2; exit 1; }
