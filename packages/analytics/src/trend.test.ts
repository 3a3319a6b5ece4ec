import type { Polarity } from "@fivestep/domain";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  changePoints,
  mannKendall,
  type RecentTrend,
  recentTrend,
  rollingAverage,
  type TrendPoint,
} from "./trend.ts";

type Expected = { marker: RecentTrend["marker"]; reason: string; chiSquare?: number; gradient?: number };
type Case = { name: string; valueType: "proportion" | "other"; points: TrendPoint[]; expected: Expected };

const prop = (rows: ReadonlyArray<[number, number | null, number | null, number | null]>): TrendPoint[] =>
  rows.map(([period, count, denominator, value]) => ({ period, count, denominator, value }));
const other = (rows: ReadonlyArray<[number, number | null, number | null, number | null]>): TrendPoint[] =>
  rows.map(([period, value, lower, upper]) => ({ period, value, lower, upper }));

const SIGNIFICANT = "No outliers and significant trend";

// PHEindicatormethods assign_trend_markers fixtures (trend/testdata_trend_markers__*.csv): the
// expected marker and reason, X² ("Significance") and gradient rounded to 4 dp.
const PHE_TREND_CASES: Case[] = [
  {
    name: "testdata_prop_trends",
    valueType: "proportion",
    points: prop([
      [2019, 318, 468.3357879234167, 67.9],
      [2020, 314, 472.8915662650602, 66.4],
      [2021, 318, 500.78740157480314, 63.5],
      [2022, 291, 480.1980198019802, 60.6],
      [2023, 292, 499.14529914529913, 58.5],
    ]),
    expected: { marker: "decreasing", reason: SIGNIFICANT, chiSquare: 12.5688, gradient: -0.1062 },
  },
  {
    name: "testdata_prop_grouped: Asian or Asian British",
    valueType: "proportion",
    points: prop([
      [2019, 90, 264.70588235294116, 34],
      [2020, 58, 89.23076923076924, 65],
      [2021, 29, 44.61538461538462, 65],
      [2022, 49, 233.33333333333334, 21],
      [2023, 67, 744.4444444444445, 9],
    ]),
    expected: { marker: "decreasing", reason: SIGNIFICANT, chiSquare: 144.3957, gradient: -0.5245 },
  },
  {
    name: "testdata_prop_grouped: Black, Black British, Caribbean or African (missing denominator)",
    valueType: "proportion",
    points: prop([
      [2019, 23, 50, 46],
      [2020, 122, 95.3125, 128],
      [2021, 94, 94, 100],
      [2022, 76, null, 80],
      [2023, 20, 25, 80],
    ]),
    expected: { marker: "cannot-be-calculated", reason: "Missing values" },
  },
  {
    name: "testdata_prop_grouped: Mixed or multiple ethnic groups (missing count)",
    valueType: "proportion",
    points: prop([
      [2019, 23, 50, 46],
      [2020, 122, 95.3125, 128],
      [2021, 94, 94, 100],
      [2022, null, 80, 80],
      [2023, 20, 25, 80],
    ]),
    expected: { marker: "cannot-be-calculated", reason: "Missing values" },
  },
  {
    name: "testdata_prop_grouped: Other ethnic group (2015 missing from the years)",
    valueType: "proportion",
    points: prop([
      [2012, 10, 125, 8],
      [2013, 17, 141.66666666666669, 12],
      [2014, 27, 117.3913043478261, 23],
      [2016, 49, 204.16666666666666, 24],
      [2017, 67, 171.7948717948718, 39],
    ]),
    expected: { marker: "increasing", reason: SIGNIFICANT, chiSquare: 47.3463, gradient: 0.483 },
  },
  {
    name: "testdata_prop_grouped: White (duplicate years)",
    valueType: "proportion",
    points: prop([
      [2019, 318, 468.3357879234167, 67.9],
      [2020, 314, 472.8915662650602, 66.4],
      [2022, 318, 500.78740157480314, 63.5],
      [2022, 291, 480.1980198019802, 60.6],
      [2023, 292, 499.14529914529913, 58.5],
    ]),
    expected: { marker: "cannot-be-calculated", reason: "Duplicate years in group" },
  },
  {
    name: "testdata_other_trends",
    valueType: "other",
    points: other([
      [1, 30.6, 28.98, 32.25],
      [2, 30.2, 28.63, 31.9],
      [3, 28, 26.44, 29.64],
      [4, 24.6, 23.15, 26.19],
      [5, 24.67, 23.16, 26.25],
    ]),
    expected: { marker: "decreasing", reason: SIGNIFICANT, chiSquare: 46.7636, gradient: -1.7516 },
  },
  {
    name: "testdata_other_6 (six points: the last five are used)",
    valueType: "other",
    points: other([
      [1, 30.6, 28.98, 32.25],
      [2, 30.2, 28.63, 31.9],
      [3, 28, 26.44, 29.64],
      [4, 24.6, 23.15, 26.19],
      [5, 24.67, 23.16, 26.25],
      [6, 30.9, 28.98, 32.25],
    ]),
    expected: {
      marker: "no-significant-change",
      reason: "No significant trend",
      chiSquare: 0.7433,
      gradient: -0.2256,
    },
  },
  {
    name: "testdata_other_grouped: Black, Black British, Caribbean or African",
    valueType: "other",
    points: other([
      [1, 20.2, 18.3, 21.9],
      [2, 23, 21.44, 25.64],
      [3, 24.6, 23.15, 26.19],
      [4, 28.67, 26.16, 29.25],
      [5, 30.9, 28.98, 32.25],
    ]),
    expected: { marker: "increasing", reason: SIGNIFICANT, chiSquare: 95.2196, gradient: 2.7335 },
  },
  {
    name: "testdata_other_grouped: Mixed or multiple ethnic groups (missing value)",
    valueType: "other",
    points: other([
      [1, 30.6, 28.98, 32.25],
      [2, null, 28.63, 31.9],
      [3, 28, 26.44, 29.64],
      [4, 24.6, 23.15, 26.19],
      [5, 24.67, 23.16, 26.25],
    ]),
    expected: { marker: "cannot-be-calculated", reason: "Missing values" },
  },
  {
    name: "testdata_other_grouped: Other ethnic group (missing lower limit)",
    valueType: "other",
    points: other([
      [1, 24.67, 23.16, 26.25],
      [2, 20.2, 18.3, 21.9],
      [3, 23, 21.44, 25.64],
      [4, 24.6, 23.15, 26.19],
      [5, 28.67, null, 29.25],
    ]),
    expected: { marker: "cannot-be-calculated", reason: "Missing at least one confidence interval value" },
  },
  {
    name: "testdata_other_grouped: White (four points)",
    valueType: "other",
    points: other([
      [1, 20.2, 18.3, 21.9],
      [2, 23, 21.44, 25.64],
      [3, 24.6, 23.15, 26.19],
      [4, 28.67, 26.16, 29.25],
    ]),
    expected: { marker: "cannot-be-calculated", reason: "Not enough data points" },
  },
];

