import type { Polarity } from "@fivestep/domain";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compareProportionWithBenchmark,
  compareWithBenchmark,
  quantileGroups,
  rescaleInterval,
} from "./benchmark.ts";
import { proportionInterval } from "./intervals.ts";

const SWAP = {
  better: "worse",
  worse: "better",
  similar: "similar",
  "not-compared": "not-compared",
} as const;

describe("compareWithBenchmark (Fingertips confidence-interval rule)", () => {
  it("judges by polarity when the benchmark lies outside the limits", () => {
    const above = { value: 30, lower: 28, upper: 32 };
    expect(compareWithBenchmark(above, 25, "high-is-good")).toBe("better");
    expect(compareWithBenchmark(above, 25, "low-is-good")).toBe("worse");
    expect(compareWithBenchmark(above, 25, "no-judgement")).toBe("higher");
    expect(compareWithBenchmark(above, 35, "high-is-good")).toBe("worse");
    expect(compareWithBenchmark(above, 35, "no-judgement")).toBe("lower");
  });

  it("is similar when the benchmark is within the limits, limits included", () => {
    const v = { value: 30, lower: 28, upper: 32 };
    expect(compareWithBenchmark(v, 30, "high-is-good")).toBe("similar");
    expect(compareWithBenchmark(v, 28, "high-is-good")).toBe("similar");
    expect(compareWithBenchmark(v, 32, "low-is-good")).toBe("similar");
  });

  it("does not compare when limits, value or benchmark are missing", () => {
    expect(compareWithBenchmark({ value: 30, lower: null, upper: 32 }, 25, "high-is-good")).toBe(
      "not-compared",
    );
    expect(compareWithBenchmark({ value: 30, lower: 28, upper: undefined }, 25, "high-is-good")).toBe(
      "not-compared",
    );
    expect(compareWithBenchmark({ value: 30 }, 25, "high-is-good")).toBe("not-compared");
    expect(compareWithBenchmark({ value: null, lower: 1, upper: 2 }, 25, "high-is-good")).toBe(
      "not-compared",
    );
    expect(compareWithBenchmark({ value: 30, lower: 28, upper: 32 }, null, "high-is-good")).toBe(
      "not-compared",
    );
    expect(compareWithBenchmark({ value: 30, lower: Number.NaN, upper: 32 }, 25, "high-is-good")).toBe(
      "not-compared",
    );
  });

  it("swapping polarity swaps better and worse", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e3, noNaN: true }),
        fc.double({ min: 0, max: 1e3, noNaN: true }),
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        (value, below, above, benchmark) => {
          const interval = { value, lower: value - below, upper: value + above };
          const high = compareWithBenchmark(interval, benchmark, "high-is-good");
          const low = compareWithBenchmark(interval, benchmark, "low-is-good");
          expect(low).toBe(SWAP[high as keyof typeof SWAP]);
        },
      ),
    );
  });
});

