import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { twoSidedZ } from "./confidence.ts";

/** One forecast step: `step` periods after the last value. @example const s: ForecastStep = { step: 1, value: 10, lower: 8, upper: 12 }; */
export type ForecastStep = { step: number; value: number; lower: number; upper: number };

/** The result of `linearForecast`: the steps, with the fitted line. @example const f: LinearForecast = linearForecast([1, 2, 4], 2); f.slope */
export type LinearForecast = ForecastStep[] & {
  intercept: number;
  slope: number;
  /** s, the residual standard deviation (n − 2 divisor). */
  residualSd: number;
};

/** The result of `holtForecast`: the steps, with the parameters used and the final state. @example const f: HoltForecast = holtForecast([1, 2, 4, 5], 2); f.alpha */
export type HoltForecast = ForecastStep[] & {
  alpha: number;
  beta: number;
  /** σ², the mean squared one-step error. */
  sigma2: number;
  level: number;
  trend: number;
};

/** Options of `linearForecast`. @example const o: LinearForecastOptions = { confidence: 0.8 }; */
export type LinearForecastOptions = { confidence?: number };
/** Options of `holtForecast`. @example const o: HoltOptions = { alpha: 0.5, beta: 0.2 }; */
export type HoltOptions = { alpha?: number; beta?: number; confidence?: number };

/**
 * Reads a confidence level for a forecast interval. Unlike the indicator intervals, any level
 * between 0 and 1 (or 0 and 100 as a percentage) is allowed, e.g. 0.8 for an 80% fan.
 */
function forecastLevel(confidence: number | undefined, fn: string): number {
  if (confidence === undefined) return 0.95;
  if (confidence > 0 && confidence <= 1) return confidence;
  if (confidence > 1 && confidence <= 100) return confidence / 100;
  throw new RangeError(`${fn}: confidence must be between 0 and 1 or between 0 and 100 (got ${confidence})`);
}

function checkSeries(values: ReadonlyArray<number>, min: number, fn: string): void {
  if (!Array.isArray(values) || values.length < min) {
    throw new RangeError(`${fn}: values must hold at least ${min} numbers`);
  }
  for (const v of values) {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new RangeError(`${fn}: values must be finite numbers (got ${String(v)})`);
    }
  }
}

function checkHorizon(horizon: number, fn: string): void {
  if (!Number.isInteger(horizon) || horizon < 0) {
    throw new RangeError(`${fn}: horizon must be a whole number ≥ 0 (got ${horizon})`);
  }
}

/**
 * The straight-line "do nothing" forecast: ordinary least squares on t = 0…n−1, then for step h
 * (t₀ = n − 1 + h) the prediction interval ŷ ± t(n−2) · s · √(1 + 1/n + (t₀ − t̄)² / Sxx).
 *
 * @example
 * const f = linearForecast([10, 12, 13, 15, 16], 2); // f[0] ≈ { step: 1, value: 17.7, lower: 16.24, upper: 19.16 }, f.slope 1.5
 * @throws RangeError naming `values` (fewer than 3, or not finite), `horizon` or `confidence`.
 */
export function linearForecast(
  values: ReadonlyArray<number>,
  horizon: number,
  options: LinearForecastOptions = {},
): LinearForecast {
  const fn = "linearForecast";
  checkSeries(values, 3, fn);
  checkHorizon(horizon, fn);
  const level = forecastLevel(options.confidence, fn);
  const n = values.length;
  const tBar = (n - 1) / 2;
  let yBar = 0;
  for (const v of values) yBar += v;
  yBar /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (i - tBar) ** 2;
    sxy += (i - tBar) * (values[i]! - yBar);
  }
  const slope = sxy / sxx;
  const intercept = yBar - slope * tBar;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (values[i]! - (intercept + slope * i)) ** 2;
  const s = Math.sqrt(rss / (n - 2));
  const q = level === 1 ? Number.POSITIVE_INFINITY : tQuantile(level + (1 - level) / 2, n - 2);
  const steps: ForecastStep[] = [];
  for (let h = 1; h <= horizon; h++) {
    const t0 = n - 1 + h;
    const value = intercept + slope * t0;
    const half = s === 0 ? 0 : q * s * Math.sqrt(1 + 1 / n + (t0 - tBar) ** 2 / sxx);
    steps.push({ step: h, value, lower: value - half, upper: value + half });
  }
  return Object.assign(steps, { intercept, slope, residualSd: s });
}

/** Runs Holt's recursions; returns the sum of squared one-step errors from t = 2 and the final state. */
function holtRun(values: ReadonlyArray<number>, alpha: number, beta: number) {
  let level = values[0]!;
  let trend = values[1]! - values[0]!;
  let sse = 0;
  for (let t = 1; t < values.length; t++) {
    const y = values[t]!;
    const forecast = level + trend;
    if (t >= 2) sse += (y - forecast) ** 2;
    const nextLevel = alpha * y + (1 - alpha) * forecast;
    trend = beta * (nextLevel - level) + (1 - beta) * trend;
    level = nextLevel;
  }
  return { sse, level, trend };
}

function checkUnit(value: number | undefined, name: string): void {
  if (value !== undefined && !(value >= 0 && value <= 1)) {
    throw new RangeError(`holtForecast: ${name} must lie between 0 and 1 (got ${value})`);
  }
}

