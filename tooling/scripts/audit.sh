#!/usr/bin/env bash
# Known vulnerabilities in the production dependencies: `pnpm audit --prod` against the npm
# registry's advisory database. Exits 1 when a high or critical advisory is found that is not
# explained in tooling/scripts/audit-explained.txt (one line per advisory: its GHSA id or URL, then
# why it does not apply to Fivestep). Exits 2 when the advisory database cannot be reached, so a
# network failure is never mistaken for a clean result. Needs the network.
#
#   bash tooling/scripts/audit.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
explained="tooling/scripts/audit-explained.txt"
json=$(pnpm audit --prod --json 2>&1)
status=$?
if ! printf '%s' "$json" | node -e 'JSON.parse(require("fs").readFileSync(0, "utf8"))' 2>/dev/null; then
  echo "audit: could not read the advisory database (pnpm audit exited $status):" >&2
  printf '%s\n' "$json" | head -20 >&2
  exit 2
fi
printf '%s' "$json" | EXPLAINED="$explained" node -e '
const fs = require("fs");
const report = JSON.parse(fs.readFileSync(0, "utf8"));
const explained = new Set(
  (fs.existsSync(process.env.EXPLAINED) ? fs.readFileSync(process.env.EXPLAINED, "utf8") : "")
    .split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#")).map((l) => l.split(/\s+/)[0]),
);
const advisories = Object.values(report.advisories ?? {});
const counts = report.metadata?.vulnerabilities ?? {};
console.log(`audit: ${advisories.length} advisories in production dependencies`, JSON.stringify(counts));
let bad = 0;
for (const a of advisories) {
  const serious = a.severity === "high" || a.severity === "critical";
  const ids = [a.github_advisory_id, a.url, String(a.id)].filter(Boolean);
  const isExplained = ids.some((id) => explained.has(id));
  const paths = (a.findings ?? []).flatMap((f) => f.paths ?? []).slice(0, 3).join("; ");
  console.log(`  ${a.severity.padEnd(8)} ${a.module_name}@${a.vulnerable_versions}: ${a.title} (${a.url})${isExplained ? " [explained]" : ""}\n           via ${paths}`);
  if (serious && !isExplained) bad++;
}
if (bad > 0) {
  console.log(`audit: ${bad} high or critical advisories not explained in ${process.env.EXPLAINED}`);
  process.exit(1);
}
console.log("audit: no unexplained high or critical advisories");
'
