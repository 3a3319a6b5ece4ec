import type { Period, Polarity } from "@fivestep/domain";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { normaliseConfidence, twoSidedZ } from "./confidence.ts";
import { parsePeriod, periodIndex } from "./period.ts";

/** A period as a trend function accepts it: a domain Period, a spelling `parsePeriod` reads, or a number on a time axis (e.g. a year). @example const p: PeriodLike = "2006 Q3"; */
export type PeriodLike = Period | string | number;

/** One point of a series for `recentTrend`. @example const p: TrendPoint = { period: "2019", value: 67.9, count: 318, denominator: 468.3 }; */
export type TrendPoint = {
  period: PeriodLike;
  value?: number | null;
  count?: number | null;
  denominator?: number | null;
  lower?: number | null;
  upper?: number | null;
};

/** Options of `recentTrend`. @example const o: RecentTrendOptions = { valueType: "proportion", polarity: "high-is-good" }; */
export type RecentTrendOptions = {
  /** 'proportion': chi-square test for trend on counts and denominators; 'other': CI-weighted regression. */
  valueType: "proportion" | "other";
  polarity: Polarity;
  /** Confidence level of the points' limits ('other'); default 0.95. */
  confidence?: number;
  /**
   * Divisor turning a CI width into a standard error; default 2·qnorm(1 − (1 − confidence)/2)
   * (3.919928 at 95%, as PHEindicatormethods). Fingertips' production code uses 3.92.
   */
  ciDivisor?: number;
  /** For proportions given as values: the value scale used to derive a missing count or denominator (default 100). */
  multiplier?: number;
  /**
   * The time axis of the fit: 'position' (default) numbers the 5 points 1…5 in period order, as
   * Fingertips and PHEindicatormethods do, so a gap in the periods does not stretch the axis;
   * 'period' uses the periods' own spacing (years, quarters, months; numbers as given).
   */
  timeAxis?: "position" | "period";
};

/** The Fingertips recent-trend marker. @example const m: TrendMarker = "no-significant-change"; */
export type TrendMarker = "increasing" | "decreasing" | "no-significant-change" | "cannot-be-calculated";

/** The result of `recentTrend`. @example const r: RecentTrend = recentTrend(points, { valueType: "other", polarity: "low-is-good" }); */
export type RecentTrend = {
  marker: TrendMarker;
  judgement: "getting-better" | "getting-worse" | null;
  /** The test statistic X² (1 df), or null when it cannot be calculated. */
  chiSquare: number | null;
  /** The slope per period step: of logit(count/denominator) for proportions, of the value otherwise. */
  gradient: number | null;
  /** PHEindicatormethods' wording: "No outliers and significant trend", "Outlier found", "No significant trend", "Not enough data points", … */
  reason: string;
};

/** CHIINV(0.002, 1): the 99.8% critical value of chi-square with 1 degree of freedom. @example recentTrend(points, options).chiSquare! > TREND_CHI_SQUARE_CRITICAL */
export const TREND_CHI_SQUARE_CRITICAL = 9.54953570608324;

const missing = (v: number | null | undefined): boolean => v === null || v === undefined || Number.isNaN(v);

/** The period type seen so far in one call (reset by each caller), so mixed types can be refused. */
type Kind = { value: string | null };
const TREND_KIND: Kind = { value: null };

function timeOf(period: PeriodLike, type: Kind): number {
  if (typeof period === "number") {
    if (!Number.isFinite(period)) throw new RangeError(`points: a period must be finite (got ${period})`);
    if (type.value !== null && type.value !== "number") {
      throw new RangeError("points: periods must all be of one kind");
    }
    type.value = "number";
    return period;
  }
  const p = typeof period === "string" ? parsePeriod(period) : period;
  if (type.value !== null && type.value !== p.type) {
    throw new RangeError(`points: periods must all be of one type (found ${type.value} and ${p.type})`);
  }
  type.value = p.type;
  return periodIndex(p);
}

