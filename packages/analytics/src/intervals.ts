import chisquareQuantile from "@stdlib/stats-base-dists-chisquare-quantile";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { normaliseConfidence, requireFinite, twoSidedZ, zForOption } from "./confidence.ts";

/** A value with its confidence limits. @example const i: Interval = { value: 0.65, lower: 0.55, upper: 0.74 }; */
export type Interval = { value: number; lower: number; upper: number };

/** Options of `proportionInterval`. @example const o: ProportionOptions = { confidence: 99.8, multiplier: 100 }; */
export type ProportionOptions = { confidence?: number; multiplier?: number };
/** Options of `rateInterval`. @example const o: RateOptions = { confidence: 0.95, multiplier: 1000 }; */
export type RateOptions = { confidence?: number; multiplier?: number };
/** Options of `meanInterval`. @example const o: MeanOptions = { confidence: 0.998 }; */
export type MeanOptions = { confidence?: number };

/** The result of `proportionInterval`. @example const r: ProportionInterval = proportionInterval(65, 100); */
export type ProportionInterval = Interval & { method: "wilson" };
/** The result of `rateInterval`. @example const r: RateInterval = rateInterval(5, 100); */
export type RateInterval = Interval & { method: "exact" | "byars" };
/** The result of `meanInterval`. @example const r: MeanInterval = meanInterval([1, 2, 3]); */
export type MeanInterval = Interval & { method: "student-t" };

const NO_OPTIONS: ProportionOptions = {};

const isMissing = (v: number | null | undefined): v is null | undefined => v === null || v === undefined;

function multiplierOf(multiplier: number | undefined, fallback: number, fn: string): number {
  if (multiplier === undefined) return fallback;
  if (typeof multiplier !== "number" || !Number.isFinite(multiplier) || multiplier <= 0) {
    throw new RangeError(`${fn}: multiplier must be a positive finite number (got ${String(multiplier)})`);
  }
  return multiplier;
}

/**
 * A proportion with its Wilson score interval, as PHEindicatormethods' `phe_proportion`:
 * limits (2x + z² ∓ z·√(z² + 4x(1 − x/n))) / (2(n + z²)), all scaled by `multiplier`
 * (1 for a proportion, 100 for a percentage). x = 0 gives a lower limit of exactly 0 and
 * x = n an upper limit of exactly 1 × multiplier; a confidence of 100% gives 0 to 1.
 * A missing (null) numerator or denominator gives NaN for the value and limits, as PHE's NA.
 *
 * @example
 * proportionInterval(65, 100) // { value: 0.65, lower: 0.55254…, upper: 0.73636…, method: "wilson" }
 * proportionInterval(65, 100, { confidence: 99.8, multiplier: 100 }).upper // 77.835…
 * @throws RangeError naming the argument: numerator < 0, denominator ≤ 0, numerator > denominator,
 * a confidence outside 90–100%, or a multiplier ≤ 0.
 */
export function proportionInterval(
  numerator: number | null,
  denominator: number | null,
  options: ProportionOptions = NO_OPTIONS,
): ProportionInterval {
  // Hot path kept small so that it inlines: one cached z, one combined validity test.
  const z = zForOption(options.confidence);
  const m = options.multiplier;
  const multiplier = m === undefined ? 1 : m;
  const x = numerator as number;
  const n = denominator as number;
  if (
    typeof numerator !== "number" ||
    typeof denominator !== "number" ||
    !(x >= 0 && x <= n && n > 0 && n < Number.POSITIVE_INFINITY) ||
    !(multiplier > 0 && multiplier < Number.POSITIVE_INFINITY) ||
    Number.isNaN(z)
  ) {
    return proportionSlowPath(numerator, denominator, multiplier);
  }
  const z2 = z * z;
  const root = z * Math.sqrt(z2 + 4 * x * (1 - x / n));
  const a = 2 * x + z2;
  const c = n + z2;
  return {
    value: (x / n) * multiplier,
    lower: x === 0 ? 0 : ((a - root) / 2 / c) * multiplier,
    upper: x === n ? multiplier : ((a + root) / 2 / c) * multiplier,
    method: "wilson",
  };
}

/** Missing data, invalid input and 100% confidence, out of the hot path. */
function proportionSlowPath(
  numerator: number | null,
  denominator: number | null,
  multiplier: number,
): ProportionInterval {
  multiplierOf(multiplier, 1, "proportionInterval");
  if (isMissing(numerator) || isMissing(denominator)) {
    return { value: Number.NaN, lower: Number.NaN, upper: Number.NaN, method: "wilson" };
  }
  const x = numerator;
  const n = denominator;
  if (!(x >= 0) || x === Number.POSITIVE_INFINITY) {
    throw new RangeError(`proportionInterval: numerator must be a finite number ≥ 0 (got ${String(x)})`);
  }
  if (!(n > 0) || n === Number.POSITIVE_INFINITY) {
    throw new RangeError(`proportionInterval: denominator must be a finite number > 0 (got ${String(n)})`);
  }
  if (x > n) {
    throw new RangeError(`proportionInterval: numerator (${x}) must not exceed denominator (${n})`);
  }
  // Only a 100% level is left: the interval is everything.
  return { value: (x / n) * multiplier, lower: 0, upper: multiplier, method: "wilson" };
}

