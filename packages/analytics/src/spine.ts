/** The England range of one indicator for a spine chart. @example const s: SpineSummary = spineSummary([1, 2, 3, 4, 5])!; */
export type SpineSummary = {
  /** How many areas' values the range is made of. */
  n: number;
  min: number;
  q25: number;
  median: number;
  q75: number;
  max: number;
};

/**
 * The p-quantile of sorted values by linear interpolation between order statistics (Hyndman & Fan
 * type 7, R's and Excel's PERCENTILE.INC default): h = (n − 1)p, x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]).
 *
 * @example quantileSorted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.25) // 3.25
 * @throws RangeError naming `p` outside 0–1 or `sorted` when empty.
 */
export function quantileSorted(sorted: ReadonlyArray<number>, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantileSorted: p must be between 0 and 1 (got ${p})`);
  if (sorted.length === 0) throw new RangeError("quantileSorted: sorted must hold at least one number");
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  return a + (h - lo) * (b - a);
}

/**
 * What a spine chart draws for one indicator (Fingertips' area profile): the lowest and highest
 * value among the areas, the 25th and 75th percentiles (type 7, see `quantileSorted`) and the
 * median. Missing and non-finite values are left out; fewer than 2 values give null (no range).
 *
 * @example spineSummary([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) // { n: 10, min: 1, q25: 3.25, median: 5.5, q75: 7.75, max: 10 }
 */
export function spineSummary(values: ReadonlyArray<number | null | undefined>): SpineSummary | null {
  const sorted = values
    .filter((v): v is number => typeof v === "number" && Number.isFinite(v))
    .sort((a, b) => a - b);
  if (sorted.length < 2) return null;
  return {
    n: sorted.length,
    min: sorted[0]!,
    q25: quantileSorted(sorted, 0.25),
    median: quantileSorted(sorted, 0.5),
    q75: quantileSorted(sorted, 0.75),
    max: sorted.at(-1)!,
  };
}