const cannot = (reason: string): RecentTrend => ({
  marker: "cannot-be-calculated",
  judgement: null,
  chiSquare: null,
  gradient: null,
  reason,
});

// Scratch space for recentTrend, which is synchronous and never re-entered: no allocation per call.
let TIMES = new Float64Array(64);
const T5 = new Float64Array(5);
const C5 = new Float64Array(5);
const D5 = new Float64Array(5);
const Y5 = new Float64Array(5);
const W5 = new Float64Array(5);
const LAST5 = new Int32Array(5);
let slopeVariance = 0;

/** OLS slope of Y5 on T5, leaving out index `skip` (−1 for none). */
function olsSlope(skip: number): number {
  let n = 0;
  let st = 0;
  let sy = 0;
  let stt = 0;
  let sty = 0;
  for (let i = 0; i < 5; i++) {
    if (i === skip) continue;
    const ti = T5[i]!;
    const yi = Y5[i]!;
    n++;
    st += ti;
    sy += yi;
    stt += ti * ti;
    sty += ti * yi;
  }
  return (n * sty - sy * st) / (n * stt - st * st);
}

/** Weighted (W5) regression slope of Y5 on T5, leaving out `skip`; its variance goes to `slopeVariance`. */
function weightedSlope(skip: number): number {
  let sw = 0;
  let swt = 0;
  let swv = 0;
  let swtt = 0;
  let swvt = 0;
  for (let i = 0; i < 5; i++) {
    if (i === skip) continue;
    const wi = W5[i]!;
    const ti = T5[i]!;
    const vi = Y5[i]!;
    sw += wi;
    swt += wi * ti;
    swv += wi * vi;
    swtt += wi * ti * ti;
    swvt += wi * vi * ti;
  }
  const d = sw * swtt - swt * swt;
  slopeVariance = sw / d;
  return (sw * swvt - swt * swv) / d;
}

/**
 * The Fingertips recent-trend marker over the 5 most recent points (PHEindicatormethods'
 * `assign_trend_markers`): points are sorted by period and numbered t = 1…5 (see `timeAxis`);
 * for proportions X² = D(DΣct − CΣdt)² / (C(D − C)(DΣdt² − (Σdt)²)) with the direction from the
 * OLS slope of logit(c/d); otherwise weights 1/σ² with σ = (upper − lower)/(2·z), slope β and
 * X² = β²/var(β). Significant when X² > 9.5495 (99.8%, 1 df), unless leaving out any one point
 * flips the slope's sign ("Outlier found"). For proportions, a count or denominator missing from
 * every point is derived from the value (a percentage by default). A proportion with a count of
 * 0 or equal to its denominator cannot be calculated (its logit is infinite, as Fingertips rules).
 *
 * @example
 * recentTrend([
 *   { period: 2019, count: 318, denominator: 468.34 }, { period: 2020, count: 314, denominator: 472.89 },
 *   { period: 2021, count: 318, denominator: 500.79 }, { period: 2022, count: 291, denominator: 480.2 },
 *   { period: 2023, count: 292, denominator: 499.15 },
 * ], { valueType: "proportion", polarity: "high-is-good" })
 * // { marker: "decreasing", judgement: "getting-worse", chiSquare: 12.5688…, gradient: -0.1062…, reason: "No outliers and significant trend" }
 * @throws RangeError naming the argument: periods of mixed types, a negative count, a denominator ≤ 0,
 * a count above its denominator, or a bad confidence, ciDivisor or valueType.
 */
