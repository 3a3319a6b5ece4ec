import {
  type AreaSeries,
  type Observation,
  periodBounds,
  periodFromKey,
  type SeriesPoint,
} from "@fivestep/domain";
import type { Executor } from "../database.ts";

/**
 * The series of one indicator (one breakdown, "" for none) for the given areas, each in time order, in the order the codes were
 * given (every area that has values, by code, when `areaCodes` is empty). An unknown indicator gives
 * an empty list; an area without values gives a series with no points.
 *
 * @example const [coventry] = await seriesFor(db, { indicatorCode: "NI 151", areaCodes: ["E08000026"] });
 */
export async function seriesFor(
  db: Executor,
  query: { indicatorCode: string; areaCodes: readonly string[]; breakdown?: string },
): Promise<AreaSeries[]> {
  let q = db
    .selectFrom("observation as o")
    .innerJoin("indicator as i", "i.id", "o.indicator_id")
    .innerJoin("area as a", "a.id", "o.area_id")
    .select([
      "a.code as areaCode",
      "a.name as areaName",
      "o.period",
      "o.value",
      "o.numerator",
      "o.denominator",
      "o.lower",
      "o.upper",
      "o.publisher_judgement",
      "o.judgement_source",
      "o.interval_method",
    ])
    .where("i.code", "=", query.indicatorCode)
    .where("o.breakdown", "=", query.breakdown ?? "")
    .orderBy("o.period_start")
    .orderBy("o.period");
  if (query.areaCodes.length > 0) q = q.where("a.code", "in", query.areaCodes);
  const rows = await q.execute();

  const byArea = new Map<string, AreaSeries>();
  if (query.areaCodes.length > 0) {
    const names = await db
      .selectFrom("area")
      .select(["code", "name"])
      .where("code", "in", query.areaCodes)
      .execute();
    const nameOf = new Map(names.map((n) => [n.code, n.name]));
    for (const code of query.areaCodes) {
      const name = nameOf.get(code);
      if (name !== undefined) byArea.set(code, { areaCode: code, areaName: name, points: [] });
    }
  }
  for (const r of rows) {
    let series = byArea.get(r.areaCode);
    if (!series) {
      series = { areaCode: r.areaCode, areaName: r.areaName, points: [] };
      byArea.set(r.areaCode, series);
    }
    series.points.push(seriesPoint(r));
  }
  const result = [...byArea.values()];
  // Without a requested order, list areas by code so the answer is the same on every engine.
  if (query.areaCodes.length === 0)
    result.sort((a, b) => (a.areaCode < b.areaCode ? -1 : a.areaCode > b.areaCode ? 1 : 0));
  return result;
}

/** The observation columns a series point carries, as `seriesFor` and `seriesByArea` select them. */
interface SeriesPointRow {
  period: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  lower: number | null;
  upper: number | null;
  publisher_judgement: SeriesPoint["publisherJudgement"];
  judgement_source: SeriesPoint["judgementSource"];
  interval_method: SeriesPoint["intervalMethod"];
}

/** One point of a series from its row. @example seriesPoint(row).value */
function seriesPoint(r: SeriesPointRow): SeriesPoint {
  return {
    period: r.period,
    value: r.value,
    numerator: r.numerator,
    denominator: r.denominator,
    lower: r.lower,
    upper: r.upper,
    publisherJudgement: r.publisher_judgement,
    judgementSource: r.judgement_source,
    intervalMethod: r.interval_method,
  };
}

/**
 * The series of one indicator (breakdown "") for many areas at once, in as few statements as the
 * engines' parameter limits allow (one for up to 30,000 areas): each area's points in time order,
 * by area code. Areas without values are absent. A recompute of every target of an indicator
 * reads its series so, rather than one query per target.
 *
 * @example const byArea = await seriesByArea(db, { indicatorId: 3, areaCodes: ["E08000026", "E08000031"] }); byArea.get("E08000026")?.at(-1)?.value
 */
