import { normaliseConfidence, twoSidedZ } from "./confidence.ts";

/** A value with its confidence limits, as `gapBetween` reads it. @example const v: ValueWithLimits = { value: 83.1, lower: 82.9, upper: 83.3 }; */
export type ValueWithLimits = { value: number; lower?: number | null; upper?: number | null };

/** The result of `gapBetween`. @example const g: Gap = gapBetween(female, male); */
export type Gap = {
  /** a − b. */
  gap: number;
  /** Limits of the gap at the requested level, or null when either value lacks limits. */
  lower: number | null;
  upper: number | null;
  /** Whether the interval leaves out 0 (null without an interval). */
  significant: boolean | null;
};

/**
 * The gap between two independent values (a − b), for example female and male life expectancy,
 * with its confidence interval: each value's standard error is taken from its limits,
 * se = (upper − lower)/(2·z₉₅) (the limits are read as 95% unless `limitsConfidence` says
 * otherwise), and the gap's limits are a − b ± z·√(se_a² + se_b²) at `confidence` (default 95%).
 * Without limits on both values the gap stands alone, its interval null.
 *
 * @example gapBetween({ value: 83.1, lower: 82.9, upper: 83.3 }, { value: 79.5, lower: 79.3, upper: 79.7 }) // { gap: 3.6, lower: 3.317…, upper: 3.883…, significant: true }
 * @throws RangeError naming `a` or `b` when a value is not a finite number, or a bad confidence.
 */
export function gapBetween(
  a: ValueWithLimits,
  b: ValueWithLimits,
  options: { confidence?: number; limitsConfidence?: number } = {},
): Gap {
  for (const [name, v] of [
    ["a", a],
    ["b", b],
  ] as const) {
    if (typeof v?.value !== "number" || !Number.isFinite(v.value)) {
      throw new RangeError(`gapBetween: ${name}.value must be a finite number (got ${String(v?.value)})`);
    }
  }
  const z = twoSidedZ(normaliseConfidence(options.confidence));
  const zLimits = twoSidedZ(normaliseConfidence(options.limitsConfidence));
  const gap = a.value - b.value;
  const se = (v: ValueWithLimits) =>
    typeof v.lower === "number" &&
    typeof v.upper === "number" &&
    Number.isFinite(v.lower) &&
    Number.isFinite(v.upper)
      ? (v.upper - v.lower) / (2 * zLimits)
      : null;
  const sa = se(a);
  const sb = se(b);
  if (sa === null || sb === null) return { gap, lower: null, upper: null, significant: null };
  const half = z * Math.sqrt(sa * sa + sb * sb);
  const lower = gap - half;
  const upper = gap + half;
  return { gap, lower, upper, significant: lower > 0 || upper < 0 };
}
