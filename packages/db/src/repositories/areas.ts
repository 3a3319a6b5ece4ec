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

/** An area with its id and version, for edits against the version seen. */
export type AreaRecord = Area & { id: number; version: number };

/**
 * One area by code, with its id and version, or undefined.
 *
 * @example const coventry = await findAreaByCode(db, "E08000026");
 */
export async function findAreaByCode(db: Executor, code: string): Promise<AreaRecord | undefined> {
  const r = await db.selectFrom("area").selectAll().where("code", "=", code).executeTakeFirst();
  return (
    r && { id: r.id, version: r.version, code: r.code, name: r.name, type: r.type, parentCode: r.parent_code }
  );
}

/** A level of the area hierarchy. */
export interface AreaType {
  name: string;
  rank: number;
  lookupPrefix: string | null;
}

/**
 * The area types, from the top of the hierarchy down.
 *
 * @example (await listAreaTypes(db)).map((t) => t.name) // ["country", "region", "county", "district", "ward"]
 */
export async function listAreaTypes(db: Executor): Promise<AreaType[]> {
  const rows = await db.selectFrom("area_type").selectAll().orderBy("rank").orderBy("name").execute();
  return rows.map((r) => ({ name: r.name, rank: r.rank, lookupPrefix: r.lookup_prefix }));
}

/**
 * Adds an area type, or changes the rank and lookup prefix of one with that name.
 *
 * @example await saveAreaType(trx, { name: "županija", rank: 2, lookupPrefix: null });
 */
export async function saveAreaType(db: Executor, t: AreaType): Promise<number> {
  const values = { name: t.name, rank: t.rank, lookup_prefix: t.lookupPrefix };
  const row = await db
    .insertInto("area_type")
    .values(values)
    .onConflict((oc) => oc.column("name").doUpdateSet(values))
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Writes many areas (parents first), inserting new codes and changing those whose name, type or
 * parent differ (bumping their version); returns how many of each.
 *
 * @example const counts = await upsertAreas(trx, areas); // { inserted: 20, updated: 2, unchanged: 300 }
 */
export async function upsertAreas(
  db: Executor,
  areas: readonly Area[],
): Promise<{ inserted: number; updated: number; unchanged: number }> {
  const existing = new Map(
    (await db.selectFrom("area").select(["code", "name", "type", "parent_code"]).execute()).map((r) => [
      r.code,
      r,
    ]),
  );
  const counts = { inserted: 0, updated: 0, unchanged: 0 };
  for (const a of areas) {
    const old = existing.get(a.code);
    if (!old) {
      await db
        .insertInto("area")
        .values({ code: a.code, name: a.name, type: a.type, parent_code: a.parentCode })
        .execute();
      counts.inserted++;
    } else if (old.name !== a.name || old.type !== a.type || old.parent_code !== a.parentCode) {
      await db
        .updateTable("area")
        .set((eb) => ({
          name: a.name,
          type: a.type,
          parent_code: a.parentCode,
          version: eb("version", "+", 1),
        }))
        .where("code", "=", a.code)
        .execute();
      counts.updated++;
    } else {
      counts.unchanged++;
      continue;
    }
    existing.set(a.code, { code: a.code, name: a.name, type: a.type, parent_code: a.parentCode });
  }
  return counts;
}