export async function seriesByArea(
  db: Executor,
  query: { indicatorId: number; areaCodes: readonly string[] },
): Promise<Map<string, SeriesPoint[]>> {
  const byArea = new Map<string, SeriesPoint[]>();
  const codes = [...new Set(query.areaCodes)];
  for (let k = 0; k < codes.length; k += 30_000) {
    const rows = await db
      .selectFrom("observation as o")
      .innerJoin("area as a", "a.id", "o.area_id")
      .select([
        "a.code as areaCode",
        "o.period",
        "o.value",
        "o.numerator",
        "o.denominator",
        "o.lower",
        "o.upper",
        "o.publisher_judgement",
        "o.judgement_source",
        "o.interval_method",
      ])
      .where("o.indicator_id", "=", query.indicatorId)
      .where("o.breakdown", "=", "")
      // As a list of area ids, so both engines seek the (indicator, area, period_start) index
      // area by area, in the order asked for below, rather than read the indicator's every row.
      .where("o.area_id", "in", (eb) =>
        eb
          .selectFrom("area")
          .select("id")
          .where("code", "in", codes.slice(k, k + 30_000)),
      )
      // The same order within an area as `seriesFor`.
      .orderBy("o.area_id")
      .orderBy("o.period_start")
      .orderBy("o.period")
      .execute();
    for (const r of rows) {
      let points = byArea.get(r.areaCode);
      if (!points) {
        points = [];
        byArea.set(r.areaCode, points);
      }
      points.push(seriesPoint(r));
    }
  }
  return byArea;
}

/**
 * The latest values (breakdown "", value not NULL) of one indicator for many areas: each area's
 * values of its latest first day (`period_start`; usually one value, more when periods of
 * different types start that day), in the order of `seriesFor`, by area code; areas without
 * values are absent. A target's status depends only on its latest value, so a recompute reads
 * these rather than whole series: one statement per 30,000 areas, one row per area read out of
 * the database, while the engine walks the series index.
 *
 * @example const latest = await latestValuesByArea(db, { indicatorId: 3, areaCodes: ["E08000026"] }); latest.get("E08000026")?.[0]?.period // "2008 Q4"
 */
export async function latestValuesByArea(
  db: Executor,
  query: { indicatorId: number; areaCodes: readonly string[] },
): Promise<Map<string, SeriesPoint[]>> {
  const byArea = new Map<string, SeriesPoint[]>();
  const codes = [...new Set(query.areaCodes)];
  for (let k = 0; k < codes.length; k += 30_000) {
    const rows = await db
      .selectFrom((eb) =>
        eb
          .selectFrom("observation as o")
          .innerJoin("area as a", "a.id", "o.area_id")
          .select([
            "a.code as areaCode",
            "o.period",
            "o.period_start",
            "o.value",
            "o.numerator",
            "o.denominator",
            "o.lower",
            "o.upper",
          ])
          .select((eb) =>
            eb.fn
              .max("o.period_start")
              .over((ob) => ob.partitionBy("o.area_id"))
              .as("last_start"),
          )
          .where("o.indicator_id", "=", query.indicatorId)
          .where("o.breakdown", "=", "")
          .where("o.value", "is not", null)
          .where("o.area_id", "in", (eb) =>
            eb
              .selectFrom("area")
              .select("id")
              .where("code", "in", codes.slice(k, k + 30_000)),
          )
          .as("s"),
      )
      .select(["s.areaCode", "s.period", "s.value", "s.numerator", "s.denominator", "s.lower", "s.upper"])
      .whereRef("s.period_start", "=", "s.last_start")
      .orderBy("s.areaCode")
      .orderBy("s.period")
      .execute();
    for (const r of rows) {
      let points = byArea.get(r.areaCode);
      if (!points) {
        points = [];
        byArea.set(r.areaCode, points);
      }
      points.push({
        period: r.period,
        value: r.value,
        numerator: r.numerator,
        denominator: r.denominator,
        lower: r.lower,
        upper: r.upper,
      });
    }
  }
  return byArea;
}