export function recentTrend(points: ReadonlyArray<TrendPoint>, options: RecentTrendOptions): RecentTrend {
  const { valueType, polarity } = options;
  if (valueType !== "proportion" && valueType !== "other") {
    throw new RangeError(`recentTrend: valueType must be "proportion" or "other" (got ${String(valueType)})`);
  }
  if (polarity !== "high-is-good" && polarity !== "low-is-good" && polarity !== "no-judgement") {
    throw new RangeError(`recentTrend: polarity must be "high-is-good", "low-is-good" or "no-judgement"`);
  }
  if (!Array.isArray(points)) throw new RangeError("recentTrend: points must be an array");
  const total = points.length;
  if (total < 5) return cannot("Not enough data points");

  // Times; refuse mixed period types; sort only when needed; find duplicates.
  if (TIMES.length < total) TIMES = new Float64Array(total * 2);
  const times = TIMES;
  const kind = TREND_KIND;
  kind.value = null;
  let sorted = true;
  for (let i = 0; i < total; i++) {
    times[i] = timeOf(points[i]!.period, kind);
    if (i > 0 && times[i]! <= times[i - 1]!) sorted = false;
  }
  if (sorted) {
    for (let i = 0; i < 5; i++) LAST5[i] = total - 5 + i;
  } else {
    const order = Array.from({ length: total }, (_, i) => i).sort((a, b) => times[a]! - times[b]!);
    for (let i = 1; i < total; i++) {
      if (times[order[i]!] === times[order[i - 1]!]) return cannot("Duplicate years in group");
    }
    for (let i = 0; i < 5; i++) LAST5[i] = order[total - 5 + i]!;
  }

  // t = 1…5 in period order (shifted to end at 0, which changes neither slope nor X²), as the
  // Fingertips code and the PHEindicatormethods fixtures do; or the periods' own spacing on request.
  const byPeriod = options.timeAxis === "period";
  const t0 = times[LAST5[4]!]!;
  for (let i = 0; i < 5; i++) T5[i] = byPeriod ? times[LAST5[i]!]! - t0 : i - 4;

  let beta: number;
  let chiSquare: number;
  const proportion = valueType === "proportion";

  if (proportion) {
    let complete = true;
    for (let i = 0; i < 5; i++) {
      const p = points[LAST5[i]!]!;
      const ci = p.count;
      const di = p.denominator;
      // typeof rules out null and undefined; NaN fails the range test further down.
      if (typeof ci !== "number" || typeof di !== "number" || Number.isNaN(ci) || Number.isNaN(di))
        complete = false;
      C5[i] = ci as number;
      D5[i] = di as number;
    }
    if (!complete) {
      // A column missing from every point is derived from the value (PHE's derive_proportion_element).
      const multiplier = options.multiplier ?? 100;
      const anyCount = points.some((p) => !missing(p.count));
      const anyDenominator = points.some((p) => !missing(p.denominator));
      for (let i = 0; i < 5; i++) {
        const p = points[LAST5[i]!]!;
        let ci = anyCount ? p.count : undefined;
        let di = anyDenominator ? p.denominator : undefined;
        if (!anyCount && !missing(di) && !missing(p.value))
          ci = ((di as number) * (p.value as number)) / multiplier;
        if (!anyDenominator && !missing(ci) && !missing(p.value)) {
          di = ((ci as number) / (p.value as number)) * multiplier;
        }
        if (missing(ci) || missing(di)) return cannot("Missing values");
        C5[i] = ci as number;
        D5[i] = di as number;
      }
    }
    let D = 0;
    let C = 0;
    let sct = 0;
    let sdt = 0;
    let sdtt = 0;
    let degenerate = false;
    for (let i = 0; i < 5; i++) {
      const ci = C5[i]!;
      const di = D5[i]!;
      if (!(ci >= 0 && ci <= di && di > 0 && di < Number.POSITIVE_INFINITY)) checkCounts(ci, di);
      if (ci === 0 || ci === di) degenerate = true;
      const ti = T5[i]!;
      D += di;
      C += ci;
      sct += ci * ti;
      sdt += di * ti;
      sdtt += di * ti * ti;
      Y5[i] = Math.log(ci / (di - ci));
    }
    if (degenerate) return cannot("A count is 0 or equals its denominator");
    chiSquare = (D * (D * sct - C * sdt) ** 2) / (C * (D - C) * (D * sdtt - sdt * sdt));
    beta = olsSlope(-1);
  } else {
    let divisor = options.ciDivisor;
    if (divisor === undefined) divisor = 2 * twoSidedZ(normaliseConfidence(options.confidence));
    else if (!(divisor > 0) || !Number.isFinite(divisor)) {
      throw new RangeError(`recentTrend: ciDivisor must be a positive number (got ${divisor})`);
    }
    for (let i = 0; i < 5; i++) {
      if (missing(points[LAST5[i]!]!.value)) return cannot("Missing values");
    }
    for (let i = 0; i < 5; i++) {
      const p = points[LAST5[i]!]!;
      if (missing(p.lower) || missing(p.upper))
        return cannot("Missing at least one confidence interval value");
      const sigma = ((p.upper as number) - (p.lower as number)) / divisor;
      if (!(sigma > 0) || !Number.isFinite(sigma)) return cannot("A confidence interval has no width");
      Y5[i] = p.value as number;
      W5[i] = 1 / (sigma * sigma);
    }
    beta = weightedSlope(-1);
    chiSquare = (beta * beta) / slopeVariance;
  }

  if (!Number.isFinite(chiSquare) || !Number.isFinite(beta))
    return cannot("The test statistic is not finite");
  if (!(chiSquare > TREND_CHI_SQUARE_CRITICAL)) {
    return {
      marker: "no-significant-change",
      judgement: null,
      chiSquare,
      gradient: beta,
      reason: "No significant trend",
    };
  }
  const sign = Math.sign(beta);
  for (let skip = 0; skip < 5; skip++) {
    if (Math.sign(proportion ? olsSlope(skip) : weightedSlope(skip)) !== sign) {
      return {
        marker: "no-significant-change",
        judgement: null,
        chiSquare,
        gradient: beta,
        reason: "Outlier found",
      };
    }
  }
  const marker = beta < 0 ? "decreasing" : "increasing";
  const judgement =
    polarity === "no-judgement"
      ? null
      : (marker === "increasing") === (polarity === "high-is-good")
        ? "getting-better"
        : "getting-worse";
  return { marker, judgement, chiSquare, gradient: beta, reason: "No outliers and significant trend" };
}

