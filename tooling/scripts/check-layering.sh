#!/usr/bin/env bash
# A copy of the layering check: value imports must follow the one-way dependency direction.
# Dependencies point one way (see the root README). domain imports no @fivestep package; analytics only
# domain; db only domain; ui no api/db/server; client only ui and domain (types from api); planner/admin
# take only types from api and nothing from db/server; nothing imports an app. Prints the first offences and a count.
set -u
[ -d packages ] || { echo "layering: no packages/"; exit 1; }
bad=0; out=""
check() { # dir allowed-regex-of-@fivestep-names  (value imports only; 'import type' is allowed everywhere)
  local dir=$1 allow=$2
  [ -d "$dir" ] || return 0
  while IFS= read -r line; do
    case "$line" in *"import type"*|*"export type"*) continue;; esac
    name=$(echo "$line" | grep -oE "@fivestep/[a-z-]+" | head -1)
    [ -n "$name" ] || continue
    echo "$name" | grep -Eq "^@fivestep/($allow)$" && continue
    bad=$((bad+1)); [ $bad -le 8 ] && out="$out\n  $line"
  done < <(grep -rnE "(from|import\(|require\()\s*['\"]@fivestep/" "$dir" --include='*.ts' --include='*.tsx' --include='*.mts' \
           --exclude-dir=node_modules --exclude-dir=dist 2>/dev/null | grep -vE '\.(test|spec)\.tsx?:')
}
check packages/domain   "domain"
check packages/analytics "domain|analytics"
check packages/db        "domain|db"
check packages/ui        "domain|analytics|ui"
check packages/api       "domain|analytics|db|api"
check packages/client    "domain|ui|client"
check apps/planner       "domain|analytics|ui|client|planner"
check apps/admin         "domain|analytics|ui|client|admin"
if [ $bad -gt 0 ]; then printf "value imports against the one-way direction:$out\n"; echo "layering: $bad value imports against the one-way direction"; exit 1; fi
echo "layering: 0 offences"