/**
 * Writes observations (insert, or replace the value of an existing indicator × area × period ×
 * breakdown), without revisions: the demo seed's path. Imports go through `createObservationWriter`.
 * Indicator and area codes must exist; an unknown one throws an Error naming it, and the caller's
 * transaction keeps the write all-or-nothing.
 *
 * @example await db.transaction().execute((trx) => upsertObservations(trx, rows));
 */
export async function upsertObservations(
  db: Executor,
  observations: ReadonlyArray<
    Omit<Observation, "breakdown" | "status" | "note"> &
      Partial<Pick<Observation, "breakdown" | "status" | "note">>
  >,
): Promise<number> {
  if (observations.length === 0) return 0;
  const indicatorIds = new Map(
    (await db.selectFrom("indicator").select(["id", "code"]).execute()).map((r) => [r.code, r.id]),
  );
  const areaIds = new Map(
    (await db.selectFrom("area").select(["id", "code"]).execute()).map((r) => [r.code, r.id]),
  );
  let written = 0;
  for (const o of observations) {
    const indicatorId = indicatorIds.get(o.indicatorCode);
    if (indicatorId === undefined) throw new Error(`Unknown indicator code "${o.indicatorCode}"`);
    const areaId = areaIds.get(o.areaCode);
    if (areaId === undefined) throw new Error(`Unknown area code "${o.areaCode}"`);
    const period = periodFromKey(o.period);
    const values = {
      value: o.value,
      numerator: o.numerator,
      denominator: o.denominator,
      lower: o.lower,
      upper: o.upper,
      status: o.status ?? "final",
      note: o.note ?? null,
    };
    await db
      .insertInto("observation")
      .values({
        indicator_id: indicatorId,
        area_id: areaId,
        period: o.period,
        breakdown: o.breakdown ?? "",
        period_type: period.type,
        period_start: periodBounds(period).start,
        ...values,
      })
      .onConflict((oc) => oc.columns(["indicator_id", "area_id", "period", "breakdown"]).doUpdateSet(values))
      .execute();
    written++;
  }
  return written;
}

/**
 * The breakdowns an indicator has values for ("" is none), in order.
 *
 * @example await breakdownsOf(db, "LE-BIRTH") // ["Female", "Male"]
 */
export async function breakdownsOf(db: Executor, indicatorCode: string): Promise<string[]> {
  const rows = await db
    .selectFrom("observation as o")
    .innerJoin("indicator as i", "i.id", "o.indicator_id")
    .select("o.breakdown")
    .distinct()
    .where("i.code", "=", indicatorCode)
    .orderBy("o.breakdown")
    .execute();
  return rows.map((r) => r.breakdown);
}

/**
 * The values (breakdown "", not NULL) of one indicator in one period for every English district,
 * unitary authority, metropolitan district and London borough (codes E06, E07, E08, E09): the
 * national range a spine chart draws.
 *
 * @example const values = await districtValuesInPeriod(db, { indicatorCode: "LE-MALE", period: "2021-2023" }); values.length // 296
 */
export async function districtValuesInPeriod(
  db: Executor,
  query: { indicatorCode: string; period: string },
): Promise<number[]> {
  const rows = await db
    .selectFrom("observation as o")
    .innerJoin("area as a", "a.id", "o.area_id")
    .innerJoin("indicator as i", "i.id", "o.indicator_id")
    .select("o.value")
    .where("i.code", "=", query.indicatorCode)
    .where("o.breakdown", "=", "")
    .where("o.period", "=", query.period)
    .where("o.value", "is not", null)
    .where((eb) => eb.or(["E06%", "E07%", "E08%", "E09%"].map((prefix) => eb("a.code", "like", prefix))))
    .execute();
  return rows.map((r) => Number(r.value));
}
