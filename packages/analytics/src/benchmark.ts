import type { Polarity } from "@fivestep/domain";
import { normaliseConfidence, twoSidedZ } from "./confidence.ts";

/**
 * How a value compares with a benchmark: judged ('better' | 'similar' | 'worse') when the indicator
 * has a polarity, unjudged ('higher' | 'similar' | 'lower') for "no-judgement", or 'not-compared'.
 *
 * @example const c: BenchmarkComparison = "similar";
 */
export type BenchmarkComparison = "better" | "similar" | "worse" | "higher" | "lower" | "not-compared";

const absent = (v: number | null | undefined): boolean =>
  v === null || v === undefined || typeof v !== "number" || !Number.isFinite(v);

function judge(direction: "higher" | "lower", polarity: Polarity): BenchmarkComparison {
  if (polarity === "no-judgement") return direction;
  return (direction === "higher") === (polarity === "high-is-good") ? "better" : "worse";
}

function checkPolarity(polarity: Polarity, fn: string): void {
  if (polarity !== "high-is-good" && polarity !== "low-is-good" && polarity !== "no-judgement") {
    throw new RangeError(`${fn}: polarity must be "high-is-good", "low-is-good" or "no-judgement"`);
  }
}

/**
 * Fingertips' confidence-interval comparison: 'similar' when the benchmark lies within the value's
 * limits (inclusive), otherwise higher or lower, judged by polarity. Missing limits, value or
 * benchmark give 'not-compared'.
 *
 * @example
 * compareWithBenchmark({ value: 30, lower: 28, upper: 32 }, 25, "low-is-good") // "worse"
 * compareWithBenchmark({ value: 30, lower: 28, upper: 32 }, 25, "no-judgement") // "higher"
 * compareWithBenchmark({ value: 30, lower: null, upper: null }, 25, "high-is-good") // "not-compared"
 */
export function compareWithBenchmark(
  interval: { value: number | null; lower?: number | null; upper?: number | null },
  benchmarkValue: number | null,
  polarity: Polarity,
): BenchmarkComparison {
  checkPolarity(polarity, "compareWithBenchmark");
  const { value, lower, upper } = interval;
  if (absent(value) || absent(lower) || absent(upper) || absent(benchmarkValue)) return "not-compared";
  const b = benchmarkValue as number;
  if ((lower as number) <= b && b <= (upper as number)) return "similar";
  return judge((upper as number) < b ? "lower" : "higher", polarity);
}

/** Options of `compareProportionWithBenchmark`. @example const o: SpcOptions = { polarity: "high-is-good", multiplier: 100 }; */
export type SpcOptions = {
  polarity?: Polarity;
  /** 0.95 by default; Fingertips also uses 0.998. */
  confidence?: number;
  /** The scale of `benchmarkValue` (100 when it is a percentage); default 1. */
  multiplier?: number;
};

/**
 * Fingertips' "SPC for proportions" comparison: control limits are the Wilson interval of the
 * count expected at the benchmark proportion, E = n·p₀, over n; the area's proportion x/n is
 * 'higher' above the upper limit, 'lower' below the lower one, 'similar' otherwise, then judged by
 * polarity. `benchmarkValue` is on the `multiplier` scale. Missing inputs give 'not-compared'.
 *
 * @example
 * compareProportionWithBenchmark({ numerator: 65, denominator: 100 }, 50, { polarity: "high-is-good", multiplier: 100 }) // "better"
 * @throws RangeError naming the argument: numerator < 0 or above the denominator, denominator ≤ 0,
 * benchmarkValue outside 0–multiplier, or a bad confidence or multiplier.
 */