describe("recentTrend (PHEindicatormethods assign_trend_markers fixtures)", () => {
  it.each(PHE_TREND_CASES)("$name", ({ valueType, points, expected }) => {
    const r = recentTrend(points, { valueType, polarity: "no-judgement" });
    expect(r.marker).toBe(expected.marker);
    expect(r.reason).toBe(expected.reason);
    if (expected.chiSquare === undefined) {
      expect(r.chiSquare).toBeNull();
      expect(r.gradient).toBeNull();
    } else {
      expect(Number(r.chiSquare!.toFixed(4))).toBe(expected.chiSquare);
      expect(Number(r.gradient!.toFixed(4))).toBe(expected.gradient);
    }
  });

  it("reproduces the Fingertips 2020 figure X² = 46.77 with its rounded divisor 3.92", () => {
    const points = PHE_TREND_CASES[6]!.points;
    const r = recentTrend(points, { valueType: "other", polarity: "low-is-good", ciDivisor: 3.92 });
    expect(Number(r.chiSquare!.toFixed(2))).toBe(46.77);
  });
});

describe("recentTrend edge cases", () => {
  const base = PHE_TREND_CASES[0]!.points;

  it("sorts unsorted periods, in any spelling", () => {
    const shuffled = [base[3]!, base[0]!, base[4]!, base[2]!, base[1]!];
    const sorted = recentTrend(base, { valueType: "proportion", polarity: "high-is-good" });
    expect(recentTrend(shuffled, { valueType: "proportion", polarity: "high-is-good" })).toEqual(sorted);
    const asText = base.map((p) => ({
      ...p,
      period: `${p.period}/${String((p.period as number) + 1).slice(2)}`,
    }));
    expect(recentTrend(asText.reverse(), { valueType: "proportion", polarity: "high-is-good" })).toEqual(
      sorted,
    );
  });

  it("judges the direction by polarity", () => {
    const opts = { valueType: "proportion" } as const;
    expect(recentTrend(base, { ...opts, polarity: "high-is-good" }).judgement).toBe("getting-worse");
    expect(recentTrend(base, { ...opts, polarity: "low-is-good" }).judgement).toBe("getting-better");
    expect(recentTrend(base, { ...opts, polarity: "no-judgement" }).judgement).toBeNull();
  });

  it("cannot be calculated with fewer than 5 points", () => {
    expect(recentTrend(base.slice(1), { valueType: "proportion", polarity: "high-is-good" })).toEqual({
      marker: "cannot-be-calculated",
      judgement: null,
      chiSquare: null,
      gradient: null,
      reason: "Not enough data points",
    });
    expect(recentTrend([], { valueType: "other", polarity: "high-is-good" }).marker).toBe(
      "cannot-be-calculated",
    );
  });

  it("cannot be calculated when a count is 0 or equals its denominator (the logit is infinite)", () => {
    const zero = base.map((p, i) => (i === 2 ? { ...p, count: 0 } : p));
    const all = base.map((p, i) => (i === 2 ? { ...p, count: p.denominator } : p));
    for (const points of [zero, all]) {
      const r = recentTrend(points, { valueType: "proportion", polarity: "high-is-good" });
      expect(r.marker).toBe("cannot-be-calculated");
      expect(r.reason).toMatch(/count/);
    }
  });

  it("derives a missing denominator column from counts and percentages", () => {
    const noDenominators = base.map(({ period, count, value }) => ({ period, count, value }));
    const r = recentTrend(noDenominators, { valueType: "proportion", polarity: "high-is-good" });
    expect(r.marker).toBe("decreasing");
    expect(Number(r.chiSquare!.toFixed(4))).toBe(12.5688);
  });

  it("finds an outlier when leaving out one point flips the slope", () => {
    // A steady series with a huge jump at the end: X² is large, but without the last point the slope falls.
    const points = other([
      [1, 10.4, 10.3, 10.5],
      [2, 10.3, 10.2, 10.4],
      [3, 10.2, 10.1, 10.3],
      [4, 10.1, 10.0, 10.2],
      [5, 20, 19.9, 20.1],
    ]);
    const r = recentTrend(points, { valueType: "other", polarity: "high-is-good" });
    expect(r.chiSquare!).toBeGreaterThan(9.5495);
    expect(r).toMatchObject({ marker: "no-significant-change", reason: "Outlier found", judgement: null });
  });

  it("uses only the last 5 points and ignores gaps unless asked", () => {
    const longer = [{ period: 2015, count: 1, denominator: 1000 }, ...base];
    expect(recentTrend(longer, { valueType: "proportion", polarity: "high-is-good" })).toEqual(
      recentTrend(base, { valueType: "proportion", polarity: "high-is-good" }),
    );
    const gappy = PHE_TREND_CASES[4]!.points;
    const byPeriod = recentTrend(gappy, {
      valueType: "proportion",
      polarity: "high-is-good",
      timeAxis: "period",
    });
    expect(byPeriod.chiSquare).not.toBeCloseTo(47.3463, 2);
  });

  it("refuses mixed period types and impossible counts", () => {
    const mixed = base.map((p, i) =>
      i === 0 ? { ...p, period: "2019 Q1" } : { ...p, period: String(p.period) },
    );
    expect(() => recentTrend(mixed, { valueType: "proportion", polarity: "high-is-good" })).toThrow(/points/);
    const tooMany = base.map((p, i) => (i === 0 ? { ...p, count: 1000 } : p));
    expect(() => recentTrend(tooMany, { valueType: "proportion", polarity: "high-is-good" })).toThrow(
      /count/,
    );
    expect(() => recentTrend(base, { valueType: "rate" as "other", polarity: "high-is-good" })).toThrow(
      /valueType/,
    );
  });

  it("swapping polarity swaps getting better and getting worse", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1, max: 100, noNaN: true }), { minLength: 5, maxLength: 8 }),
        fc.double({ min: 0.1, max: 5, noNaN: true }),
        (values, width) => {
          const points = values.map((value, i) => ({
            period: 2000 + i,
            value,
            lower: value - width,
            upper: value + width,
          }));
          const hi = recentTrend(points, { valueType: "other", polarity: "high-is-good" });
          const lo = recentTrend(points, { valueType: "other", polarity: "low-is-good" });
          expect(lo.marker).toBe(hi.marker);
          const swap = { "getting-better": "getting-worse", "getting-worse": "getting-better" } as const;
          expect(lo.judgement).toBe(hi.judgement === null ? null : swap[hi.judgement]);
        },
      ),
    );
  });
});

