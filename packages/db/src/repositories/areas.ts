import type { Area } from "@fivestep/domain";
import type { Executor } from "../database.ts";

/**
 * Every area, ordered by type then name.
 *
 * @example const areas = await listAreas(db);
 */
export async function listAreas(db: Executor): Promise<Area[]> {
  const rows = await db
    .selectFrom("area")
    .select(["code", "name", "type", "parent_code"])
    .orderBy("type")
    .orderBy("name")
    .execute();
  return rows.map((r) => ({ code: r.code, name: r.name, type: r.type, parentCode: r.parent_code }));
}

/**
 * Inserts an area or, when its code exists, replaces its name, type and parent. Parents must be
 * stored first (the foreign key says so). Returns its id.
 *
 * @example await upsertArea(trx, { code: "E08000026", name: "Coventry", type: "district", parentCode: "E12000005" });
 */
export async function upsertArea(db: Executor, area: Area): Promise<number> {
  const values = { code: area.code, name: area.name, type: area.type, parent_code: area.parentCode };
  const row = await db
    .insertInto("area")
    .values(values)
    .onConflict((oc) => oc.column("code").doUpdateSet(values))
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}