function checkCounts(c: number, d: number): void {
  if (!(c >= 0) || !Number.isFinite(c))
    throw new RangeError(`recentTrend: points' count must be ≥ 0 (got ${c})`);
  if (!(d > 0) || !Number.isFinite(d))
    throw new RangeError(`recentTrend: points' denominator must be > 0 (got ${d})`);
  throw new RangeError(`recentTrend: points' count (${c}) must not exceed its denominator (${d})`);
}

/** Options of `mannKendall`. @example const o: MannKendallOptions = { alpha: 0.01 }; */
export type MannKendallOptions = { alpha?: number };
/** The result of `mannKendall`. @example const r: MannKendall = mannKendall([1, 2, 3, 4, 5]); */
export type MannKendall = {
  trend: "increasing" | "decreasing" | "no-trend";
  s: number;
  varS: number;
  z: number;
  p: number;
  tau: number;
};

/**
 * The Mann-Kendall test for a monotonic trend, values in time order: S = Σ sign(xⱼ − xᵢ) over
 * i < j, Var(S) = [n(n−1)(2n+5) − Σ tₖ(tₖ−1)(2tₖ+5)]/18 with tₖ the sizes of tied groups,
 * z = (S ∓ 1)/√Var(S) (continuity correction), two-sided p, tau = S/(n(n−1)/2). A trend when p < alpha.
 * Missing values (null) are dropped.
 *
 * @example mannKendall([1, 2, 3, 4, 5, 6]) // { trend: "increasing", s: 15, varS: 28.33…, z: 2.630…, p: 0.0085…, tau: 1 }
 * @throws RangeError naming `values` (fewer than 2, or not finite) or `alpha` (outside 0–1).
 */
