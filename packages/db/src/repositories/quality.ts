import type { Executor } from "../database.ts";

/** A stored value with where it belongs. */
export interface QualityPoint {
  indicatorCode: string;
  areaCode: string;
  areaName: string;
  breakdown: string;
  period: string;
  value: number;
}

/**
 * Stored values of one indicator below `min` or above `max` (either may be null), at most `limit`.
 *
 * @example const bad = await valuesOutside(db, "NI 151", { min: 0, max: 100, limit: 100 });
 */
export async function valuesOutside(
  db: Executor,
  indicatorCode: string,
  r: { min: number | null; max: number | null; limit: number },
): Promise<QualityPoint[]> {
  if (r.min === null && r.max === null) return [];
  const { min, max } = r;
  return db
    .selectFrom("observation as o")
    .innerJoin("indicator as i", "i.id", "o.indicator_id")
    .innerJoin("area as a", "a.id", "o.area_id")
    .select([
      "i.code as indicatorCode",
      "a.code as areaCode",
      "a.name as areaName",
      "o.breakdown",
      "o.period",
    ])
    .select((eb) => eb.fn.coalesce("o.value", eb.lit(0)).as("value"))
    .where("i.code", "=", indicatorCode)
    .where("o.value", "is not", null)
    .where((eb) => {
      const ors = [];
      if (min !== null) ors.push(eb("o.value", "<", min));
      if (max !== null) ors.push(eb("o.value", ">", max));
      return eb.or(ors);
    })
    .orderBy("a.code")
    .orderBy("o.period_start")
    .limit(r.limit)
    .execute();
}

/**
 * Every stored value of one indicator, by area, breakdown and time: the input of outlier checks.
 *
 * @example const points = await indicatorValues(db, "NI 151");
 */
export async function indicatorValues(db: Executor, indicatorCode: string): Promise<QualityPoint[]> {
  return db
    .selectFrom("observation as o")
    .innerJoin("indicator as i", "i.id", "o.indicator_id")
    .innerJoin("area as a", "a.id", "o.area_id")
    .select([
      "i.code as indicatorCode",
      "a.code as areaCode",
      "a.name as areaName",
      "o.breakdown",
      "o.period",
    ])
    .select((eb) => eb.fn.coalesce("o.value", eb.lit(0)).as("value"))
    .where("i.code", "=", indicatorCode)
    .where("o.value", "is not", null)
    .orderBy("a.code")
    .orderBy("o.breakdown")
    .orderBy("o.period_start")
    .orderBy("o.period")
    .execute();
}

/**
 * Each indicator's latest stored period (by first day; the longest on a tie), or none.
 *
 * @example const latest = await latestPeriods(db); latest.get("NI 151") // "2007 Q2"
 */
export async function latestPeriods(db: Executor): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom("observation as o")
    .innerJoin("indicator as i", "i.id", "o.indicator_id")
    .select(["i.code", "o.period", "o.period_start"])
    .distinct()
    .orderBy("i.code")
    .orderBy("o.period_start")
    .execute();
  const latest = new Map<string, string>();
  for (const r of rows) latest.set(r.code, r.period);
  return latest;
}
