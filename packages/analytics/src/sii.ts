import normal from "@stdlib/random-base-normal";
import { normaliseConfidence, twoSidedZ } from "./confidence.ts";

/**
 * One quantile (for example a deprivation decile) of an area, as `slopeIndexOfInequality` reads
 * it. Give `value` (or, for a proportion, `count` out of `population`) and either `se` or the 95%
 * limits `lower` and `upper`.
 *
 * @example const decile: SiiQuantile = { population: 7291, value: 75.9, lower: 72.7, upper: 79.1 };
 */
export type SiiQuantile = {
  population: number;
  value?: number | null;
  count?: number | null;
  lower?: number | null;
  upper?: number | null;
  se?: number | null;
};

/** "rate" and "proportion" values are log- and logit-transformed for their standard errors. @example const t: SiiValueType = "proportion"; */
export type SiiValueType = "other" | "rate" | "proportion";

/** Options of `slopeIndexOfInequality`. @example const o: SiiOptions = { valueType: "proportion", multiplier: 100 }; */
export type SiiOptions = {
  /** Default "other" (a value with symmetric limits, such as life expectancy). */
  valueType?: SiiValueType;
  /** Fit the line to log rates or logit proportions and turn the result back (default false). */
  transform?: boolean;
  /** Scales the SII and its limits; a negative multiplier flips the polarity and inverts the RII (default 1). */
  multiplier?: number;
  /** Level of the SII's interval, 0.9–1 or 90–100 (default 0.95). */
  confidence?: number;
  /** Simulated samples for the interval, at least 1000 (default 100,000). */
  repetitions?: number;
  /** Seed of the simulation's generator, so one input always gives one answer (default 1). */
  seed?: number;
};

/** What `slopeIndexOfInequality` returns. @example const s: SlopeIndexOfInequality = slopeIndexOfInequality(deciles); */
export type SlopeIndexOfInequality = {
  /** The fitted line's value at the least deprived end (relative rank 1) minus at the most deprived end (0), times the multiplier. */
  sii: number;
  /** Limits of the SII from the simulation. */
  lower: number;
  upper: number;
  /** The fitted value at rank 1 over the value at rank 0 (inverted for a negative multiplier), with its limits. */
  rii: number;
  riiLower: number;
  riiUpper: number;
  /** The fitted value at rank 0 (turned back to the value's scale, times |multiplier|, when transformed). */
  intercept: number;
  confidence: number;
  repetitions: number;
};

const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

function forward(valueType: SiiValueType, v: number): number {
  if (valueType === "rate") return Math.log(v);
  if (valueType === "proportion") return Math.log(v / (1 - v));
  return v;
}

function back(valueType: SiiValueType, v: number): number {
  if (valueType === "rate") return Math.exp(v);
  if (valueType === "proportion") return Math.exp(v) / (1 + Math.exp(v));
  return v;
}

/** R's round(): halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The slope index of inequality (SII) and relative index of inequality (RII) across quantiles of
 * deprivation, as PHEindicatormethods' `phe_sii` computes them (Low & Low 2004). Quantiles come
 * ordered from most deprived (first) to least deprived (last); there must be 5 to 100 of them,
 * each with a population above 0.
 *
 * Each quantile's share of the population is a = pop/Σpop and its relative rank b the midpoint of
 * its share in the cumulative population. The line y = β₀ + β₁b is fitted by least squares to
 * y·√a on √a and b·√a (no constant), so larger quantiles weigh more; the SII is β₁ (times the
 * multiplier), the RII (β₀ + β₁)/β₀. With `transform` the fit is on log rates or logit
 * proportions and the SII is the difference of the turned-back line's ends.
 *
 * The confidence interval is found by simulation, as in `phe_sii`: each quantile's value is drawn
 * `repetitions` times from a normal distribution with its standard error (given, or
 * (upper − lower)/(2·1.96) from its 95% limits; on the log or logit scale for rates and
 * proportions), the line refitted to every draw, and the limits read at the sorted draws'
 * positions round(R·(1 − c)/2) and round(R·(1 + c)/2). The draws come from a seeded Mersenne
 * Twister (`@stdlib/random-base-normal`), so the same input and seed always give the same limits;
 * they differ from R's own draws, so limits agree with `phe_sii`'s to simulation error only.
 *
 * @example slopeIndexOfInequality([{ population: 7291, value: 75.9, se: 1.64 }, …9 more deciles]).sii // 6.93…
 * @throws RangeError naming the quantile or option that is invalid.
 */
