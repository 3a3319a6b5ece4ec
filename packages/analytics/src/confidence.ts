import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";

/**
 * Reads a confidence level given as a fraction (0.9–1) or a percentage (90–100), as
 * PHEindicatormethods does, and returns the fraction. `undefined` means 0.95.
 *
 * @example normaliseConfidence(99.8) // 0.998
 * @throws RangeError naming `name` when the level is outside 90–100%.
 */
export function normaliseConfidence(confidence: number | undefined, name = "confidence"): number {
  if (confidence === undefined) return 0.95;
  if (typeof confidence === "number") {
    if (confidence >= 0.9 && confidence <= 1) return confidence;
    if (confidence >= 90 && confidence <= 100) return confidence / 100;
  }
  throw new RangeError(`${name} must be between 0.9 and 1 or between 90 and 100 (got ${String(confidence)})`);
}

let lastLevel = Number.NaN;
let lastZ = Number.NaN;
const zCache = new Map<number, number>();

/**
 * The two-sided standard normal quantile for a confidence fraction, `qnorm(c + (1 − c)/2)`,
 * computed once per level and cached (95% → 1.959964, 99.8% → 3.090232).
 *
 * @example twoSidedZ(0.95) // 1.959963984540054
 */
export function twoSidedZ(level: number): number {
  if (level === lastLevel) return lastZ;
  let z = zCache.get(level);
  if (z === undefined) {
    z = normalQuantile(level + (1 - level) / 2, 0, 1);
    zCache.set(level, z);
  }
  lastLevel = level;
  lastZ = z;
  return z;
}

let lastOption: number | undefined = 0.95;
let lastOptionZ = normalQuantile(0.975, 0, 1);

/**
 * The confidence fraction and its two-sided z for a `confidence` option as the user gave it
 * (0.95, 95 or undefined), remembering the last one so that a million calls at one level cost
 * one quantile. Returns z = NaN for a level of exactly 1 (callers special-case it).
 *
 * @example zForOption(95) // 1.959963984540054
 */
export function zForOption(confidence: number | undefined): number {
  if (confidence === lastOption) return lastOptionZ;
  const level = normaliseConfidence(confidence);
  lastOption = confidence;
  lastOptionZ = level === 1 ? Number.NaN : twoSidedZ(level);
  return lastOptionZ;
}

/** Throws a RangeError naming `name` unless `value` is a finite number. @example finite(1, "x") */
export function requireFinite(value: number, name: string, fn: string): void {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new RangeError(`${fn}: ${name} must be a finite number (got ${String(value)})`);
  }
}