export function mannKendall(
  values: ReadonlyArray<number | null>,
  options: MannKendallOptions = {},
): MannKendall {
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1))
    throw new RangeError(`mannKendall: alpha must lie between 0 and 1 (got ${alpha})`);
  const x: number[] = [];
  for (const v of values) {
    if (v === null || v === undefined) continue;
    if (!Number.isFinite(v)) throw new RangeError(`mannKendall: values must be finite numbers (got ${v})`);
    x.push(v);
  }
  const n = x.length;
  if (n < 2) throw new RangeError("mannKendall: values must hold at least 2 numbers");
  let s = 0;
  for (let i = 0; i < n - 1; i++) {
    const xi = x[i]!;
    for (let j = i + 1; j < n; j++) s += Math.sign(x[j]! - xi);
  }
  const sortedValues = [...x].sort((a, b) => a - b);
  let ties = 0;
  let run = 1;
  for (let i = 1; i <= n; i++) {
    if (i < n && sortedValues[i] === sortedValues[i - 1]) run++;
    else {
      if (run > 1) ties += run * (run - 1) * (2 * run + 5);
      run = 1;
    }
  }
  const varS = (n * (n - 1) * (2 * n + 5) - ties) / 18;
  const z = varS > 0 ? (s > 0 ? (s - 1) / Math.sqrt(varS) : s < 0 ? (s + 1) / Math.sqrt(varS) : 0) : 0;
  const p = 2 * normalCdf(-Math.abs(z), 0, 1);
  const tau = s / ((n * (n - 1)) / 2);
  const trend = p < alpha ? (z > 0 ? "increasing" : "decreasing") : "no-trend";
  return { trend, s, varS, z, p, tau };
}

/** Options of `changePoints`. @example const o: ChangePointOptions = { minSegment: 2 }; */
export type ChangePointOptions = {
  /** The fewest points a segment may hold; default 3. */
  minSegment?: number;
  /** Penalty per change point on the RSS/σ̂² scale; default 5·ln(n) (see `changePoints`). */
  penalty?: number;
};

/**
 * The indices where a series' level or slope shifts (each the first index of a new segment), by
 * PELT (Killick, Fearnhead & Eckley 2012): the exact minimum of Σ RSS(segment)/σ̂² + penalty × changes
 * over piecewise straight lines (each segment its own level and slope, at least `minSegment`
 * points). σ̂ comes from the second differences of the series, robustly:
 * σ̂ = 1.4826·MAD(Δ²y)/√6 (their root mean square / √6 when the MAD is 0). The default penalty is
 * 5·ln(n): the BIC's ln(n) per parameter would be 3·ln(n) (a level, a slope and a location per
 * change), raised because σ̂ from a short series is noisy; by simulation on straight lines with
 * Gaussian noise it flags a spurious change in about 14% of 10-point, 8% of 20-point and 4% of
 * 40-point series, and finds a 4σ level shift in half of 20-point series. A straight line gives [].
 *
 * @example changePoints([10, 10, 10, 10, 10, 20, 20, 20, 20, 20]) // [5]
 * @throws RangeError naming `values` (not finite), `minSegment` or `penalty`.
 */