describe("mannKendall", () => {
  it("computes S, Var(S), z, p and tau for a strictly rising series", () => {
    // n = 6: S = 15, Var(S) = 6·5·17/18 = 28.333, z = 14/√28.333 = 2.6301, p = 0.00853.
    const r = mannKendall([1, 2, 3, 4, 5, 6]);
    expect(r.s).toBe(15);
    expect(r.varS).toBeCloseTo(28.3333333, 6);
    expect(r.z).toBeCloseTo(2.630142, 5);
    expect(r.p).toBeCloseTo(0.008535, 5);
    expect(r.tau).toBe(1);
    expect(r.trend).toBe("increasing");
  });

  it("corrects the variance for ties", () => {
    // [1, 2, 2, 3, 3, 3, 4]: S = 6 + 4 + 4 + 1 + 1 + 1 = 17; ties of 2 and 3: Σ t(t−1)(2t+5) =
    // 2·1·9 + 3·2·11 = 84; Var(S) = (7·6·19 − 84)/18 = 39.667; z = 16/√39.667 = 2.540429.
    const r = mannKendall([1, 2, 2, 3, 3, 3, 4]);
    expect(r.s).toBe(17);
    expect(r.varS).toBeCloseTo(39.6666667, 6);
    expect(r.z).toBeCloseTo(2.540429, 5);
    expect(r.trend).toBe("increasing");
    const flat = mannKendall([5, 5, 5, 5]);
    expect(flat).toMatchObject({ s: 0, varS: 0, z: 0, p: 1, trend: "no-trend" });
  });

  it("falls and honours alpha", () => {
    const falling = [9, 8, 8.5, 7, 6, 6.2, 5];
    expect(mannKendall(falling).trend).toBe("decreasing");
    expect(mannKendall(falling).z).toBeLessThan(0);
    expect(mannKendall([1, 2, 3, 4], { alpha: 0.05 }).trend).toBe("no-trend");
    expect(() => mannKendall([1, 2], { alpha: 0 })).toThrow(/alpha/);
    expect(() => mannKendall([1])).toThrow(/values/);
    expect(() => mannKendall([1, Number.NaN, 2])).toThrow(/values/);
  });

  it("reverses sign when the series is reversed", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 2, maxLength: 40 }), (values) => {
        const a = mannKendall(values);
        const b = mannKendall([...values].reverse());
        expect(b.s + a.s).toBe(0);
        expect(b.varS).toBe(a.varS);
        expect(b.p).toBeCloseTo(a.p, 12);
      }),
    );
  });
});

