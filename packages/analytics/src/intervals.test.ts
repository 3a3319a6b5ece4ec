import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { byarsLower, byarsUpper, meanInterval, proportionInterval, rateInterval } from "./intervals.ts";

/** The printed values carry 16–17 significant digits; agree to 1 part in 10¹². */
function expectClose(actual: number, expected: number, rel = 1e-12): void {
  if (Number.isNaN(expected)) {
    expect(actual).toBeNaN();
    return;
  }
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(Math.abs(expected), 1e-300));
}

// PHEindicatormethods testdata_Byars_Wilson (testdata_B_W): x, n, lower, upper, confidence, method.
const BYARS_WILSON: ReadonlyArray<
  [number, number | null, number | null, number, number, "Byars" | "Wilson"]
> = [
  [65, null, 50.163187710459454, 82.84913854593984, 0.95, "Byars"],
  [1045, null, 982.5932018073325, 1110.33121298565, 0.95, "Byars"],
  [1, null, 0.01307213290150435, 5.5637555824752605, 0.95, "Byars"],
  [65, null, 42.8802614714802, 94.00029084431802, 0.998, "Byars"],
  [1045, null, 947.9407035610374, 1148.806160988033, 0.998, "Byars"],
  [10, null, 2.916318374695686, 24.193724927880535, 0.998, "Byars"],
  [65, 100, 0.5525444329688797, 0.7363575175690247, 0.95, "Wilson"],
  [1045, 5000, 0.19795549880013297, 0.22049130373189027, 0.95, "Wilson"],
  [0.445, 1, 0.04381744772058822, 0.9334621276979156, 0.95, "Wilson"],
  [65, 100, 0.4954946574070431, 0.7783540614089697, 0.998, "Wilson"],
  [1045, 5000, 0.19179381799015244, 0.22731562902525818, 0.998, "Wilson"],
  [0.445, 1, 0.019347006132900975, 0.9702259947019541, 0.998, "Wilson"],
  // Byar's lower limit for 1 event at 99.8% is negative: PHE gives NA.
  [1, null, null, 9.362180217908362, 0.998, "Byars"],
];

// PHEindicatormethods testdata_Proportion (testdata_Prop): numerator, denominator, multiplier,
// value, lower95, upper95, lower99.8, upper99.8.
type Row = [number | null, number | null, number, number, number, number, number, number];
const N = Number.NaN;
const PROPORTIONS: ReadonlyArray<Row> = [
  [1, 100, 1, 0.01, 0.0017674320641406511, 0.054486196178705294, 0.000873065697299977, 0.1045544528370582],
  [5, 100, 1, 0.05, 0.02154367915436798, 0.11175046923191911, 0.013865320725997183, 0.16458852282596442],
  [20, 100, 1, 0.2, 0.1333669333310325, 0.28882916559315885, 0.10519162066711432, 0.3471109417008601],
  [65, 100, 1, 0.65, 0.5525444329688797, 0.7363575175690247, 0.4954946574070431, 0.7783540614089697],
  [
    9856, 12345, 1, 0.7983799108950992, 0.7912101752909069, 0.8053640073614909, 0.7869924108419063,
    0.8093061412589626,
  ],
  [
    7776456, 7564336677, 1, 0.0010280420256339154, 0.0010273201001641094, 0.0010287644578977231,
    0.0010269040118442213, 0.0010291812992698397,
  ],
  [
    222, 3215, 1, 0.06905132192846034, 0.060791690363636595, 0.07833956681383633, 0.05647101964624248,
    0.08418414185270134,
  ],
  [
    999, 3456, 1, 0.2890625, 0.27418951080009873, 0.30440389662818057, 0.26583995768074953,
    0.3134475449279985,
  ],
  [1, 100, 100, 1, 0.1767432064140651, 5.44861961787053, 0.0873065697299977, 10.45544528370582],
  [5, 100, 100, 5, 2.154367915436798, 11.17504692319191, 1.3865320725997183, 16.458852282596443],
  [20, 100, 100, 20, 13.33669333310325, 28.882916559315884, 10.519162066711433, 34.71109417008601],
  [65, 100, 100, 65, 55.25444329688797, 73.63575175690247, 49.54946574070431, 77.83540614089696],
  [
    9856, 12345, 100, 79.83799108950991, 79.1210175290907, 80.53640073614909, 78.69924108419063,
    80.93061412589626,
  ],
  [
    7776456, 7564336677, 100, 0.10280420256339154, 0.10273201001641094, 0.10287644578977231,
    0.10269040118442213, 0.10291812992698397,
  ],
  [
    222, 3215, 100, 6.905132192846033, 6.07916903636366, 7.833956681383633, 5.647101964624248,
    8.418414185270134,
  ],
  [999, 3456, 100, 28.90625, 27.418951080009872, 30.440389662818056, 26.583995768074953, 31.344754492799847],
  [null, 100, 1, N, N, N, N, N],
  [10, null, 1, N, N, N, N, N],
  [null, null, 1, N, N, N, N, N],
];

