import { type Derivation, type Indicator, IndicatorSchema } from "@fivestep/domain";
import type { Executor } from "../database.ts";
import type { IndicatorRow, NewIndicator } from "../tables/indicator.table.ts";

/** A catalogue indicator with its id and version (for edits against the version seen). */
export type IndicatorRecord = Indicator & { id: number; version: number; updatedAt: string | null };

const list = (json: string): string[] => {
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === "string") : [];
};

/**
 * Maps a row to the domain shape with its id and version.
 *
 * @example const record = toIndicatorRecord(await db.selectFrom("indicator").selectAll().executeTakeFirstOrThrow());
 */
export function toIndicatorRecord(row: IndicatorRow): IndicatorRecord {
  return {
    id: row.id,
    version: row.version,
    updatedAt: row.updated_at,
    code: row.code,
    title: row.title,
    definition: row.definition,
    unit: row.unit,
    valueType: row.value_type,
    polarity: row.polarity,
    frequency: row.frequency,
    source: row.source,
    rationale: row.rationale,
    multiplier: row.multiplier,
    periodType: row.period_type,
    decimalPlaces: row.decimal_places,
    numeratorDefinition: row.numerator_definition,
    denominatorDefinition: row.denominator_definition,
    publisher: row.publisher,
    releaseLagDays: row.release_lag_days,
    ciMethod: row.ci_method,
    caveats: row.caveats,
    owner: row.owner,
    themes: list(row.themes_json),
    tags: list(row.tags_json),
    sets: list(row.sets_json),
    status: row.status,
    yearIntroduced: row.year_introduced,
    yearRetired: row.year_retired,
    validMin: row.valid_min,
    validMax: row.valid_max,
    targetBand:
      row.target_low !== null && row.target_high !== null
        ? { low: row.target_low, high: row.target_high }
        : null,
    derivation: row.derivation_json === null ? null : (JSON.parse(row.derivation_json) as Derivation),
  };
}

/**
 * The columns an indicator's metadata is stored in (everything but id and version).
 *
 * @example await trx.updateTable("indicator").set(indicatorColumns(indicator)).where("id", "=", 1).execute();
 */
export function indicatorColumns(i: Indicator): Omit<NewIndicator, "id" | "version" | "updated_at"> {
  return {
    code: i.code,
    title: i.title,
    definition: i.definition,
    unit: i.unit,
    value_type: i.valueType,
    polarity: i.polarity,
    frequency: i.frequency,
    source: i.source,
    rationale: i.rationale,
    multiplier: i.multiplier,
    period_type: i.periodType,
    decimal_places: i.decimalPlaces,
    numerator_definition: i.numeratorDefinition,
    denominator_definition: i.denominatorDefinition,
    publisher: i.publisher,
    release_lag_days: i.releaseLagDays,
    ci_method: i.ciMethod,
    caveats: i.caveats,
    owner: i.owner,
    themes_json: JSON.stringify(i.themes),
    tags_json: JSON.stringify(i.tags),
    sets_json: JSON.stringify(i.sets),
    status: i.status,
    year_introduced: i.yearIntroduced,
    year_retired: i.yearRetired,
    valid_min: i.validMin,
    valid_max: i.validMax,
    target_low: i.targetBand?.low ?? null,
    target_high: i.targetBand?.high ?? null,
    derivation_json: i.derivation === null ? null : JSON.stringify(i.derivation),
  };
}

/**
 * Every catalogue indicator, ordered by code; optionally only one status or one named set.
 *
 * @example const active = await listIndicators(db, { status: "active", set: "National Indicator Set" });
 */
export async function listIndicators(
  db: Executor,
  filter: { status?: Indicator["status"]; set?: string } = {},
): Promise<IndicatorRecord[]> {
  let q = db.selectFrom("indicator").selectAll().orderBy("code");
  if (filter.status) q = q.where("status", "=", filter.status);
  const rows = (await q.execute()).map(toIndicatorRecord);
  return filter.set ? rows.filter((r) => r.sets.includes(filter.set as string)) : rows;
}

