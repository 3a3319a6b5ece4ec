import { dataFreshness, FREQUENCY_MONTHS } from "@fivestep/analytics";
import {
  type Executor,
  indicatorValues,
  latestPeriods,
  listIndicators,
  type QualityPoint,
  valuesOutside,
} from "@fivestep/db";
import { validRange } from "@fivestep/domain";

/** |robust z| above this flags an outlier (Iglewicz and Hoaglin's 3.5). @example OUTLIER_Z // 3.5 */
export const OUTLIER_Z = 3.5;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/**
 * Robust z-scores: 0.6745 × (x − median) / MAD, where MAD is the median absolute deviation. Null
 * for every point when the MAD is 0 (a flat series has no outliers by this rule).
 *
 * @example robustZ([1, 2, 3, 4, 100]).at(-1) // ≈ 65.6
 */
export function robustZ(values: readonly number[]): Array<number | null> {
  if (values.length === 0) return [];
  const m = median([...values]);
  const mad = median(values.map((v) => Math.abs(v - m)));
  return values.map((v) => (mad === 0 ? null : (0.6745 * (v - m)) / mad));
}

/** An outlier against its own series. */
export type Outlier = QualityPoint & { z: number; median: number };
/** A stale indicator: the next period should be out by `dueSince` and is not stored. */
export interface StaleIndicator {
  indicatorCode: string;
  title: string;
  latestPeriod: string | null;
  expectedPeriod: string | null;
  dueSince: string | null;
}

/**
 * The data-quality report: stored values outside each indicator's valid range; outliers against
 * their own series (each area × breakdown with at least 5 values; |robust z| > 3.5; flagged, never
 * blocked); and stale active indicators, by the same rule as the plan overview (`dataFreshness`
 * from @fivestep/analytics: the next period's end plus the release lag, `releaseLagDays` or
 * 60/120/365 days for monthly/quarterly/annual data, is before `asOf`), or with no value at all.
 *
 * @example const report = await qualityReport(db, { asOf: "2025-01-01" });
 */
export async function qualityReport(
  db: Executor,
  options: { indicatorCode?: string; asOf: string; limit?: number },
): Promise<{ outOfRange: QualityPoint[]; outliers: Outlier[]; stale: StaleIndicator[] }> {
  const limit = options.limit ?? 200;
  const indicators = (await listIndicators(db)).filter(
    (i) => !i.derivation && (options.indicatorCode === undefined || i.code === options.indicatorCode),
  );
  const outOfRange: QualityPoint[] = [];
  const outliers: Outlier[] = [];
  for (const i of indicators) {
    const range = validRange(i);
    outOfRange.push(...(await valuesOutside(db, i.code, { ...range, limit })));
    const points = await indicatorValues(db, i.code);
    let start = 0;
    while (start < points.length) {
      const first = points[start] as QualityPoint;
      let end = start;
      while (
        end < points.length &&
        points[end]?.areaCode === first.areaCode &&
        points[end]?.breakdown === first.breakdown
      )
        end++;
      const series = points.slice(start, end);
      if (series.length >= 5) {
        const values = series.map((p) => p.value);
        const m = median(values);
        robustZ(values).forEach((z, k) => {
          if (z !== null && Math.abs(z) > OUTLIER_Z)
            outliers.push({ ...(series[k] as QualityPoint), z, median: m });
        });
      }
      start = end;
    }
  }
  const latest = await latestPeriods(db);
  const stale: StaleIndicator[] = [];
  for (const i of indicators) {
    if (i.status !== "active") continue;
    // Ad-hoc data has no release calendar to fall behind.
    if (FREQUENCY_MONTHS[i.frequency] === null) continue;
    const last = latest.get(i.code);
    if (!last) {
      stale.push({
        indicatorCode: i.code,
        title: i.title,
        latestPeriod: null,
        expectedPeriod: null,
        dueSince: null,
      });
      continue;
    }
    const freshness = dataFreshness({
      latestPeriod: last,
      frequency: i.frequency,
      releaseLagDays: i.releaseLagDays,
      asOf: options.asOf,
    });
    if (freshness.stale) {
      stale.push({
        indicatorCode: i.code,
        title: i.title,
        latestPeriod: last,
        expectedPeriod: freshness.nextPeriod,
        dueSince: freshness.dueBy,
      });
    }
  }
  return { outOfRange: outOfRange.slice(0, limit), outliers: outliers.slice(0, limit), stale };
}