// PHEindicatormethods testdata_Rate (testdata_Rate): count, population, multiplier, value, lower95,
// upper95, lower99.8, upper99.8, method.
const RATES: ReadonlyArray<[...Row, "exact" | "byars"]> = [
  [
    1,
    100,
    100,
    1,
    0.025317807984289897,
    5.571643390938898,
    0.0010005003335835344,
    9.233413476451585,
    "exact",
  ],
  [5, 100, 100, 5, 1.62348639011842, 11.668332079322669, 0.739371731917839, 16.454745203680105, "exact"],
  [20, 100, 100, 20, 12.211428834875937, 30.889880369197066, 8.922802365144193, 38.08503562504191, "byars"],
  [65, 100, 100, 65, 50.163187710459454, 82.84913854593984, 42.8802614714802, 94.00029084431802, "byars"],
  [
    9856,
    12345,
    100,
    79.83799108950991,
    78.26949058976757,
    81.4300165427214,
    77.37590543271052,
    82.3544727709543,
    "byars",
  ],
  [
    7776456,
    7564336677,
    100,
    0.10280420256339154,
    0.10273196005302074,
    0.10287648334092832,
    0.102690317308454,
    0.10291817639509068,
    "byars",
  ],
  [
    222,
    3215,
    100,
    6.905132192846033,
    6.026574877652675,
    7.87572937087185,
    5.560737695259854,
    8.46104668173341,
    "byars",
  ],
  [
    999,
    3456,
    100,
    28.90625,
    27.14130493609052,
    30.755833237378415,
    26.162147596445767,
    31.845604819822654,
    "byars",
  ],
  [
    1,
    100,
    100000,
    1000,
    25.317807984289896,
    5571.643390938898,
    1.0005003335835343,
    9233.413476451586,
    "exact",
  ],
  [
    5,
    100,
    100000,
    5000,
    1623.4863901184199,
    11668.332079322669,
    739.3717319178389,
    16454.745203680104,
    "exact",
  ],
  [
    20,
    100,
    100000,
    20000,
    12211.428834875936,
    30889.880369197064,
    8922.802365144193,
    38085.03562504191,
    "byars",
  ],
  [
    65,
    100,
    100000,
    65000,
    50163.18771045945,
    82849.13854593984,
    42880.261471480204,
    94000.290844318,
    "byars",
  ],
  [
    9856,
    12345,
    100000,
    79837.99108950992,
    78269.49058976758,
    81430.01654272141,
    77375.90543271053,
    82354.47277095431,
    "byars",
  ],
  [
    7776456,
    7564336677,
    100000,
    102.80420256339154,
    102.73196005302074,
    102.87648334092832,
    102.690317308454,
    102.91817639509068,
    "byars",
  ],
  [
    222,
    3215,
    100000,
    6905.132192846034,
    6026.574877652674,
    7875.729370871851,
    5560.737695259853,
    8461.04668173341,
    "byars",
  ],
  [
    999,
    3456,
    100000,
    28906.25,
    27141.30493609052,
    30755.833237378414,
    26162.147596445768,
    31845.604819822653,
    "byars",
  ],
  [null, 100, 100000, N, N, N, N, N, "exact"],
  [10, null, 100000, N, N, N, N, N, "byars"],
  [null, null, 100000, N, N, N, N, N, "exact"],
  // Area12: more events than population is allowed for a rate.
  [
    250,
    220,
    100000,
    113636.36363636365,
    99984.94738532876,
    128631.14487455782,
    92710.00554438953,
    137651.23772147458,
    "byars",
  ],
];