/**
 * One indicator by its code, or undefined.
 *
 * @example const ni151 = await findIndicatorByCode(db, "NI 151");
 */
export async function findIndicatorByCode(db: Executor, code: string): Promise<IndicatorRecord | undefined> {
  const row = await db.selectFrom("indicator").selectAll().where("code", "=", code).executeTakeFirst();
  return row ? toIndicatorRecord(row) : undefined;
}

/**
 * The indicators with these codes, by code, in one statement per 30,000 codes; unknown codes are
 * absent.
 *
 * @example const byCode = await findIndicatorsByCodes(db, ["NI 151", "NI 152"]); byCode.get("NI 151")?.polarity // "high-is-good"
 */
export async function findIndicatorsByCodes(
  db: Executor,
  codes: readonly string[],
): Promise<Map<string, IndicatorRecord>> {
  const unique = [...new Set(codes)];
  const byCode = new Map<string, IndicatorRecord>();
  for (let k = 0; k < unique.length; k += 30_000) {
    const rows = await db
      .selectFrom("indicator")
      .selectAll()
      .where("code", "in", unique.slice(k, k + 30_000))
      .execute();
    for (const row of rows) byCode.set(row.code, toIndicatorRecord(row));
  }
  return byCode;
}

/**
 * Inserts an indicator or, when its code exists, replaces its metadata (the demo seed's path;
 * the api's create and update keep the history). Returns its id.
 *
 * @example const id = await upsertIndicator(trx, IndicatorSchema.parse(raw));
 */
export async function upsertIndicator(db: Executor, indicator: Indicator): Promise<number> {
  const values = indicatorColumns(IndicatorSchema.parse(indicator));
  const row = await db
    .insertInto("indicator")
    .values(values)
    .onConflict((oc) => oc.column("code").doUpdateSet(values))
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Inserts a new indicator at version 1 and returns its record.
 *
 * @example const created = await insertIndicator(trx, IndicatorSchema.parse(input), nowIso());
 */
export async function insertIndicator(
  db: Executor,
  indicator: Indicator,
  at: string,
): Promise<IndicatorRecord> {
  const row = await db
    .insertInto("indicator")
    .values({ ...indicatorColumns(indicator), updated_at: at })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toIndicatorRecord(row);
}

/**
 * Keeps a version of an indicator's metadata in its history.
 *
 * @example await recordIndicatorVersion(trx, record, { savedBy: 1, changeNote: "New definition" });
 */
export async function recordIndicatorVersion(
  db: Executor,
  record: IndicatorRecord,
  e: { savedBy: number | null; changeNote: string },
): Promise<void> {
  const { id, version, updatedAt, ...snapshot } = record;
  await db
    .insertInto("indicator_version")
    .values({
      indicator_id: id,
      version,
      saved_at: updatedAt ?? new Date().toISOString(),
      saved_by: e.savedBy,
      change_note: e.changeNote,
      snapshot_json: JSON.stringify(snapshot),
    })
    .execute();
}

/** One saved version of an indicator. */
export interface IndicatorVersion {
  version: number;
  savedAt: string;
  savedBy: string | null;
  changeNote: string;
  indicator: Indicator;
}

/**
 * An indicator's saved versions, newest first.
 *
 * @example const [latest, earlier] = await listIndicatorVersions(db, 1);
 */
export async function listIndicatorVersions(db: Executor, indicatorId: number): Promise<IndicatorVersion[]> {
  const rows = await db
    .selectFrom("indicator_version as v")
    .leftJoin("app_user as u", "u.id", "v.saved_by")
    .select(["v.version", "v.saved_at", "u.display_name", "v.change_note", "v.snapshot_json"])
    .where("v.indicator_id", "=", indicatorId)
    .orderBy("v.version", "desc")
    .execute();
  return rows.map((r) => ({
    version: r.version,
    savedAt: r.saved_at,
    savedBy: r.display_name,
    changeNote: r.change_note,
    indicator: IndicatorSchema.parse(JSON.parse(r.snapshot_json)),
  }));
}