export function compareProportionWithBenchmark(
  data: { numerator: number | null; denominator: number | null },
  benchmarkValue: number | null,
  options: SpcOptions = {},
): BenchmarkComparison {
  const fn = "compareProportionWithBenchmark";
  const polarity = options.polarity ?? "no-judgement";
  checkPolarity(polarity, fn);
  const level = normaliseConfidence(options.confidence);
  const multiplier = options.multiplier ?? 1;
  if (!(multiplier > 0) || !Number.isFinite(multiplier)) {
    throw new RangeError(`${fn}: multiplier must be a positive finite number (got ${String(multiplier)})`);
  }
  const { numerator: x, denominator: n } = data;
  if (absent(x) || absent(n) || absent(benchmarkValue)) return "not-compared";
  if ((x as number) < 0) throw new RangeError(`${fn}: numerator must be ≥ 0 (got ${x})`);
  if ((n as number) <= 0) throw new RangeError(`${fn}: denominator must be > 0 (got ${n})`);
  if ((x as number) > (n as number)) {
    throw new RangeError(`${fn}: numerator (${x}) must not exceed denominator (${n})`);
  }
  const p0 = (benchmarkValue as number) / multiplier;
  if (p0 < 0 || p0 > 1) {
    throw new RangeError(
      `${fn}: benchmarkValue must lie between 0 and the multiplier (got ${benchmarkValue})`,
    );
  }
  const p1 = (x as number) / (n as number);
  const nn = n as number;
  const expected = nn * p0;
  let lower = 0;
  let upper = 1;
  if (level < 1) {
    const z = twoSidedZ(level);
    const z2 = z * z;
    const b = z * Math.sqrt(z2 + 4 * expected * (1 - expected / nn));
    const a = 2 * expected + z2;
    const c = 2 * (nn + z2);
    lower = (a - b) / c;
    upper = (a + b) / c;
  }
  if (upper < p1) return judge("higher", polarity);
  if (lower > p1) return judge("lower", polarity);
  return "similar";
}

/**
 * Quantile groups as PHEindicatormethods' `phe_quantile`: with N non-missing values ranked
 * ascending (ties take the lowest rank), group = floor((q + 1) − ceil((N + 1 − rank) / (N / q))),
 * 0 becoming 1. Ranking is on −value for "low-is-good", so group 1 always holds the worst values
 * (the lowest values for "no-judgement"). Missing values, and every value when N < q, get null.
 *
 * @example quantileGroups([10, 20, 30, 40, 50], 5, "high-is-good") // [1, 2, 3, 4, 5]
 * @example quantileGroups([10, 20, 30, 40, 50], 5, "low-is-good") // [5, 4, 3, 2, 1]
 * @throws RangeError naming `q` unless it is a whole number ≥ 1.
 */
export function quantileGroups(
  values: ReadonlyArray<number | null | undefined>,
  q: number,
  polarity: Polarity,
): Array<number | null> {
  checkPolarity(polarity, "quantileGroups");
  if (!Number.isInteger(q) || q < 1)
    throw new RangeError(`quantileGroups: q must be a whole number ≥ 1 (got ${q})`);
  const invert = polarity === "low-is-good";
  const present: Array<{ index: number; key: number }> = [];
  values.forEach((v, index) => {
    if (!absent(v)) present.push({ index, key: invert ? -(v as number) : (v as number) });
  });
  const result: Array<number | null> = values.map(() => null);
  const N = present.length;
  if (N < q || N === 0) return result;
  present.sort((a, b) => a.key - b.key);
  let rank = 1;
  for (let i = 0; i < N; i++) {
    const item = present[i]!;
    if (i > 0 && item.key !== present[i - 1]!.key) rank = i + 1;
    const group = Math.floor(q + 1 - Math.ceil((N + 1 - rank) / (N / q)));
    result[item.index] = group === 0 ? 1 : group;
  }
  return result;
}

/**
 * An interval at another confidence level, from one stored at `from` (usually a publisher's 95%
 * limits, when counts are not available to compute the other level exactly): each side's distance
 * from the value is scaled by the ratio of the two levels' normal quantiles (3.090 / 1.960 from
 * 95% to 99.8%), which keeps an asymmetric interval (Wilson, Byar's) asymmetric. This is the
 * normal approximation; where counts exist, compute the interval at the level itself instead.
 * Missing value or limits give null limits.
 *
 * @example
 * rescaleInterval({ value: 80, lower: 78, upper: 82 }, 0.95, 0.998) // { value: 80, lower: ≈76.85, upper: ≈83.15 }
 */
export function rescaleInterval(
  interval: { value: number | null; lower?: number | null; upper?: number | null },
  from: number,
  to: number,
): { value: number | null; lower: number | null; upper: number | null } {
  const { value, lower, upper } = interval;
  if (absent(value) || absent(lower) || absent(upper))
    return { value: value ?? null, lower: null, upper: null };
  const ratio = twoSidedZ(normaliseConfidence(to)) / twoSidedZ(normaliseConfidence(from));
  const v = value as number;
  return { value: v, lower: v - (v - (lower as number)) * ratio, upper: v + ((upper as number) - v) * ratio };
}