export function changePoints(values: ReadonlyArray<number>, options: ChangePointOptions = {}): number[] {
  const minSegment = options.minSegment ?? 3;
  if (!Number.isInteger(minSegment) || minSegment < 2) {
    throw new RangeError(`changePoints: minSegment must be a whole number ≥ 2 (got ${minSegment})`);
  }
  const n = values.length;
  for (const v of values) {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new RangeError(`changePoints: values must be finite numbers (got ${String(v)})`);
    }
  }
  const penalty = options.penalty ?? 5 * Math.log(Math.max(n, 2));
  if (!(penalty >= 0) || !Number.isFinite(penalty)) {
    throw new RangeError(`changePoints: penalty must be a finite number ≥ 0 (got ${penalty})`);
  }
  if (n < 2 * minSegment) return [];

  // Robust noise scale from second differences (a slope change disturbs only one of them).
  const d2: number[] = [];
  for (let i = 1; i < n - 1; i++) d2.push(values[i + 1]! - 2 * values[i]! + values[i - 1]!);
  const median = (a: number[]) => {
    const s = [...a].sort((x, y) => x - y);
    const m = s.length >> 1;
    return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  };
  const med = median(d2);
  let sigma = (1.4826 * median(d2.map((v) => Math.abs(v - med)))) / Math.sqrt(6);
  if (!(sigma > 0)) sigma = Math.sqrt(d2.reduce((a, v) => a + v * v, 0) / d2.length / 6);
  const scale = Math.max(...values.map(Math.abs), 1);
  if (!(sigma > scale * 1e-12)) return [];
  const sigma2 = sigma * sigma;

  // Prefix sums on centred data for O(1) segment costs.
  const mean = values.reduce((a, v) => a + v, 0) / n;
  const mid = (n - 1) / 2;
  const P = { t: [0], tt: [0], y: [0], yy: [0], ty: [0] };
  for (let i = 0; i < n; i++) {
    const ti = i - mid;
    const yi = values[i]! - mean;
    P.t.push(P.t[i]! + ti);
    P.tt.push(P.tt[i]! + ti * ti);
    P.y.push(P.y[i]! + yi);
    P.yy.push(P.yy[i]! + yi * yi);
    P.ty.push(P.ty[i]! + ti * yi);
  }
  const cost = (a: number, b: number): number => {
    const m = b - a;
    const st = P.t[b]! - P.t[a]!;
    const sy = P.y[b]! - P.y[a]!;
    const sxx = P.tt[b]! - P.tt[a]! - (st * st) / m;
    const sxy = P.ty[b]! - P.ty[a]! - (st * sy) / m;
    const syy = P.yy[b]! - P.yy[a]! - (sy * sy) / m;
    const rss = sxx > 0 ? syy - (sxy * sxy) / sxx : syy;
    return Math.max(rss, 0) / sigma2;
  };

  // PELT: F(b) = min over admissible a of F(a) + cost(a, b) + penalty.
  const F = new Float64Array(n + 1).fill(Number.POSITIVE_INFINITY);
  const last = new Int32Array(n + 1).fill(-1);
  F[0] = -penalty;
  let candidates: number[] = [0];
  for (let b = minSegment; b <= n; b++) {
    let best = Number.POSITIVE_INFINITY;
    let bestA = -1;
    const totals = new Map<number, number>();
    for (const a of candidates) {
      if (b - a < minSegment || !Number.isFinite(F[a]!)) continue;
      const total = F[a]! + cost(a, b) + penalty;
      totals.set(a, total);
      if (total < best) {
        best = total;
        bestA = a;
      }
    }
    F[b] = best;
    last[b] = bestA;
    // Prune candidates that can never be optimal again (cost is RSS, so K = 0).
    candidates = candidates.filter((a) => {
      const total = totals.get(a);
      return total === undefined || total - penalty <= best;
    });
    candidates.push(b);
  }
  const changes: number[] = [];
  let b = n;
  while (b > 0) {
    const a = last[b]!;
    if (a <= 0) break;
    changes.push(a);
    b = a;
  }
  return changes.reverse();
}

/** A point for `rollingAverage`. @example const p: RollingPoint = { period: "2007 Q1", value: 72.4 }; */
export type RollingPoint = { period: PeriodLike; value: number | null };

/**
 * Rolling means over `window` consecutive points (e.g. four-quarter averages). For plain numbers
 * (in time order) it returns one entry per input, null until the window fills or when the window
 * holds a missing value. For points with periods it sorts them by period and labels each mean with
 * the window's last period; it is null where the window holds a missing value or a gap in periods.
 *
 * @example rollingAverage([1, 2, 3, 4, 5], 4) // [null, null, null, 2.5, 3.5]
 * @example rollingAverage([{ period: "2007 Q1", value: 70 }, { period: "2006 Q4", value: 74 }], 2) // [{ period: "2006 Q4", value: null }, { period: "2007 Q1", value: 72 }]
 * @throws RangeError naming `window` unless it is a whole number ≥ 1.
 */