describe("compareProportionWithBenchmark (Fingertips SPC for proportions)", () => {
  it("compares with the Wilson limits of the count expected at the benchmark", () => {
    // England 50%, area 65/100: the limits around 50 expected of 100 are 40.4%–59.6% at 95%.
    const limits = proportionInterval(50, 100);
    expect(limits.lower).toBeCloseTo(0.40383, 4);
    expect(
      compareProportionWithBenchmark({ numerator: 65, denominator: 100 }, 0.5, { polarity: "high-is-good" }),
    ).toBe("better");
    expect(
      compareProportionWithBenchmark({ numerator: 65, denominator: 100 }, 50, {
        polarity: "low-is-good",
        multiplier: 100,
      }),
    ).toBe("worse");
    expect(
      compareProportionWithBenchmark({ numerator: 55, denominator: 100 }, 0.5, { polarity: "high-is-good" }),
    ).toBe("similar");
    expect(compareProportionWithBenchmark({ numerator: 35, denominator: 100 }, 0.5)).toBe("lower");
  });

  it("is stricter at 99.8% than at 95%", () => {
    const data = { numerator: 61, denominator: 100 };
    expect(compareProportionWithBenchmark(data, 0.5, { polarity: "high-is-good" })).toBe("better");
    expect(compareProportionWithBenchmark(data, 0.5, { polarity: "high-is-good", confidence: 99.8 })).toBe(
      "similar",
    );
  });

  it("handles zero counts and numerator equal to denominator", () => {
    expect(
      compareProportionWithBenchmark({ numerator: 0, denominator: 200 }, 0.2, { polarity: "low-is-good" }),
    ).toBe("better");
    expect(
      compareProportionWithBenchmark({ numerator: 200, denominator: 200 }, 0.2, { polarity: "low-is-good" }),
    ).toBe("worse");
    // A benchmark of 0 expects no events: its lower limit is 0, so no events is not below it.
    expect(
      compareProportionWithBenchmark({ numerator: 0, denominator: 50 }, 0, { polarity: "low-is-good" }),
    ).toBe("similar");
    // A benchmark of 1 expects all events: its upper limit is 1.
    expect(
      compareProportionWithBenchmark({ numerator: 50, denominator: 50 }, 1, { polarity: "low-is-good" }),
    ).toBe("similar");
  });

  it("does not compare missing data and refuses impossible data", () => {
    expect(compareProportionWithBenchmark({ numerator: null, denominator: 10 }, 0.5)).toBe("not-compared");
    expect(compareProportionWithBenchmark({ numerator: 1, denominator: 10 }, null)).toBe("not-compared");
    expect(() => compareProportionWithBenchmark({ numerator: 11, denominator: 10 }, 0.5)).toThrow(
      /numerator/,
    );
    expect(() => compareProportionWithBenchmark({ numerator: 1, denominator: 0 }, 0.5)).toThrow(
      /denominator/,
    );
    expect(() => compareProportionWithBenchmark({ numerator: 1, denominator: 10 }, 1.5)).toThrow(
      /benchmarkValue/,
    );
    expect(() =>
      compareProportionWithBenchmark({ numerator: 1, denominator: 10 }, 0.5, { confidence: 80 }),
    ).toThrow(/confidence/);
  });

  it("swapping polarity swaps better and worse", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, share, p0) => {
          const data = { numerator: Math.round(share * n), denominator: n };
          const high = compareProportionWithBenchmark(data, p0, { polarity: "high-is-good" });
          const low = compareProportionWithBenchmark(data, p0, { polarity: "low-is-good" });
          expect(low).toBe(SWAP[high as keyof typeof SWAP]);
        },
      ),
    );
  });
});

