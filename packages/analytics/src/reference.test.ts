// An extra check straight against the shared reference CSVs (the primary assertions are the
// in-repo tables in intervals.test.ts and trend.test.ts). Skipped when the folder is absent.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { byarsLower, byarsUpper, proportionInterval, rateInterval } from "./intervals.ts";
import { recentTrend, type TrendPoint } from "./trend.ts";

const dir = fileURLToPath(new URL("../../../../shared/reference/", import.meta.url));
const present = existsSync(dir);
if (!present) console.log(`Skipping the shared-reference check: ${dir} is not present on this machine.`);

function readCsv(path: string): Record<string, string>[] {
  const rows: string[][] = [];
  for (const line of readFileSync(`${dir}${path}`, "utf8").split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const cells: string[] = [];
    let cell = "";
    let quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (ch === "," && !quoted) {
        cells.push(cell);
        cell = "";
      } else cell += ch;
    }
    cells.push(cell);
    rows.push(cells);
  }
  const [header, ...body] = rows;
  return body.map((cells) => Object.fromEntries(header!.map((h, i) => [h, cells[i] ?? ""])));
}

const num = (s: string | undefined): number | null => (s === undefined || s === "" ? null : Number(s));
const close = (actual: number, expected: number | null) => {
  if (expected === null) expect(actual).toBeNaN();
  else expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-12 * Math.abs(expected));
};

describe.skipIf(!present)("shared reference CSVs", () => {
  it("testdata_Byars_Wilson", () => {
    const rows = readCsv("phe/testdata_Byars_Wilson__testdata_B_W.csv");
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      const x = num(r.x)!;
      const confidence = r.confidence === "95%" ? 0.95 : 0.998;
      if (r.method === "Byars") {
        close(byarsLower(x, confidence), num(r.lowercl));
        close(byarsUpper(x, confidence), num(r.uppercl));
      } else {
        const i = proportionInterval(x, num(r.n), { confidence });
        close(i.lower, num(r.lowercl));
        close(i.upper, num(r.uppercl));
      }
    }
  });

  it.each([
    ["phe/testdata_Proportion__testdata_Prop.csv", proportionInterval],
    ["phe/testdata_Rate__testdata_Rate.csv", rateInterval],
  ] as const)("%s", (file, fn) => {
    const rows = readCsv(file);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      const args = [num(r.Numerator), num(r.Denominator)] as const;
      const multiplier = Number(r.multiplier);
      const r95 = fn(...args, { multiplier });
      const r998 = fn(...args, { multiplier, confidence: 0.998 });
      close(r95.value, num(r.value));
      close(r95.lower, num(r.lower95_0cl));
      close(r95.upper, num(r.upper95_0cl));
      close(r998.lower, num(r.lower99_8cl));
      close(r998.upper, num(r.upper99_8cl));
      if (r.method && r95.method !== "wilson") expect(r95.method).toBe(r.method.toLowerCase());
    }
  });

  it.each([
    ["testdata_prop_trends", "proportion"],
    ["testdata_prop_grouped", "proportion"],
    ["testdata_other_trends", "other"],
    ["testdata_other_6", "other"],
    ["testdata_other_grouped", "other"],
  ] as const)("trend markers %s", (sheet, valueType) => {
    const rows = readCsv(`trend/testdata_trend_markers__${sheet}.csv`);
    const groups = new Map<string, Record<string, string>[]>();
    for (const r of rows) groups.set(r.Ethnicity ?? "", [...(groups.get(r.Ethnicity ?? "") ?? []), r]);
    expect(groups.size).toBeGreaterThan(0);
    for (const group of groups.values()) {
      const points: TrendPoint[] = group.map((r) => ({
        period: Number(r.Year),
        count: num(r.Count),
        denominator: num(r.denominator ?? r.Denominator),
        value: num(r.Value),
        lower: num(r.LL),
        upper: num(r.UL),
      }));
      const expected = group.at(-1)!;
      const result = recentTrend(points, { valueType, polarity: "no-judgement" });
      expect(result.marker).toBe(expected.recent_trend!.toLowerCase().replaceAll(" ", "-"));
      expect(result.reason).toBe(expected.recent_trend_reason);
      if (expected.Significance) {
        expect(result.chiSquare!.toFixed(4)).toBe(Number(expected.Significance).toFixed(4));
        expect(result.gradient!.toFixed(4)).toBe(Number(expected.Gradient).toFixed(4));
      }
    }
  });
});
