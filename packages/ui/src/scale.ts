/**
 * A linear map from a domain to a range.
 *
 * @example scaleLinear([0, 10], [100, 0])(5) // 50
 */
export function scaleLinear(domain: [number, number], range: [number, number]): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/**
 * Round tick values that cover [min, max] in about `count` steps of 1, 2 or 5 × 10ⁿ.
 *
 * @example niceTicks(65.2, 74.1, 5) // [64, 66, 68, 70, 72, 74, 76]
 */
export function niceTicks(min: number, max: number, count: number): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min === max) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
    return niceTicks(min - pad, max + pad, count);
  }
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const start = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let v = start; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toFixed(10)));
  if ((ticks.at(-1) ?? max) < max) ticks.push(Number(((ticks.at(-1) ?? 0) + step).toFixed(10)));
  return ticks;
}
