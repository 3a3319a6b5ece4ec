# Sourced (never run) by setup.sh, demo.sh, test.sh and pnpm.sh: the repository's own tools first.
#
# - PATH starts with .tools/node_modules/.bin, which holds the pnpm pinned in package.json
#   ("packageManager"). When it is missing or another version, npm installs it there: a folder of
#   this checkout, ignored by git, so no write access to npm's global folder is needed, and a pnpm
#   installed elsewhere on the machine is neither needed nor used.
# - CHROMIUM_PATH, when unset, is set to the Chromium or Google Chrome that locate.sh finds (the
#   server's PDF reports, the browser tests and the benchmarks read it); left unset when none is.
#
# Messages go to stderr. Returns non-zero when pnpm could not be installed.

_fivestep_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$_fivestep_root/tooling/scripts/locate.sh"

case ":$PATH:" in
  *":$_fivestep_root/.tools/node_modules/.bin:"*) ;;
  *) export PATH="$_fivestep_root/.tools/node_modules/.bin:$PATH" ;;
esac

# Prints the pinned pnpm version when .tools/ does not hold it, nothing when it does.
_fivestep_pnpm_wanted=$(node -e '
  const fs = require("node:fs");
  const root = process.argv[1];
  const want = JSON.parse(fs.readFileSync(`${root}/package.json`, "utf8")).packageManager.split("@")[1];
  let have = "";
  try {
    have = JSON.parse(fs.readFileSync(`${root}/.tools/node_modules/pnpm/package.json`, "utf8")).version;
  } catch {}
  if (have !== want) console.log(want);
' "$_fivestep_root") || return 1
if [ -n "$_fivestep_pnpm_wanted" ]; then
  echo "==> Installing pnpm $_fivestep_pnpm_wanted into .tools/ (this checkout's own copy; nothing global)" >&2
  npm install --prefix "$_fivestep_root/.tools" --no-save --no-package-lock --no-fund --no-audit \
    --loglevel=error "pnpm@$_fivestep_pnpm_wanted" >&2 || {
    echo "Could not install pnpm $_fivestep_pnpm_wanted into $_fivestep_root/.tools" >&2
    return 1
  }
fi

if [ -z "${CHROMIUM_PATH:-}" ] && _fivestep_browser=$(fivestep_find_chromium); then
  export CHROMIUM_PATH=$_fivestep_browser
fi
unset _fivestep_pnpm_wanted _fivestep_browser