describe("changePoints (PELT, piecewise linear)", () => {
  it("finds a level shift", () => {
    expect(changePoints([10, 10.2, 9.9, 10.1, 10, 14, 14.1, 13.9, 14.2, 14])).toEqual([5]);
  });

  it("finds a change of slope", () => {
    // Rising 1 a year to the peak at index 7, then falling: the peak may end either segment.
    const values = [1, 2, 3.1, 3.9, 5, 6.1, 7, 8, 7.1, 5.9, 5, 4.1, 3];
    const found = changePoints(values);
    expect(found).toHaveLength(1);
    expect([7, 8]).toContain(found[0]);
  });

  it("finds nothing in a straight or noisy straight line, or a short series", () => {
    expect(changePoints([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual([]);
    expect(changePoints([5, 5.3, 4.8, 5.1, 5.2, 4.9, 5.05, 5.1, 4.95, 5.2])).toEqual([]);
    expect(changePoints([1, 9, 1])).toEqual([]);
    expect(changePoints([])).toEqual([]);
  });

  it("answers 'what happened between 2002 and 2004?'", () => {
    const years = [1998, 1999, 2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008];
    const rate = [30.1, 30.5, 29.8, 30.2, 30.0, 26.1, 22.4, 22.0, 22.3, 21.8, 22.1];
    const shifts = changePoints(rate, { minSegment: 2 }).map((i) => years[i]);
    expect(shifts.length).toBeGreaterThan(0);
    for (const y of shifts) expect(y! >= 2002 && y! <= 2005).toBe(true);
  });

  it("validates its options", () => {
    expect(() => changePoints([1, 2, 3], { minSegment: 1 })).toThrow(/minSegment/);
    expect(() => changePoints([1, 2, 3], { penalty: -1 })).toThrow(/penalty/);
    expect(() => changePoints([1, Number.NaN, 3])).toThrow(/values/);
  });

  it("returns sorted indices that leave segments of at least minSegment points", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { maxLength: 40 }),
        fc.integer({ min: 2, max: 5 }),
        (values, minSegment) => {
          const cps = changePoints(values, { minSegment });
          if (values.length < 2 * minSegment) expect(cps).toEqual([]);
          if (cps.length === 0) return;
          const bounds = [0, ...cps, values.length];
          for (let i = 1; i < bounds.length; i++)
            expect(bounds[i]! - bounds[i - 1]!).toBeGreaterThanOrEqual(minSegment);
        },
      ),
    );
  });
});

