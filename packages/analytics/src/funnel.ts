import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";

/** One area's count and denominator for a funnel plot. @example const o: FunnelObservation = { numerator: 35, denominator: 420 }; */
export type FunnelObservation = { numerator: number; denominator: number };

/** The four control limits of a proportion at one population, on the multiplier's scale. @example const l: ControlLimits = proportionControlLimits(500, 0.8); */
export type ControlLimits = {
  /** Limits that 95% of areas of this size would fall between if they all had the average (2 standard deviations, z = qnorm(0.975)). */
  lower95: number;
  upper95: number;
  /** Limits for 99.8% (3 standard deviations, z = qnorm(0.999)). */
  lower998: number;
  upper998: number;
};

/** One row of the funnel's outline: the limits at a population. @example const p: FunnelPoint = funnel.points[0]; */
export type FunnelPoint = ControlLimits & { population: number };

/** What `proportionFunnelLimits` returns. @example const f: ProportionFunnel = proportionFunnelLimits(rows); */
export type ProportionFunnel = {
  /** The average: Σ numerators / Σ denominators, times the multiplier. */
  baseline: number;
  /** The x-axis range the outline covers (0 when the largest denominator is over twice the smallest). */
  axisMinimum: number;
  axisMaximum: number;
  /** 100 populations from the axis minimum (at least 1) to the axis maximum, closer together where the funnel is narrow, each with its limits. */
  points: FunnelPoint[];
  multiplier: number;
};

/**
 * Where one area falls against the funnel, in PHEindicatormethods' terms: "high-99.8" is above
 * the 99.8% upper limit ("High (0.001)"), "high-95" above the 95% one only ("High (0.025)"), the
 * "low" pair likewise below the lower limits, and "within" inside both ("Not significant").
 *
 * @example const s: FunnelSignificance = "within";
 */
export type FunnelSignificance = "high-99.8" | "high-95" | "within" | "low-95" | "low-99.8";

const Z95 = normalQuantile(0.975, 0, 1);
const Z998 = normalQuantile(0.999, 0, 1);

/**
 * The proportion p̂ = x/n at which the Wilson score interval of x out of n has `average` as its
 * upper bound (`side` "low") or its lower bound (`side` "high"): the control limit of a funnel
 * plot. Squaring the Wilson bound (2x + z² ∓ z√(z² + 4x(1 − x/n))) / (2(n + z²)) = a gives the
 * quadratic (1 + z²/n)x² − 2a(n + z²)x + (B² − z⁴)/4 = 0 with B = 2a(n + z²) − z², whose smaller
 * root is the lower limit and larger root the upper one.
 */
function wilsonControlLimit(n: number, average: number, z: number, side: "low" | "high"): number {
  const z2 = z * z;
  const half = average * (n + z2);
  const b = 2 * half - z2;
  const a2 = 1 + z2 / n;
  const disc = Math.max(0, 4 * half * half - a2 * (b * b - z2 * z2));
  const root = Math.sqrt(disc);
  const x = side === "low" ? (2 * half - root) / (2 * a2) : (2 * half + root) / (2 * a2);
  return x / n;
}

function checkObservations(observations: readonly FunnelObservation[], fn: string): void {
  if (!Array.isArray(observations) || observations.length === 0) {
    throw new RangeError(`${fn}: observations must be a non-empty array`);
  }
  observations.forEach((o, i) => {
    const { numerator: x, denominator: n } = o ?? ({} as FunnelObservation);
    if (typeof x !== "number" || !Number.isFinite(x) || x < 0) {
      throw new RangeError(`${fn}: observations[${i}].numerator must be a number ≥ 0 (got ${String(x)})`);
    }
    if (typeof n !== "number" || !Number.isFinite(n) || n <= 0) {
      throw new RangeError(`${fn}: observations[${i}].denominator must be a number > 0 (got ${String(n)})`);
    }
    if (x > n) {
      throw new RangeError(
        `${fn}: observations[${i}].numerator must not exceed its denominator (${x} > ${n})`,
      );
    }
  });
}

function checkMultiplier(multiplier: number, fn: string): void {
  if (typeof multiplier !== "number" || !Number.isFinite(multiplier) || multiplier <= 0) {
    throw new RangeError(`${fn}: multiplier must be a number > 0 (got ${String(multiplier)})`);
  }
}

/**
 * The average proportion of a set of areas, Σx / Σn (unscaled).
 *
 * @example funnelAverage([{ numerator: 1, denominator: 4 }, { numerator: 3, denominator: 4 }]) // 0.5
 */
export function funnelAverage(observations: readonly FunnelObservation[]): number {
  checkObservations(observations, "funnelAverage");
  let x = 0;
  let n = 0;
  for (const o of observations) {
    x += o.numerator;
    n += o.denominator;
  }
  return x / n;
}

/**
 * The 95% and 99.8% control limits of a proportion at one population around an average
 * proportion (0–1), scaled by `multiplier` (default 100, a percentage) and kept within
 * 0…multiplier: the Wilson-score limits PHEindicatormethods' `calculate_funnel_limits`
 * (formerly `phe_funnels`) draws.
 *
 * @example proportionControlLimits(1, 0.80642448).lower95 // 3.2042… (%)
 * @throws RangeError when population is not > 0, average is outside 0–1 or multiplier is not > 0.
 */