export function rollingAverage(values: ReadonlyArray<number | null>, window: number): Array<number | null>;
export function rollingAverage<P extends RollingPoint>(
  points: ReadonlyArray<P>,
  window: number,
): Array<{ period: P["period"]; value: number | null }>;
export function rollingAverage(
  input: ReadonlyArray<number | null | RollingPoint>,
  window: number,
): Array<number | null> | Array<{ period: PeriodLike; value: number | null }> {
  if (!Number.isInteger(window) || window < 1) {
    throw new RangeError(`rollingAverage: window must be a whole number ≥ 1 (got ${window})`);
  }
  const isPoint = (v: unknown): v is RollingPoint => typeof v === "object" && v !== null && "period" in v;
  if (!input.some(isPoint)) {
    const values = input as ReadonlyArray<number | null>;
    return values.map((_, i) => windowMean(values, i, window));
  }
  const kind = { value: null as string | null };
  const points = (input as ReadonlyArray<RollingPoint>).map((p) => ({ p, t: timeOf(p.period, kind) }));
  points.sort((a, b) => a.t - b.t);
  const values = points.map(({ p }) => p.value);
  return points.map(({ p, t }, i) => {
    const first = points[i - window + 1];
    const consecutive = first !== undefined && Math.abs(t - first.t - (window - 1)) < 1e-9;
    return { period: p.period, value: consecutive ? windowMean(values, i, window) : null };
  });
}

function windowMean(values: ReadonlyArray<number | null>, end: number, window: number): number | null {
  if (end + 1 < window) return null;
  let sum = 0;
  for (let i = end - window + 1; i <= end; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) return null;
    sum += v;
  }
  return sum / window;
}

/** How `indicatorTrend` tested a series. @example const m: TrendMethod = "chi-square-for-trend"; */
export type TrendMethod = "chi-square-for-trend" | "mann-kendall";

/** Why `indicatorTrend` gave its verdict, as a code the reader's language turns into words. @example const r: TrendReason = "too-few-points"; */
export type TrendReason = "significant" | "not-significant" | "outlier-found" | "too-few-points";

/** Options of `indicatorTrend`. @example const o: IndicatorTrendOptions = { proportion: true, polarity: "high-is-good" }; */
export type IndicatorTrendOptions = {
  /** The values are proportions (or percentages): with counts and denominators the chi-square test for trend applies. */
  proportion: boolean;
  polarity: Polarity;
  /** For proportions given as values: their scale (100 for percentages, the default; 1 for fractions). */
  multiplier?: number;
  /** Significance level of the Mann–Kendall test; default 0.05. The chi-square test keeps Fingertips' 99.8%. */
  alpha?: number;
};

/** The one trend verdict of an indicator's series. @example const v: IndicatorTrend = indicatorTrend(points, { proportion: false, polarity: "high-is-good" }); */
export type IndicatorTrend = {
  /** The same four words whichever test was used. */
  verdict: TrendMarker;
  judgement: "getting-better" | "getting-worse" | null;
  /** The test used, or null when there were too few points for either. */
  method: TrendMethod | null;
  /** Two-sided p-value of the test (null when not calculated). */
  p: number | null;
  /** How many points the test read: the latest 5 for chi-square, every value for Mann–Kendall. */
  points: number;
  reason: TrendReason;
};

/** The fewest points either trend test reads (Fingertips' 5; Mann–Kendall cannot reach p < 0.05 on 4). */
export const TREND_MIN_POINTS = 5;

