import type { Indicator } from "@fivestep/domain";
import type { Executor } from "../database.ts";
import type { IndicatorRow } from "../tables/indicator.table.ts";

/** Maps a row to the domain shape. */
function toIndicator(row: IndicatorRow): Indicator {
  return {
    code: row.code,
    title: row.title,
    definition: row.definition,
    unit: row.unit,
    valueType: row.value_type,
    polarity: row.polarity,
    frequency: row.frequency,
    source: row.source,
  };
}

/**
 * Every catalogue indicator, ordered by code.
 *
 * @example const all = await listIndicators(db);
 */
export async function listIndicators(db: Executor): Promise<Indicator[]> {
  const rows = await db.selectFrom("indicator").selectAll().orderBy("code").execute();
  return rows.map(toIndicator);
}

/**
 * One indicator by its code, or undefined.
 *
 * @example const ni151 = await findIndicatorByCode(db, "NI 151");
 */
export async function findIndicatorByCode(db: Executor, code: string): Promise<Indicator | undefined> {
  const row = await db.selectFrom("indicator").selectAll().where("code", "=", code).executeTakeFirst();
  return row ? toIndicator(row) : undefined;
}

/**
 * Inserts an indicator or, when its code exists, replaces its metadata. Returns its id.
 *
 * @example const id = await upsertIndicator(trx, IndicatorSchema.parse(raw));
 */
export async function upsertIndicator(db: Executor, indicator: Indicator): Promise<number> {
  const values = {
    code: indicator.code,
    title: indicator.title,
    definition: indicator.definition,
    unit: indicator.unit,
    value_type: indicator.valueType,
    polarity: indicator.polarity,
    frequency: indicator.frequency,
    source: indicator.source,
  };
  const row = await db
    .insertInto("indicator")
    .values(values)
    .onConflict((oc) => oc.column("code").doUpdateSet(values))
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}