export function slopeIndexOfInequality(
  quantiles: readonly SiiQuantile[],
  options: SiiOptions = {},
): SlopeIndexOfInequality {
  const fn = "slopeIndexOfInequality";
  const valueType = options.valueType ?? "other";
  const transform = options.transform ?? false;
  const multiplier = options.multiplier ?? 1;
  const repetitions = options.repetitions ?? 100000;
  const seed = options.seed ?? 1;
  const confidence = normaliseConfidence(options.confidence);
  if (!["other", "rate", "proportion"].includes(valueType)) {
    throw new RangeError(
      `${fn}: valueType must be "other", "rate" or "proportion" (got ${String(valueType)})`,
    );
  }
  if (transform && valueType === "other") {
    throw new RangeError(`${fn}: transform needs valueType "rate" or "proportion"`);
  }
  if (!isNum(multiplier) || multiplier === 0) {
    throw new RangeError(`${fn}: multiplier must be a non-zero number (got ${String(multiplier)})`);
  }
  if (!Number.isInteger(repetitions) || repetitions < 1000) {
    throw new RangeError(
      `${fn}: repetitions must be a whole number of at least 1000 (got ${String(repetitions)})`,
    );
  }
  if (!Array.isArray(quantiles) || quantiles.length < 5 || quantiles.length > 100) {
    throw new RangeError(`${fn}: quantiles must hold between 5 and 100 groups (got ${quantiles?.length})`);
  }
  const z95 = twoSidedZ(0.95);
  const k = quantiles.length;
  const values = new Float64Array(k); // on the transformed scale for rates and proportions
  const ses = new Float64Array(k);
  const pops = new Float64Array(k);
  quantiles.forEach((q, i) => {
    if (!isNum(q?.population) || q.population <= 0) {
      throw new RangeError(
        `${fn}: quantiles[${i}].population must be a number > 0 (got ${String(q?.population)})`,
      );
    }
    pops[i] = q.population;
    let value = q.value;
    if (!isNum(value) && valueType === "proportion" && isNum(q.count)) {
      if (q.count <= 0) throw new RangeError(`${fn}: quantiles[${i}].count must be > 0 (got ${q.count})`);
      value = q.count / q.population;
    }
    if (!isNum(value))
      throw new RangeError(`${fn}: quantiles[${i}].value must be a finite number (got ${String(value)})`);
    if (valueType === "proportion" && !(value >= 0 && value <= 1)) {
      throw new RangeError(
        `${fn}: quantiles[${i}].value must be a proportion between 0 and 1 (got ${value})`,
      );
    }
    if (valueType === "rate" && !(value > 0)) {
      throw new RangeError(`${fn}: quantiles[${i}].value must be a rate above 0 (got ${value})`);
    }
    values[i] = forward(valueType, value);
    if (transform || !isNum(q.se)) {
      if (!isNum(q.lower) || !isNum(q.upper)) {
        throw new RangeError(
          transform
            ? `${fn}: quantiles[${i}] needs lower and upper limits when transform is true`
            : `${fn}: quantiles[${i}] needs se, or lower and upper limits`,
        );
      }
      if (valueType === "proportion" && !(q.lower >= 0 && q.upper <= 1)) {
        throw new RangeError(`${fn}: quantiles[${i}] limits must be proportions between 0 and 1`);
      }
      ses[i] = (forward(valueType, q.upper) - forward(valueType, q.lower)) / z95 / 2;
    } else {
      if (q.se < 0) throw new RangeError(`${fn}: quantiles[${i}].se must be ≥ 0 (got ${q.se})`);
      ses[i] = q.se;
    }
  });

  // Shares, relative ranks and the regressors √a and b√a.
  let total = 0;
  for (const p of pops) total += p;
  const s = new Float64Array(k);
  const t = new Float64Array(k);
  let cumulative = 0;
  for (let i = 0; i < k; i++) {
    const a = (pops[i] as number) / total;
    const b = cumulative + a / 2;
    cumulative += a;
    s[i] = Math.sqrt(a);
    t[i] = b * Math.sqrt(a);
  }
  // (XᵀX)⁻¹Xᵀ for X = [√a, b√a], folded with the √a weight of y so that β = Σ w·value.
  let sss = 0;
  let sst = 0;
  let stt = 0;
  for (let i = 0; i < k; i++) {
    sss += (s[i] as number) ** 2;
    sst += (s[i] as number) * (t[i] as number);
    stt += (t[i] as number) ** 2;
  }
  const det = sss * stt - sst * sst;
  const w0 = new Float64Array(k);
  const w1 = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const si = s[i] as number;
    const ti = t[i] as number;
    w0[i] = ((stt * si - sst * ti) / det) * si;
    w1[i] = ((sss * ti - sst * si) / det) * si;
  }
  const fit = (ys: ArrayLike<number>): [number, number] => {
    let b0 = 0;
    let b1 = 0;
    for (let i = 0; i < k; i++) {
      b0 += (w0[i] as number) * (ys[i] as number);
      b1 += (w1[i] as number) * (ys[i] as number);
    }
    return [b0, b1];
  };

  // The point estimates.
  const onScale = transform ? values : values.map((v) => back(valueType, v));
  const [beta0, beta1] = fit(onScale);

  // The simulation.
  const draw = normal.factory({ seed });
  const siiDraws = new Float64Array(repetitions);
  const riiDraws = new Float64Array(repetitions);
  const sample = new Float64Array(k);
  for (let r = 0; r < repetitions; r++) {
    for (let i = 0; i < k; i++) {
      const v = draw(values[i] as number, ses[i] as number);
      sample[i] = transform ? v : back(valueType, v);
    }
    const [b0, b1] = fit(sample);
    siiDraws[r] = transform ? b1 : b1 * multiplier;
    const rii = (b0 + b1) / b0;
    riiDraws[r] = multiplier < 0 && !transform ? 1 / rii : rii;
  }
  siiDraws.sort();
  riiDraws.sort();
  const upperLevel = confidence + (1 - confidence) / 2;
  const lowerAt = Math.max(1, roundHalfEven(repetitions * (1 - upperLevel))) - 1;
  const upperAt = Math.min(repetitions, roundHalfEven(repetitions * upperLevel)) - 1;
  const drawLower = siiDraws[lowerAt] as number;
  const drawUpper = siiDraws[upperAt] as number;

  if (!transform) {
    const rii = (beta0 + beta1) / beta0;
    return {
      sii: beta1 * multiplier,
      lower: drawLower,
      upper: drawUpper,
      rii: multiplier < 0 ? 1 / rii : rii,
      riiLower: riiDraws[lowerAt] as number,
      riiUpper: riiDraws[upperAt] as number,
      intercept: beta0,
      confidence,
      repetitions,
    };
  }
  // Transformed: the line's ends turned back, and the limits as lines of the simulated slopes
  // through the fitted line's midpoint.
  const atZero = back(valueType, beta0);
  const atOne = back(valueType, beta0 + beta1);
  const middle = beta0 + beta1 / 2;
  const ends = (slope: number) =>
    [back(valueType, middle - slope / 2), back(valueType, middle + slope / 2)] as const;
  const [lowZero, lowOne] = ends(drawLower);
  const [highZero, highOne] = ends(drawUpper);
  const flip = multiplier < 0;
  return {
    sii: (atOne - atZero) * multiplier,
    lower: flip ? (highOne - highZero) * multiplier : (lowOne - lowZero) * multiplier,
    upper: flip ? (lowOne - lowZero) * multiplier : (highOne - highZero) * multiplier,
    rii: flip ? atZero / atOne : atOne / atZero,
    riiLower: flip ? highZero / highOne : lowOne / lowZero,
    riiUpper: flip ? lowZero / lowOne : highOne / highZero,
    intercept: atZero * Math.abs(multiplier),
    confidence,
    repetitions,
  };
}
