#!/usr/bin/env bash
# A monthly load through Fivestep's REST API: upload this month's file, import it with a saved
# mapping, wait for the import job, and stop with an error (and the problems) if it failed.
#
#   FIVESTEP_URL=https://fivestep.example.org FIVESTEP_TOKEN=fst_… \
#     bash monthly-load.sh claimants-2026-11.csv "ONS claimant count"
#
# Needs curl and node (to read the JSON answers). The token needs the import:write scope and
# the mapping's source among its sources.
set -euo pipefail
file=${1:?the data file}
mapping=${2:?the name of a saved mapping}
url=${FIVESTEP_URL:?FIVESTEP_URL, e.g. http://localhost:3000}
auth="Authorization: Bearer ${FIVESTEP_TOKEN:?FIVESTEP_TOKEN}"
# One field of a JSON answer on stdin ("state", "result.ok").
field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{let v=JSON.parse(s);for(const k of process.argv[1].split("."))v=v?.[k];console.log(typeof v==="object"?JSON.stringify(v):v)})' "$1"; }
enc() { node -p 'encodeURIComponent(process.argv[1])' "$1"; }

# 202: the file is stored and checked; a job writes it.
accepted=$(curl -sS --fail-with-body -H "$auth" -H "Content-Type: text/csv" --data-binary "@$file" \
  "$url/api/v1/imports?mapping=$(enc "$mapping")&name=$(enc "$(basename "$file")")")
job=$(echo "$accepted" | field links.job)
echo "Checked: $(echo "$accepted" | field preview) — importing as $job"

while :; do
  answer=$(curl -sS --fail-with-body -H "$auth" "$url$job")
  state=$(echo "$answer" | field state)
  case $state in
    succeeded) echo "Imported: $(echo "$answer" | field result.result.inserted) new, $(echo "$answer" | field result.result.updated) changed"; exit 0 ;;
    failed | cancelled) echo "Import $state: $(echo "$answer" | field error)" >&2
      echo "$answer" | field result.check.problems >&2; exit 1 ;;
    *) sleep 5 ;;
  esac
done