/** Minimises the one-step SSE over the free parameters in [0, 1] by successively finer grids. */
function optimise(values: ReadonlyArray<number>, alpha: number | undefined, beta: number | undefined) {
  let bestA = alpha ?? 0.5;
  let bestB = beta ?? 0.5;
  let best = holtRun(values, bestA, bestB).sse;
  let step = 0.05;
  let aLo = 0;
  let aHi = 1;
  let bLo = 0;
  let bHi = 1;
  for (let round = 0; round < 6; round++) {
    const aGrid = alpha === undefined ? grid(aLo, aHi, step) : [alpha];
    const bGrid = beta === undefined ? grid(bLo, bHi, step) : [beta];
    for (const a of aGrid) {
      for (const b of bGrid) {
        const sse = holtRun(values, a, b).sse;
        // Prefer the smaller error; on a tie keep the earlier (smaller) parameters.
        if (sse < best - 1e-12 * Math.max(1, best)) {
          best = sse;
          bestA = a;
          bestB = b;
        }
      }
    }
    aLo = Math.max(0, bestA - step);
    aHi = Math.min(1, bestA + step);
    bLo = Math.max(0, bestB - step);
    bHi = Math.min(1, bestB + step);
    step /= 10;
  }
  return { alpha: bestA, beta: bestB };
}

function grid(lo: number, hi: number, step: number): number[] {
  const out: number[] = [];
  const count = Math.round((hi - lo) / step);
  for (let i = 0; i <= count; i++) out.push(Math.min(hi, lo + i * step));
  return out;
}

/**
 * Holt's linear (double exponential smoothing) forecast with level₀ = y₀ and trend₀ = y₁ − y₀:
 * levelₜ = α·yₜ + (1 − α)(levelₜ₋₁ + trendₜ₋₁), trendₜ = β(levelₜ − levelₜ₋₁) + (1 − β)·trendₜ₋₁.
 * Step h forecasts level + h·trend with interval ± z·σ·√(1 + Σⱼ₌₁ʰ⁻¹ (α + αβj)²) (ETS(A,A,N)),
 * σ² the mean squared one-step error from the third point on (the second is fitted exactly by
 * the start values, as R's HoltWinters). When alpha and/or beta are omitted they are chosen in
 * [0, 1] by minimising that squared error (grid refined to 5·10⁻⁷) and returned on the result.
 *
 * @example
 * const f = holtForecast([10, 12, 13, 15, 16, 18], 3, { alpha: 0.5, beta: 0.3 }); // f[0].value, f.alpha === 0.5
 * holtForecast([10, 12, 13, 15, 16, 18], 3).alpha // the fitted α
 * @throws RangeError naming `values` (fewer than 3, or not finite), `horizon`, `alpha`, `beta` or `confidence`.
 */
export function holtForecast(
  values: ReadonlyArray<number>,
  horizon: number,
  options: HoltOptions = {},
): HoltForecast {
  const fn = "holtForecast";
  if (!Array.isArray(values) || values.length < 3) checkSeries(values, 3, fn);
  if (!Number.isInteger(horizon) || horizon < 0) checkHorizon(horizon, fn);
  let alpha = options.alpha;
  let beta = options.beta;
  if (alpha !== undefined && !(alpha >= 0 && alpha <= 1)) checkUnit(alpha, "alpha");
  if (beta !== undefined && !(beta >= 0 && beta <= 1)) checkUnit(beta, "beta");
  const confidence = options.confidence;
  const z = confidence === undefined || confidence === 0.95 ? Z95 : forecastZ(forecastLevel(confidence, fn));
  if (alpha === undefined || beta === undefined) {
    checkSeries(values, 3, fn);
    const fitted = optimise(values, alpha, beta);
    alpha = fitted.alpha;
    beta = fitted.beta;
  }
  return holtFixed(values, horizon, alpha, beta, z);
}

/** Holt's recursions and the forecast steps for fixed parameters: the hot path of a recompute run. */
function holtFixed(values: ReadonlyArray<number>, horizon: number, alpha: number, beta: number, z: number) {
  const n = values.length;
  let level = values[0]!;
  let trend = values[1]! - level;
  let sse = 0;
  for (let t = 1; t < n; t++) {
    const y = values[t]!;
    const forecast = level + trend;
    if (t >= 2) sse += (y - forecast) * (y - forecast);
    const nextLevel = alpha * y + (1 - alpha) * forecast;
    trend = beta * (nextLevel - level) + (1 - beta) * trend;
    level = nextLevel;
  }
  // Any value that is not a finite number leaves a non-finite state or error: only then look closer.
  if (!(Number.isFinite(sse) && Number.isFinite(level) && Number.isFinite(trend))) {
    checkSeries(values, 3, "holtForecast");
  }
  const sigma2 = sse / (n - 2);
  const steps = new Array<ForecastStep>(horizon) as HoltForecast;
  let sumPsi2 = 0;
  for (let h = 1; h <= horizon; h++) {
    if (h > 1) {
      const psi = alpha + alpha * beta * (h - 1);
      sumPsi2 += psi * psi;
    }
    const value = level + h * trend;
    const half = sigma2 === 0 ? 0 : z * Math.sqrt(sigma2 * (1 + sumPsi2));
    steps[h - 1] = { step: h, value, lower: value - half, upper: value + half };
  }
  steps.alpha = alpha;
  steps.beta = beta;
  steps.sigma2 = sigma2;
  steps.level = level;
  steps.trend = trend;
  return steps;
}

const Z95 = twoSidedZ(0.95);
const forecastZ = (level: number) => (level === 1 ? Number.POSITIVE_INFINITY : twoSidedZ(level));