/**
 * Byar's lower limit for a count: x(1 − 1/(9x) − z/(3√x))³, or NaN where it falls below zero
 * (as PHEindicatormethods' `byars_lower` gives NA).
 *
 * @example byarsLower(65, 0.95) // 50.163187710459454
 */
export function byarsLower(count: number, confidence = 0.95): number {
  requireFinite(count, "count", "byarsLower");
  if (count < 0) throw new RangeError(`byarsLower: count must be ≥ 0 (got ${count})`);
  const z = twoSidedZ(normaliseConfidence(confidence));
  const lower = count * (1 - 1 / (9 * count) - z / (3 * Math.sqrt(count))) ** 3;
  return lower < 0 || Number.isNaN(lower) ? Number.NaN : lower;
}

/**
 * Byar's upper limit for a count: (x+1)(1 − 1/(9(x+1)) + z/(3√(x+1)))³.
 *
 * @example byarsUpper(65, 0.95) // 82.84913854593984
 */
export function byarsUpper(count: number, confidence = 0.95): number {
  requireFinite(count, "count", "byarsUpper");
  if (count < 0) throw new RangeError(`byarsUpper: count must be ≥ 0 (got ${count})`);
  const z = twoSidedZ(normaliseConfidence(confidence));
  const x1 = count + 1;
  return x1 * (1 - 1 / (9 * x1) + z / (3 * Math.sqrt(x1))) ** 3;
}

/**
 * A crude rate with its confidence interval, as PHEindicatormethods' `phe_rate`: exact Poisson
 * limits from chi-square quantiles below 10 events (lower qchisq((1−c)/2, 2x)/2, upper
 * qchisq(c + (1−c)/2, 2x + 2)/2), Byar's approximation from 10 events; value and limits are
 * per `multiplier` (default 100,000) of the population. A count above the population is allowed.
 * A missing (null) count or population gives NaN for the value and limits. At 100% the limits
 * are 0 and Infinity.
 *
 * @example
 * rateInterval(65, 100, { multiplier: 100 }) // { value: 65, lower: 50.16…, upper: 82.84…, method: "byars" }
 * rateInterval(0, 1000) // { value: 0, lower: 0, upper: 368.88…, method: "exact" }
 * @throws RangeError naming the argument: count < 0, population ≤ 0, a confidence outside 90–100%.
 */
export function rateInterval(
  count: number | null,
  population: number | null,
  options: RateOptions = {},
): RateInterval {
  const level = normaliseConfidence(options.confidence);
  const multiplier = multiplierOf(options.multiplier, 100000, "rateInterval");
  if (isMissing(count) || isMissing(population)) {
    const method = !isMissing(count) && count >= 10 ? "byars" : "exact";
    return { value: Number.NaN, lower: Number.NaN, upper: Number.NaN, method };
  }
  if (!(count >= 0) || count === Number.POSITIVE_INFINITY) {
    throw new RangeError(`rateInterval: count must be a finite number ≥ 0 (got ${String(count)})`);
  }
  if (!(population > 0) || population === Number.POSITIVE_INFINITY) {
    throw new RangeError(`rateInterval: population must be a finite number > 0 (got ${String(population)})`);
  }
  const value = (count / population) * multiplier;
  const method = count < 10 ? "exact" : "byars";
  if (level === 1) return { value, lower: 0, upper: Number.POSITIVE_INFINITY, method };
  if (method === "exact") {
    const lower =
      count === 0 ? 0 : (chisquareQuantile((1 - level) / 2, 2 * count) / 2 / population) * multiplier;
    const upper = (chisquareQuantile(level + (1 - level) / 2, 2 * count + 2) / 2 / population) * multiplier;
    return { value, lower, upper, method };
  }
  const z = twoSidedZ(level);
  const lowerCount = count * (1 - 1 / (9 * count) - z / (3 * Math.sqrt(count))) ** 3;
  const x1 = count + 1;
  const upperCount = x1 * (1 - 1 / (9 * x1) + z / (3 * Math.sqrt(x1))) ** 3;
  return {
    value,
    lower: (lowerCount / population) * multiplier,
    upper: (upperCount / population) * multiplier,
    method,
  };
}

/**
 * The mean of some values with its Student's t interval, as PHEindicatormethods' `phe_mean`:
 * mean ∓ |qt((1 − c)/2, n − 1)| · sd / √n with the sample standard deviation (n − 1 divisor).
 *
 * @example meanInterval([1, 2, 3, 4]) // { value: 2.5, lower: 0.445…, upper: 4.554…, method: "student-t" }
 * @throws RangeError naming `values` when fewer than 2 values or any is not finite, or `confidence`.
 */
export function meanInterval(values: ReadonlyArray<number>, options: MeanOptions = {}): MeanInterval {
  const level = normaliseConfidence(options.confidence);
  if (!Array.isArray(values) || values.length < 2) {
    throw new RangeError("meanInterval: values must hold at least 2 numbers");
  }
  let sum = 0;
  for (const v of values) {
    requireFinite(v, "values", "meanInterval");
    sum += v;
  }
  const n = values.length;
  const mean = sum / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  if (level === 1) {
    return {
      value: mean,
      lower: Number.NEGATIVE_INFINITY,
      upper: Number.POSITIVE_INFINITY,
      method: "student-t",
    };
  }
  const half = Math.abs(tQuantile((1 - level) / 2, n - 1)) * (sd / Math.sqrt(n));
  return { value: mean, lower: mean - half, upper: mean + half, method: "student-t" };
}
