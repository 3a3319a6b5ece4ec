import { describe, expect, it } from "vitest";
import { indicatorTrend, type TrendPoint } from "./trend.ts";

// PHEindicatormethods' assign_trend_markers fixture testdata_prop_trends (the shared reference's
// trend/testdata_trend_markers__testdata_prop_trends.csv): Decreasing, X² 12.5688, so
// p = P(χ²₁ > 12.5688) = erfc(√(12.5688/2)) = 0.000392.
const PROP_TRENDS: TrendPoint[] = [
  { period: 2019, count: 318, denominator: 468.3357879234167, value: 67.9 },
  { period: 2020, count: 314, denominator: 472.8915662650602, value: 66.4 },
  { period: 2021, count: 318, denominator: 500.78740157480314, value: 63.5 },
  { period: 2022, count: 291, denominator: 480.1980198019802, value: 60.6 },
  { period: 2023, count: 292, denominator: 499.14529914529913, value: 58.5 },
];

// The same source's testdata_prop_grouped "Other ethnic group" (years 2012–2017 without 2015):
// Increasing, X² 47.3463, p = erfc(√(47.3463/2)) = 5.95e-12.
const OTHER_ETHNIC: TrendPoint[] = [
  { period: 2012, count: 10, denominator: 125, value: 8 },
  { period: 2013, count: 17, denominator: 141.66666666666669, value: 12 },
  { period: 2014, count: 27, denominator: 117.3913043478261, value: 23 },
  { period: 2016, count: 49, denominator: 204.16666666666666, value: 24 },
  { period: 2017, count: 67, denominator: 171.7948717948718, value: 39 },
];

describe("indicatorTrend: one verdict, one method", () => {
  it("uses Fingertips' chi-square test for trend on a proportion with counts (reference fixtures)", () => {
    const down = indicatorTrend(PROP_TRENDS, { proportion: true, polarity: "high-is-good" });
    expect(down).toMatchObject({
      verdict: "decreasing",
      judgement: "getting-worse",
      method: "chi-square-for-trend",
      points: 5,
      reason: "significant",
    });
    expect(down.p!).toBeCloseTo(0.000392, 6);
    const up = indicatorTrend(OTHER_ETHNIC, { proportion: true, polarity: "low-is-good" });
    expect(up).toMatchObject({
      verdict: "increasing",
      judgement: "getting-worse",
      method: "chi-square-for-trend",
    });
    expect(up.p!).toBeGreaterThan(5.9e-12);
    expect(up.p!).toBeLessThan(6.1e-12);
  });

  it("reads the points in period order whatever order they come in", () => {
    const shuffled = [PROP_TRENDS[3]!, PROP_TRENDS[0]!, PROP_TRENDS[4]!, PROP_TRENDS[1]!, PROP_TRENDS[2]!];
    expect(indicatorTrend(shuffled, { proportion: true, polarity: "high-is-good" })).toEqual(
      indicatorTrend(PROP_TRENDS, { proportion: true, polarity: "high-is-good" }),
    );
  });

  it("uses the chi-square test on the latest 5 points only and reports 5", () => {
    const longer: TrendPoint[] = [
      { period: 2017, count: 100, denominator: 500, value: 20 },
      { period: 2018, count: 400, denominator: 500, value: 80 },
      ...PROP_TRENDS,
    ];
    const r = indicatorTrend(longer, { proportion: true, polarity: "high-is-good" });
    expect(r.points).toBe(5);
    expect(r.p!).toBeCloseTo(0.000392, 6);
  });

  it("uses Mann–Kendall for values without counts (S, Var(S) and p worked by hand)", () => {
    // n = 6 rising: S = 15, Var(S) = 6·5·17/18 = 28.333, z = 14/√28.333 = 2.6301, p = 0.008535.
    const rising = [1, 2, 3, 4, 5, 6].map((value, i) => ({ period: `${2010 + i}`, value }));
    const r = indicatorTrend(rising, { proportion: false, polarity: "low-is-good" });
    expect(r).toMatchObject({
      verdict: "increasing",
      judgement: "getting-worse",
      method: "mann-kendall",
      points: 6,
      reason: "significant",
    });
    expect(r.p!).toBeCloseTo(0.008535, 5);
    // A proportion whose counts are missing is tested the same way.
    const noCounts = PROP_TRENDS.map(({ period, value }) => ({ period, value }));
    const m = indicatorTrend(noCounts, { proportion: true, polarity: "high-is-good" });
    // 5 falling values: S = −10, Var(S) = 5·4·15/18 = 16.667, z = −9/√16.667 = −2.2045, p = 0.02749.
    expect(m).toMatchObject({ verdict: "decreasing", method: "mann-kendall", points: 5 });
    expect(m.p!).toBeCloseTo(0.02749, 4);
  });

  it("says no significant change, with the p-value, when Mann–Kendall finds none", () => {
    const flat = [5, 6, 5, 6, 5, 6].map((value, i) => ({ period: 2000 + i, value }));
    const r = indicatorTrend(flat, { proportion: false, polarity: "high-is-good" });
    expect(r).toMatchObject({ verdict: "no-significant-change", judgement: null, reason: "not-significant" });
    expect(r.p!).toBeGreaterThan(0.05);
  });

  it("cannot be calculated below 5 values; missing values do not count", () => {
    const four = [1, 2, 3, null, 4].map((value, i) => ({ period: `${2001 + i} Q1`, value }));
    expect(indicatorTrend(four, { proportion: false, polarity: "high-is-good" })).toEqual({
      verdict: "cannot-be-calculated",
      judgement: null,
      method: null,
      p: null,
      points: 4,
      reason: "too-few-points",
    });
  });

  it("keeps the chi-square outlier rule, and falls back to Mann–Kendall when a count equals its denominator", () => {
    // Steady falls and then a leap: X² is large but leaving out the leap flips the slope.
    const leap: TrendPoint[] = [
      { period: 1, count: 500, denominator: 1000, value: 50 },
      { period: 2, count: 490, denominator: 1000, value: 49 },
      { period: 3, count: 480, denominator: 1000, value: 48 },
      { period: 4, count: 470, denominator: 1000, value: 47 },
      { period: 5, count: 900, denominator: 1000, value: 90 },
    ];
    expect(indicatorTrend(leap, { proportion: true, polarity: "high-is-good" })).toMatchObject({
      verdict: "no-significant-change",
      method: "chi-square-for-trend",
      reason: "outlier-found",
    });
    const full = PROP_TRENDS.map((p, i) => (i === 4 ? { ...p, count: p.denominator } : p));
    expect(indicatorTrend(full, { proportion: true, polarity: "high-is-good" }).method).toBe("mann-kendall");
  });

  it("refuses a bad polarity or alpha by name", () => {
    expect(() => indicatorTrend(PROP_TRENDS, { proportion: true, polarity: "up" as "high-is-good" })).toThrow(
      /polarity/,
    );
    expect(() =>
      indicatorTrend(PROP_TRENDS, { proportion: false, polarity: "high-is-good", alpha: 1 }),
    ).toThrow(/alpha/);
  });
});
