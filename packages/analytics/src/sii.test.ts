import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type SiiOptions, type SiiQuantile, slopeIndexOfInequality } from "./sii.ts";

type Case = {
  case: string;
  records: string;
  description: string;
  options: {
    valueType: 0 | 1 | 2;
    se?: boolean;
    count?: boolean;
    confidence?: number;
    multiplier?: number;
    transform?: boolean;
  };
  quantiles: Array<{
    population: number;
    count: number | null;
    value: number;
    lower: number;
    upper: number;
    se: number;
  }>;
  expected: {
    sii: number;
    rii: number;
    siiLower: number | null;
    siiUpper: number | null;
    riiLower: number | null;
    riiUpper: number | null;
    intercept: number | null;
  };
};

/** PHEindicatormethods' SII test cases (see fixtures/README.md). */
const cases = JSON.parse(
  readFileSync(new URL("./fixtures/phe-sii-cases.json", import.meta.url), "utf8"),
) as Case[];
const VALUE_TYPES = ["other", "rate", "proportion"] as const;

function run(c: Case, extra: Partial<SiiOptions> = {}) {
  const quantiles: SiiQuantile[] = c.quantiles.map((q) => ({
    population: q.population,
    ...(c.options.count ? { count: q.count } : { value: q.value }),
    ...(c.options.se ? { se: q.se } : { lower: q.lower, upper: q.upper }),
  }));
  return slopeIndexOfInequality(quantiles, {
    valueType: VALUE_TYPES[c.options.valueType],
    transform: c.options.transform ?? false,
    multiplier: c.options.multiplier ?? 1,
    confidence: c.options.confidence ?? 0.95,
    ...extra,
  });
}

describe("slopeIndexOfInequality", () => {
  it.each(cases.map((c) => [`${c.case} (records ${c.records})`, c] as const))(
    "reproduces phe_sii's SII, RII and intercept exactly: %s",
    (_, c) => {
      const got = run(c, { repetitions: 1000 });
      expect(got.sii).toBeCloseTo(c.expected.sii, 9);
      expect(got.rii).toBeCloseTo(c.expected.rii, 9);
      if (c.expected.intercept !== null) expect(got.intercept).toBeCloseTo(c.expected.intercept, 9);
    },
  );

  // The limits come from simulated draws, in R (100,000) and here (25,000, to keep the suite quick)
  // alike, from different generators. testSII.R accepts a mean relative difference of 5% over its
  // columns; each limit here must be within 3% of the interval's width (for the RII, of the RII
  // interval's width) of phe_sii's. With the default seed the largest difference is 1.3%, and over
  // seeds 1 to 5 it was at most 1.5% (0.8% with 100,000 draws).
  it.each(
    cases
      .filter((c) => c.expected.siiLower !== null)
      .map((c) => [`${c.case} (records ${c.records})`, c] as const),
  )("reproduces phe_sii's simulated limits to simulation error: %s", (_, c) => {
    const e = c.expected as Required<{ [K in keyof Case["expected"]]: number }>;
    const got = run(c, { repetitions: 25_000 });
    const width = Math.abs(e.siiUpper - e.siiLower);
    expect(Math.abs(got.lower - e.siiLower)).toBeLessThan(0.03 * width);
    expect(Math.abs(got.upper - e.siiUpper)).toBeLessThan(0.03 * width);
    const riiWidth = Math.abs(e.riiUpper - e.riiLower);
    expect(Math.abs(got.riiLower - e.riiLower)).toBeLessThan(0.03 * riiWidth);
    expect(Math.abs(got.riiUpper - e.riiUpper)).toBeLessThan(0.03 * riiWidth);
    expect(got.lower).toBeLessThan(got.sii);
    expect(got.upper).toBeGreaterThan(got.sii);
  });

  it("gives the same limits for the same seed, every time", () => {
    const c = cases[0] as Case;
    expect(run(c, { repetitions: 2000 })).toEqual(run(c, { repetitions: 2000 }));
    expect(run(c, { repetitions: 2000, seed: 2 }).lower).not.toBe(run(c, { repetitions: 2000 }).lower);
  });

  it("refuses what phe_sii refuses, naming it", () => {
    const c = cases[0] as Case;
    const q = c.quantiles.map((x) => ({ population: x.population, value: x.value, se: x.se }));
    expect(() => slopeIndexOfInequality(q.slice(0, 4))).toThrow(/between 5 and 100/);
    expect(() => slopeIndexOfInequality(q, { repetitions: 999 })).toThrow(/repetitions/);
    expect(() => slopeIndexOfInequality(q, { transform: true })).toThrow(/transform/);
    expect(() => slopeIndexOfInequality(q.map((x, i) => (i === 3 ? { ...x, population: 0 } : x)))).toThrow(
      /quantiles\[3\]\.population/,
    );
    expect(() => slopeIndexOfInequality(q.map(({ se: _, ...x }) => x))).toThrow(
      /needs se, or lower and upper/,
    );
    expect(() => slopeIndexOfInequality(q, { confidence: 0.5 })).toThrow(/confidence/);
    expect(() => slopeIndexOfInequality(q, { valueType: "proportion" })).toThrow(/between 0 and 1/);
  });
});
