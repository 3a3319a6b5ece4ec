import { type Executor, findIndicatorByCode, type IndicatorRecord, seriesFor } from "@fivestep/db";
import type { AreaSeries, SeriesPoint } from "@fivestep/domain";

const empty = (p: string): SeriesPoint => ({ period: p, value: null, lower: null, upper: null });

/**
 * The series of a derived indicator, computed on read from its sources' stored values (so it is
 * never stale and never typed): a ratio per area and period, or a rolling average over each
 * area's last `window` values. Sources may themselves be derived, up to three levels.
 *
 * @example const series = await derivedSeries(db, indicator, { areaCodes: ["E08000026"], breakdown: "" });
 */
export async function derivedSeries(
  db: Executor,
  indicator: IndicatorRecord,
  query: { areaCodes: readonly string[]; breakdown: string },
  depth = 0,
): Promise<AreaSeries[]> {
  const d = indicator.derivation;
  if (!d)
    return seriesFor(db, {
      areaCodes: query.areaCodes,
      breakdown: query.breakdown,
      indicatorCode: indicator.code,
    });
  if (depth > 3) throw new Error(`${indicator.code}: derived from itself through other indicators`);
  const sourceSeries = async (code: string) => {
    const source = await findIndicatorByCode(db, code);
    return source ? derivedSeries(db, source, query, depth + 1) : [];
  };
  if (d.kind === "rolling-average") {
    return (await sourceSeries(d.of)).map((s) => ({
      ...s,
      points: s.points.flatMap((p, i) => {
        if (i + 1 < d.window) return [];
        const window = s.points.slice(i + 1 - d.window, i + 1).map((q) => q.value);
        if (window.some((v) => v === null)) return [empty(p.period)];
        const sum = (window as number[]).reduce((a, b) => a + b, 0);
        return [{ ...empty(p.period), value: sum / d.window }];
      }),
    }));
  }
  const [numerators, denominators] = [await sourceSeries(d.numeratorOf), await sourceSeries(d.denominatorOf)];
  return numerators.map((n) => {
    const den = new Map(
      (denominators.find((s) => s.areaCode === n.areaCode)?.points ?? []).map((p) => [
        p.period,
        p.denominator ?? p.value,
      ]),
    );
    return {
      ...n,
      points: n.points.flatMap((p) => {
        if (!den.has(p.period)) return [];
        const top = p.numerator ?? p.value;
        const bottom = den.get(p.period) ?? null;
        const value = top !== null && bottom !== null && bottom > 0 ? (top / bottom) * d.multiplier : null;
        return [{ ...empty(p.period), value, numerator: top, denominator: bottom }];
      }),
    };
  });
}