/**
 * The one trend of an indicator's series, so every page words it alike. For a proportion whose
 * latest 5 points all carry a count and a denominator it is Fingertips' recent-trend marker, the
 * chi-square test for trend over those 5 points at 99.8% (`recentTrend`, with its outlier check);
 * otherwise it is the Mann–Kendall test over every value at `alpha` (0.05). Either way the verdict is
 * "increasing", "decreasing", "no-significant-change" or "cannot-be-calculated" (fewer than 5
 * values), with the method and its p-value beside it; a change between two periods is never a
 * trend. Points may come in any order; they are read in period order, and missing values are left
 * out. The chi-square p-value is P(χ²₁ > X²) = 2Φ(−√X²).
 *
 * @example
 * indicatorTrend([
 *   { period: 2019, count: 318, denominator: 468.34, value: 67.9 }, { period: 2020, count: 314, denominator: 472.89, value: 66.4 },
 *   { period: 2021, count: 318, denominator: 500.79, value: 63.5 }, { period: 2022, count: 291, denominator: 480.2, value: 60.6 },
 *   { period: 2023, count: 292, denominator: 499.15, value: 58.5 },
 * ], { proportion: true, polarity: "high-is-good" })
 * // { verdict: "decreasing", judgement: "getting-worse", method: "chi-square-for-trend", p: 0.00039…, points: 5, reason: "significant" }
 * @example indicatorTrend([1, 2, 3, 4, 5, 6].map((v, i) => ({ period: 2010 + i, value: v })), { proportion: false, polarity: "no-judgement" }) // { verdict: "increasing", method: "mann-kendall", p: 0.0085…, points: 6, … }
 * @throws RangeError naming the argument: periods of mixed types, a bad polarity or alpha, counts outside their denominators.
 */
export function indicatorTrend(
  points: ReadonlyArray<TrendPoint>,
  options: IndicatorTrendOptions,
): IndicatorTrend {
  const { polarity } = options;
  if (polarity !== "high-is-good" && polarity !== "low-is-good" && polarity !== "no-judgement") {
    throw new RangeError(`indicatorTrend: polarity must be "high-is-good", "low-is-good" or "no-judgement"`);
  }
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1))
    throw new RangeError(`indicatorTrend: alpha must be between 0 and 1 (got ${alpha})`);
  const kind: Kind = { value: null };
  const known = points
    .filter((p) => !missing(p.value))
    .map((p) => ({ p, t: timeOf(p.period, kind) }))
    .sort((a, b) => a.t - b.t)
    .map(({ p }) => p);
  const judge = (direction: "increasing" | "decreasing") =>
    polarity === "no-judgement"
      ? null
      : (direction === "increasing") === (polarity === "high-is-good")
        ? "getting-better"
        : "getting-worse";
  if (known.length < TREND_MIN_POINTS) {
    return {
      verdict: "cannot-be-calculated",
      judgement: null,
      method: null,
      p: null,
      points: known.length,
      reason: "too-few-points",
    };
  }
  const last5 = known.slice(-TREND_MIN_POINTS);
  const counted = last5.every((p) => !missing(p.count) && !missing(p.denominator));
  if (options.proportion && counted) {
    const marker = recentTrend(last5, {
      valueType: "proportion",
      polarity,
      multiplier: options.multiplier ?? 100,
    });
    // A count of 0 or equal to its denominator has no logit: the test cannot run, Mann–Kendall can.
    if (marker.chiSquare !== null) {
      const p = 2 * normalCdf(-Math.sqrt(marker.chiSquare), 0, 1);
      const reason: TrendReason =
        marker.reason === "Outlier found"
          ? "outlier-found"
          : marker.marker === "no-significant-change"
            ? "not-significant"
            : "significant";
      return {
        verdict: marker.marker,
        judgement: marker.judgement,
        method: "chi-square-for-trend",
        p,
        points: TREND_MIN_POINTS,
        reason,
      };
    }
  }
  const mk = mannKendall(
    known.map((p) => p.value as number),
    { alpha },
  );
  if (mk.trend === "no-trend") {
    return {
      verdict: "no-significant-change",
      judgement: null,
      method: "mann-kendall",
      p: mk.p,
      points: known.length,
      reason: "not-significant",
    };
  }
  return {
    verdict: mk.trend,
    judgement: judge(mk.trend),
    method: "mann-kendall",
    p: mk.p,
    points: known.length,
    reason: "significant",
  };
}
