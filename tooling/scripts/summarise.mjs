// Sums every package's Vitest JSON reports and the pass/fail checks recorded by test.sh into the
// closing line "N passed, N failed". A package with a test script but no report counts as one
// failure (its runner did not start), so a broken suite can never look green. The packages in
// POSTGRES_SUITES run twice, and must also have test-results-postgres.json (their PostgreSQL run).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const checksFile = process.argv[2];
let passed = 0;
let failed = 0;
let skipped = 0;
const lines = [];
const POSTGRES_SUITES = new Set(["packages/db", "packages/api"]);

/** Adds one Vitest JSON report (or its absence) to the totals. */
function count(label, report) {
  if (!existsSync(report)) {
    failed++;
    lines.push(`FAIL ${label}: no test report (the runner did not start)`);
    return;
  }
  const r = JSON.parse(readFileSync(report, "utf8"));
  const p = r.numPassedTests ?? 0;
  const f = (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0);
  const s = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  const failedFiles = (r.testResults ?? []).filter(
    (t) => t.status === "failed" && (t.assertionResults ?? []).length === 0,
  ).length;
  passed += p;
  failed += f + failedFiles;
  skipped += s;
  if (p + f + failedFiles === 0) {
    failed++;
    lines.push(`FAIL ${label}: ran no test`);
    return;
  }
  lines.push(
    `${f + failedFiles ? "FAIL" : "ok  "} ${label}: ${p} passed, ${f + failedFiles} failed${s ? `, ${s} skipped` : ""}`,
  );
}

if (checksFile && existsSync(checksFile)) {
  for (const line of readFileSync(checksFile, "utf8").split("\n").filter(Boolean)) {
    const [result, name] = line.split(" ");
    if (result === "pass") passed++;
    else failed++;
    lines.push(`${result === "pass" ? "ok  " : "FAIL"} ${name}`);
  }
}

for (const group of ["apps", "packages", "tooling", "."]) {
  const dirs = group === "." ? ["e2e"] : readdirSync(group).map((d) => join(group, d));
  for (const dir of dirs) {
    const pkgFile = join(dir, "package.json");
    if (!existsSync(pkgFile)) continue;
    const pkg = JSON.parse(readFileSync(pkgFile, "utf8"));
    if (!pkg.scripts?.test) continue;
    count(pkg.name, join(dir, "test-results.json"));
    if (POSTGRES_SUITES.has(dir)) count(`${pkg.name} on PostgreSQL`, join(dir, "test-results-postgres.json"));
  }
}

console.log("\n==> Summary");
for (const l of lines) console.log(l);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