describe("Byar's and Wilson limits (PHEindicatormethods testdata_Byars_Wilson)", () => {
  it.each(BYARS_WILSON)("x = %s, n = %s", (x, n, lower, upper, confidence, method) => {
    if (method === "Byars") {
      expectClose(byarsLower(x, confidence), lower ?? Number.NaN);
      expectClose(byarsUpper(x, confidence), upper);
    } else {
      const r = proportionInterval(x, n, { confidence });
      expectClose(r.lower, lower ?? Number.NaN);
      expectClose(r.upper, upper);
    }
  });
});

describe("proportionInterval (PHEindicatormethods testdata_Proportion)", () => {
  it.each(PROPORTIONS)("%s / %s × %s", (x, n, multiplier, value, l95, u95, l998, u998) => {
    const r95 = proportionInterval(x, n, { multiplier });
    const r998 = proportionInterval(x, n, { multiplier, confidence: 99.8 });
    expect(r95.method).toBe("wilson");
    expectClose(r95.value, value);
    expectClose(r95.lower, l95);
    expectClose(r95.upper, u95);
    expectClose(r998.lower, l998);
    expectClose(r998.upper, u998);
  });

  it("gives exactly 0 for no events and exactly the multiplier when all are events", () => {
    const z = 1.959963984540054;
    const none = proportionInterval(0, 50);
    expect(none.value).toBe(0);
    expect(none.lower).toBe(0);
    expectClose(none.upper, (z * z) / (50 + z * z));
    const all = proportionInterval(50, 50, { multiplier: 100 });
    expect(all.value).toBe(100);
    expect(all.upper).toBe(100);
    expect(all.lower).toBeGreaterThan(90);
    expect(all.lower).toBeLessThan(100);
  });

  it("gives 0 to 1 at 100% confidence", () => {
    expect(proportionInterval(3, 10, { confidence: 1 })).toEqual({
      value: 0.3,
      lower: 0,
      upper: 1,
      method: "wilson",
    });
  });

  it("reads confidence as a fraction or a percentage", () => {
    expect(proportionInterval(65, 100, { confidence: 95 })).toEqual(
      proportionInterval(65, 100, { confidence: 0.95 }),
    );
    expect(proportionInterval(65, 100)).toEqual(proportionInterval(65, 100, { confidence: 0.95 }));
  });

  it("refuses invalid input with a RangeError naming the argument", () => {
    expect(() => proportionInterval(-1, 10)).toThrow(/numerator/);
    expect(() => proportionInterval(11, 10)).toThrow(/numerator/);
    expect(() => proportionInterval(1, 0)).toThrow(/denominator/);
    expect(() => proportionInterval(1, -5)).toThrow(/denominator/);
    expect(() => proportionInterval(Number.NaN, 10)).toThrow(RangeError);
    expect(() => proportionInterval(1, 10, { confidence: 0.8 })).toThrow(/confidence/);
    expect(() => proportionInterval(1, 10, { confidence: 101 })).toThrow(/confidence/);
    expect(() => proportionInterval(1, 10, { confidence: 50 })).toThrow(RangeError);
    expect(() => proportionInterval(1, 10, { multiplier: 0 })).toThrow(/multiplier/);
  });
});

describe("rateInterval (PHEindicatormethods testdata_Rate)", () => {
  it.each(RATES)("%s / %s × %s", (x, n, multiplier, value, l95, u95, l998, u998, method) => {
    const r95 = rateInterval(x, n, { multiplier });
    const r998 = rateInterval(x, n, { multiplier, confidence: 0.998 });
    expect(r95.method).toBe(method);
    expectClose(r95.value, value);
    expectClose(r95.lower, l95);
    expectClose(r95.upper, u95);
    expectClose(r998.lower, l998);
    expectClose(r998.upper, u998);
  });

  it("uses the exact method below 10 events and Byar's from 10", () => {
    expect(rateInterval(9.99, 1000).method).toBe("exact");
    expect(rateInterval(10, 1000).method).toBe("byars");
  });

  it("gives 0 to qchisq(0.975, 2)/2 = 3.688879 events for a zero count (PHE methods note)", () => {
    const r = rateInterval(0, 1000);
    expect(r).toMatchObject({ value: 0, lower: 0, method: "exact" });
    expect(r.upper).toBeCloseTo((3.688879 / 1000) * 100000, 3);
  });

  it("defaults to a rate per 100,000", () => {
    expect(rateInterval(20, 100).value).toBe(20000);
  });

  it("refuses invalid input with a RangeError naming the argument", () => {
    expect(() => rateInterval(-1, 10)).toThrow(/count/);
    expect(() => rateInterval(1, 0)).toThrow(/population/);
    expect(() => rateInterval(1, 10, { confidence: 0.5 })).toThrow(/confidence/);
  });
});