describe("quantileGroups (as PHEindicatormethods phe_quantile)", () => {
  it("puts the worst values in group 1", () => {
    expect(quantileGroups([10, 20, 30, 40, 50], 5, "high-is-good")).toEqual([1, 2, 3, 4, 5]);
    expect(quantileGroups([10, 20, 30, 40, 50], 5, "low-is-good")).toEqual([5, 4, 3, 2, 1]);
    expect(quantileGroups([50, 10, 40, 20, 30], 5, "no-judgement")).toEqual([5, 1, 4, 2, 3]);
  });

  it("follows floor((q + 1) − ceil((N + 1 − rank)/(N/q))) for uneven groups", () => {
    // N = 7, q = 4: N/q = 1.75; ranks 1…7 → ceil((8 − r)/1.75) = 4, 4, 3, 3, 2, 2, 1 → groups 1, 1, 2, 2, 3, 3, 4.
    expect(quantileGroups([1, 2, 3, 4, 5, 6, 7], 4, "high-is-good")).toEqual([1, 1, 2, 2, 3, 3, 4]);
    // Deciles of 12 values: N/q = 1.2; (13 − r)/1.2 = 10, 9.17, 8.33, 7.5, 6.67, 5.83, 5, 4.17, 3.33, 2.5,
    // 1.67, 0.83 → ceil 10, 10, 9, 8, 7, 6, 5, 5, 4, 3, 2, 1 → groups 11 − ceil.
    const deciles = quantileGroups([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 10, "high-is-good");
    expect(deciles).toEqual([1, 1, 2, 3, 4, 5, 6, 6, 7, 8, 9, 10]);
  });

  it("gives ties the lowest rank", () => {
    // Ranks 1, 2, 2, 4 → groups by N/q = 2: ceil((5 − r)/2) = 2, 2, 2, 1 → 1, 1, 1, 2.
    expect(quantileGroups([5, 7, 7, 9], 2, "high-is-good")).toEqual([1, 1, 1, 2]);
    expect(quantileGroups([5, 5, 5, 5], 2, "high-is-good")).toEqual([1, 1, 1, 1]);
  });

  it("leaves missing values out and gives null to all when N < q", () => {
    expect(quantileGroups([3, null, 1, Number.NaN, 2], 3, "high-is-good")).toEqual([3, null, 1, null, 2]);
    expect(quantileGroups([1, 2, null], 3, "high-is-good")).toEqual([null, null, null]);
    expect(quantileGroups([], 4, "high-is-good")).toEqual([]);
    expect(() => quantileGroups([1, 2], 0, "high-is-good")).toThrow(/q must/);
  });

  it("reverses groups when polarity is swapped, for distinct values", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 10 }),
        (values, q) => {
          const high = quantileGroups(values, q, "high-is-good");
          const low = quantileGroups(values, q, "low-is-good");
          if (values.length % q === 0) {
            high.forEach((g, i) => {
              expect(low[i]).toBe(g === null ? null : q + 1 - g);
            });
          }
          for (const g of high) if (g !== null) expect(g >= 1 && g <= q).toBe(true);
        },
      ),
    );
  });
});

const polarities: Polarity[] = ["high-is-good", "low-is-good", "no-judgement"];
it("refuses an unknown polarity", () => {
  for (const p of polarities)
    expect(() => compareWithBenchmark({ value: 1, lower: 0, upper: 2 }, 1, p)).not.toThrow();
  expect(() => compareWithBenchmark({ value: 1, lower: 0, upper: 2 }, 1, "up" as Polarity)).toThrow(
    /polarity/,
  );
});

describe("rescaleInterval", () => {
  it("scales each side by the ratio of the two levels' normal quantiles, keeping asymmetry", () => {
    const r = rescaleInterval({ value: 80, lower: 78, upper: 83 }, 0.95, 0.998);
    const ratio = 3.090232306167813 / 1.959963984540054;
    expect(r.value).toBe(80);
    expect(r.lower).toBeCloseTo(80 - 2 * ratio, 10);
    expect(r.upper).toBeCloseTo(80 + 3 * ratio, 10);
    const back = rescaleInterval(r, 99.8, 95);
    expect(back.lower).toBeCloseTo(78, 10);
    expect(back.upper).toBeCloseTo(83, 10);
  });

  it("comes close to the Wilson 99.8% interval computed from the counts when the sample is large", () => {
    for (const [x, n] of [
      [650, 1000],
      [1200, 5000],
      [48_000, 60_000],
    ] as const) {
      const at95 = proportionInterval(x, n, { multiplier: 100 });
      const exact = proportionInterval(x, n, { confidence: 99.8, multiplier: 100 });
      const scaled = rescaleInterval(at95, 0.95, 0.998);
      // Within a twentieth of the 99.8% interval's width.
      const tolerance = (exact.upper - exact.lower) / 20;
      expect(Math.abs((scaled.lower as number) - exact.lower)).toBeLessThan(tolerance);
      expect(Math.abs((scaled.upper as number) - exact.upper)).toBeLessThan(tolerance);
    }
  });

  it("gives no limits when the value or a limit is missing", () => {
    expect(rescaleInterval({ value: 80, lower: null, upper: 82 }, 0.95, 0.998)).toEqual({
      value: 80,
      lower: null,
      upper: null,
    });
    expect(rescaleInterval({ value: null, lower: 1, upper: 2 }, 0.95, 0.998).lower).toBeNull();
  });
});