export function proportionControlLimits(
  population: number,
  average: number,
  options: { multiplier?: number } = {},
): ControlLimits {
  const multiplier = options.multiplier ?? 100;
  checkMultiplier(multiplier, "proportionControlLimits");
  if (typeof population !== "number" || !Number.isFinite(population) || population <= 0) {
    throw new RangeError(
      `proportionControlLimits: population must be a number > 0 (got ${String(population)})`,
    );
  }
  if (typeof average !== "number" || !(average >= 0 && average <= 1)) {
    throw new RangeError(`proportionControlLimits: average must be between 0 and 1 (got ${String(average)})`);
  }
  const clamp = (p: number) => Math.min(multiplier, Math.max(0, p * multiplier));
  return {
    lower95: clamp(wilsonControlLimit(population, average, Z95, "low")),
    upper95: clamp(wilsonControlLimit(population, average, Z95, "high")),
    lower998: clamp(wilsonControlLimit(population, average, Z998, "low")),
    upper998: clamp(wilsonControlLimit(population, average, Z998, "high")),
  };
}

/** R's round(): halves go to the even neighbour (IEC 60559). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const digits = (x: number) => String(Math.abs(x)).length;

/** Rounds 95% of x down to one significant figure, for a tidy axis start. */
function tidyFloor(x: number): number {
  if (x === 0) return 0;
  const scaled = x * 0.95;
  const p = 10 ** (digits(Math.floor(scaled)) - 1);
  return Math.floor(scaled / p) * p;
}

/** Rounds 105% of x up to two significant figures, for a tidy axis end. */
function tidyCeiling(x: number): number {
  if (x === 0) return 0;
  const scaled = x * 1.05;
  const p = 10 ** (digits(Math.ceil(scaled)) - 2);
  return Math.ceil(scaled / p) * p;
}

/**
 * The outline of a funnel plot for proportions: the average of the areas (Σx/Σn) and its 95% and
 * 99.8% control limits at 100 populations across the x-axis, as PHEindicatormethods'
 * `calculate_funnel_limits(statistic = "proportion", type = "standard")` (formerly `phe_funnels`)
 * gives them. The axis starts at 0 when the largest denominator is over twice the smallest,
 * otherwise at 95% of the smallest rounded down to one significant figure; it ends at 105% of the
 * largest rounded up to two. The populations are spaced geometrically (each step the remaining
 * ratio to the maximum to the power 1/(remaining steps), rounded, and at least one more than the
 * last). Limits are on the multiplier's scale (default 100, percentages), kept within
 * 0…multiplier.
 *
 * @example proportionFunnelLimits([{ numerator: 35, denominator: 420 }, { numerator: 51, denominator: 610 }]).points.length // 100
 * @throws RangeError naming the observation when a numerator or denominator is invalid.
 */
export function proportionFunnelLimits(
  observations: readonly FunnelObservation[],
  options: { multiplier?: number } = {},
): ProportionFunnel {
  const multiplier = options.multiplier ?? 100;
  checkMultiplier(multiplier, "proportionFunnelLimits");
  checkObservations(observations, "proportionFunnelLimits");
  const average = funnelAverage(observations);
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (const o of observations) {
    min = Math.min(min, o.denominator);
    max = Math.max(max, o.denominator);
  }
  const axisMinimum = max > 2 * min ? 0 : tidyFloor(min);
  const axisMaximum = tidyCeiling(max);
  const populations = [Math.max(1, axisMinimum)];
  for (let j = 2; j <= 100; j++) {
    const previous = populations[j - 2] as number;
    populations.push(
      Math.max(roundHalfEven((axisMaximum / previous) ** (1 / (101 - j)) * previous), previous + 1),
    );
  }
  return {
    baseline: average * multiplier,
    axisMinimum,
    axisMaximum,
    points: populations.map((population) => ({
      population,
      ...proportionControlLimits(population, average, { multiplier }),
    })),
    multiplier,
  };
}

/**
 * Where each area falls against the funnel of all of them (the average Σx/Σn and each area's own
 * limits at its denominator), as PHEindicatormethods' `assign_funnel_significance` for
 * proportions: below the 99.8% lower limit first, then the 95% lower, then above the 99.8% upper,
 * then the 95% upper, otherwise "within". Comparisons are strict: a value on a limit is within.
 *
 * @example proportionFunnelSignificance([{ numerator: 10232, denominator: 15232 }, { numerator: 12321, denominator: 16123 }]) // ["low-99.8", "high-99.8"]
 * @throws RangeError naming the observation when a numerator or denominator is invalid.
 */
export function proportionFunnelSignificance(
  observations: readonly FunnelObservation[],
  average: number = funnelAverage(observations),
): FunnelSignificance[] {
  checkObservations(observations, "proportionFunnelSignificance");
  return observations.map(({ numerator, denominator }) => {
    const p = numerator / denominator;
    const limits = proportionControlLimits(denominator, average, { multiplier: 1 });
    if (p < limits.lower998) return "low-99.8";
    if (p < limits.lower95) return "low-95";
    if (p > limits.upper998) return "high-99.8";
    if (p > limits.upper95) return "high-95";
    return "within";
  });
}