describe("rollingAverage", () => {
  it("averages four quarters", () => {
    expect(rollingAverage([1, 2, 3, 4, 5, 6], 4)).toEqual([null, null, null, 2.5, 3.5, 4.5]);
    expect(rollingAverage([1, null, 3, 4, 5], 2)).toEqual([null, null, null, 3.5, 4.5]);
    expect(rollingAverage([], 4)).toEqual([]);
    expect(rollingAverage([7], 1)).toEqual([7]);
  });

  it("sorts points by period and leaves gaps empty", () => {
    const points = [
      { period: "2007 Q2", value: 4 },
      { period: "2006 Q4", value: 2 },
      { period: "2007 Q1", value: 3 },
      { period: "2006 Q3", value: 1 },
      { period: "2007 Q4", value: 6 },
    ];
    expect(rollingAverage(points, 2)).toEqual([
      { period: "2006 Q3", value: null },
      { period: "2006 Q4", value: 1.5 },
      { period: "2007 Q1", value: 2.5 },
      { period: "2007 Q2", value: 3.5 },
      { period: "2007 Q4", value: null },
    ]);
  });

  it("refuses a window that is not a whole number ≥ 1", () => {
    expect(() => rollingAverage([1, 2], 0)).toThrow(/window/);
    expect(() => rollingAverage([1, 2], 1.5)).toThrow(/window/);
  });
});

const polarities: Polarity[] = ["high-is-good", "low-is-good"];
it("recentTrend's judgement is null unless the marker is a significant direction", () => {
  for (const polarity of polarities) {
    for (const c of PHE_TREND_CASES) {
      const r = recentTrend(c.points, { valueType: c.valueType, polarity });
      expect(r.judgement === null).toBe(r.marker !== "increasing" && r.marker !== "decreasing");
    }
  }
});
