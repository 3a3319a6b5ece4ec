import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type FunnelSignificance,
  funnelAverage,
  proportionControlLimits,
  proportionFunnelLimits,
  proportionFunnelSignificance,
} from "./funnel.ts";

/** Reads one of PHEindicatormethods' test CSVs (see fixtures/README.md). */
function fixture(name: string): Array<Record<string, string>> {
  const [head, ...lines] = readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")
    .trim()
    .split("\n");
  const columns = (head as string).split(",");
  // Only the first column (an area's name) is ever quoted, and may hold commas.
  return lines.map((line) => {
    const quoted = /^"([^"]*)",(.*)$/.exec(line);
    const cells = quoted ? [quoted[1] as string, ...(quoted[2] as string).split(",")] : line.split(",");
    return Object.fromEntries(cells.map((v, i) => [columns[i], v]));
  });
}

const inputs = fixture("phe-testdata_funnel_prop_inputs.csv").map((r) => ({
  area: r.Area as string,
  numerator: Number(r.numerator),
  denominator: Number(r.denominator),
  significance: r.significance as string,
}));

/** The published outputs are rounded to 6 (default) or 8 (axis variation) decimals. */
function expectOutline(rows: Array<Record<string, string>>, observations: typeof inputs, decimals: number) {
  const funnel = proportionFunnelLimits(observations, { multiplier: 100 });
  expect(funnel.points).toHaveLength(rows.length);
  rows.forEach((row, i) => {
    const p = funnel.points[i];
    expect(p?.population, `population of row ${i + 1}`).toBe(Number(row.Population));
    expect(p?.lower95).toBeCloseTo(Number(row.Lower2s0025limit), decimals - 1);
    expect(p?.upper95).toBeCloseTo(Number(row.Upper2s0025limit), decimals - 1);
    expect(p?.lower998).toBeCloseTo(Number(row.Lower3s0001limit), decimals - 1);
    expect(p?.upper998).toBeCloseTo(Number(row.Upper3s0001limit), decimals - 1);
    expect(funnel.baseline).toBeCloseTo(Number(row.Baseline), decimals - 1);
  });
  return funnel;
}

describe("proportionFunnelLimits", () => {
  it("reproduces PHEindicatormethods' funnel for proportions (303 PCTs, axis from 0)", () => {
    const funnel = expectOutline(fixture("phe-testdata_funnel_prop_outputs.csv"), inputs, 6);
    expect(funnel.axisMinimum).toBe(0);
    expect(funnel.points[0]?.population).toBe(1);
  });

  it("reproduces the outline when the axis starts above 0 (denominators under 31,000)", () => {
    const small = inputs.filter((r) => r.denominator < 31000);
    const funnel = expectOutline(
      fixture("phe-testdata_funnel_prop_outputs_with_axis_variation.csv"),
      small,
      8,
    );
    expect(funnel.axisMinimum).toBe(10000);
  });

  it("keeps limits within 0 and the multiplier and narrows as the population grows", () => {
    const funnel = proportionFunnelLimits(inputs, { multiplier: 1 });
    for (const p of funnel.points) {
      expect(p.lower998).toBeGreaterThanOrEqual(0);
      expect(p.upper998).toBeLessThanOrEqual(1);
      expect(p.lower998).toBeLessThanOrEqual(p.lower95);
      expect(p.upper95).toBeLessThanOrEqual(p.upper998);
    }
    const last = funnel.points.at(-1);
    expect(last && last.upper95 - last.lower95).toBeLessThan(0.01);
  });

  it("refuses invalid observations by name", () => {
    expect(() => proportionFunnelLimits([])).toThrow(/non-empty/);
    expect(() => proportionFunnelLimits([{ numerator: 5, denominator: 0 }])).toThrow(
      /observations\[0\]\.denominator/,
    );
    expect(() => proportionFunnelLimits([{ numerator: 5, denominator: 4 }])).toThrow(/must not exceed/);
    expect(() => proportionFunnelLimits([{ numerator: -1, denominator: 4 }])).toThrow(/numerator/);
    expect(() => proportionFunnelLimits([{ numerator: 1, denominator: 4 }], { multiplier: 0 })).toThrow(
      /multiplier/,
    );
  });
});

describe("proportionFunnelSignificance", () => {
  it("matches the significance column of PHEindicatormethods' funnel test data for all 303 areas", () => {
    const words: Record<string, FunnelSignificance> = {
      "High (0.001)": "high-99.8",
      "High (0.025)": "high-95",
      "Low (0.001)": "low-99.8",
      "Low (0.025)": "low-95",
      "Not significant": "within",
    };
    const got = proportionFunnelSignificance(inputs);
    expect(got).toEqual(inputs.map((r) => words[r.significance]));
    expect(new Set(got).size).toBe(5);
  });

  it("reproduces the package's documented example", () => {
    const rows = [
      { numerator: 10232, denominator: 15232 },
      { numerator: 12321, denominator: 16123 },
      { numerator: 15123, denominator: 17932 },
      { numerator: 13213, denominator: 18475 },
    ];
    expect(funnelAverage(rows)).toBeCloseTo(50889 / 67762, 12);
    expect(proportionFunnelSignificance(rows)).toEqual(["low-99.8", "high-99.8", "high-99.8", "low-99.8"]);
  });

  it("puts a value exactly on the average within the limits", () => {
    const limits = proportionControlLimits(400, 0.25, { multiplier: 1 });
    expect(limits.lower95).toBeLessThan(0.25);
    expect(limits.upper95).toBeGreaterThan(0.25);
    expect(proportionFunnelSignificance([{ numerator: 100, denominator: 400 }], 0.25)).toEqual(["within"]);
  });
});
