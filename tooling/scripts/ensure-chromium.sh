#!/usr/bin/env bash
# Browser tests drive a Chromium or Google Chrome already on the machine (no browser download):
# $CHROMIUM_PATH, or the first that locate.sh finds (chromium, chromium-browser, google-chrome on
# PATH; Debian's /usr/bin/chromium; the Google Chrome or Chromium app on macOS). Silent when one
# is found. When none is, on Debian it installs Debian's chromium package as root, or, not root,
# prints the apt-get command to run and fails; elsewhere it says what to install and fails.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/locate.sh"

if fivestep_find_chromium >/dev/null; then exit 0; fi
if [ -n "${CHROMIUM_PATH:-}" ]; then
  echo "CHROMIUM_PATH is $CHROMIUM_PATH, which is not an executable file" >&2
  exit 1
fi

packages="chromium"
why="the browser tests need a Chromium or Google Chrome, and none was found"
if ! fivestep_is_debian; then
  echo "No Chromium or Google Chrome found: $why." >&2
  if [ "$(uname -s)" = Darwin ]; then
    echo "Install Google Chrome (https://www.google.com/chrome/, or brew install --cask google-chrome)" >&2
    echo "or Chromium (brew install --cask chromium) into /Applications, or set CHROMIUM_PATH." >&2
  else
    echo "Install Chromium or Google Chrome so that chromium, chromium-browser or google-chrome" >&2
    echo "is on PATH, or set CHROMIUM_PATH to the browser's executable." >&2
  fi
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "No Chromium or Google Chrome found: $why. Install Debian's $packages package as root:" >&2
  echo "  apt-get update && apt-get install -y --no-install-recommends $packages" >&2
  echo "(or set CHROMIUM_PATH to another Chromium or Chrome), then run this again." >&2
  exit 1
fi
echo "==> Installing Chromium (Debian's $packages package): $why"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $packages >/dev/null
browser=$(fivestep_find_chromium) || { echo "No Chromium found after installing $packages" >&2; exit 1; }
echo "    Chromium: $browser"