describe("meanInterval", () => {
  it("matches the Student's t formula with qt(0.975, 3) = 3.182446305284263", () => {
    // [1, 2, 3, 4]: mean 2.5, sample sd √(5/3).
    const r = meanInterval([1, 2, 3, 4]);
    const half = (3.182446305284263 * Math.sqrt(5 / 3)) / 2;
    expect(r.method).toBe("student-t");
    expectClose(r.value, 2.5);
    expectClose(r.lower, 2.5 - half, 1e-9);
    expectClose(r.upper, 2.5 + half, 1e-9);
  });

  it("uses qt(0.999, 9) = 4.296806 at 99.8%", () => {
    const values = [3, 5, 4, 6, 8, 7, 5, 4, 6, 2];
    const mean = 5;
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / 9);
    const r = meanInterval(values, { confidence: 99.8 });
    expect(r.upper - r.value).toBeCloseTo((4.296806 * sd) / Math.sqrt(10), 5);
  });

  it("gives a zero-width interval for identical values", () => {
    expect(meanInterval([7, 7, 7])).toEqual({ value: 7, lower: 7, upper: 7, method: "student-t" });
  });

  it("refuses fewer than 2 values and non-numbers", () => {
    expect(() => meanInterval([1])).toThrow(/values/);
    expect(() => meanInterval([])).toThrow(/values/);
    expect(() => meanInterval([1, Number.NaN])).toThrow(/values/);
  });
});

describe("interval properties", () => {
  const counts = fc
    .tuple(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 1_000_000 }))
    .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);
  const level = fc.double({ min: 0.9, max: 0.9999, noNaN: true });

  it("lower ≤ value ≤ upper", () => {
    fc.assert(
      fc.property(counts, level, ([x, n], c) => {
        for (const r of [
          proportionInterval(x, n, { confidence: c }),
          rateInterval(x, n, { confidence: c }),
        ]) {
          expect(r.lower).toBeLessThanOrEqual(r.value);
          expect(r.value).toBeLessThanOrEqual(r.upper);
        }
      }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 30 }),
        level,
        (v, c) => {
          const r = meanInterval(v, { confidence: c });
          expect(r.lower).toBeLessThanOrEqual(r.value + 1e-9 * Math.abs(r.value));
          expect(r.value).toBeLessThanOrEqual(r.upper + 1e-9 * Math.abs(r.value));
        },
      ),
    );
  });

  it("intervals widen as confidence rises", () => {
    // Levels a hair apart (0.99989999999999880 vs …96) can differ in the last bit the other way;
    // allow that rounding (1e-12 relative), nothing more.
    const slack = (v: number) => Math.abs(v) * 1e-12;
    fc.assert(
      fc.property(counts, level, level, ([x, n], a, b) => {
        const [lo, hi] = a < b ? [a, b] : [b, a];
        const p1 = proportionInterval(x, n, { confidence: lo });
        const p2 = proportionInterval(x, n, { confidence: hi });
        expect(p2.lower).toBeLessThanOrEqual(p1.lower + slack(p1.lower));
        expect(p2.upper).toBeGreaterThanOrEqual(p1.upper - slack(p1.upper));
        const r1 = rateInterval(x, n, { confidence: lo });
        const r2 = rateInterval(x, n, { confidence: hi });
        expect(r2.lower).toBeLessThanOrEqual(r1.lower + slack(r1.lower));
        expect(r2.upper).toBeGreaterThanOrEqual(r1.upper - slack(r1.upper));
      }),
      // The counterexample that showed the rounding, kept as a regression case.
      { examples: [[[994289, 998105], 0.9998999999999988, 0.9998999999999996]] },
    );
  });
});
