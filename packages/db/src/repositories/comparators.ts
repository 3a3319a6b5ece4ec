import type { Executor } from "../database.ts";

/** A comparator group with its members' codes and names. */
export interface ComparatorGroupView {
  id: number;
  version: number;
  name: string;
  description: string;
  areas: Array<{ code: string; name: string; type: string }>;
}

/**
 * Comparator groups by name (or only the given ids), each with its areas by name.
 *
 * @example const groups = await listComparatorGroups(db);
 */
export async function listComparatorGroups(
  db: Executor,
  ids?: readonly number[],
): Promise<ComparatorGroupView[]> {
  let q = db.selectFrom("comparator_group").selectAll().orderBy("name");
  if (ids) {
    if (ids.length === 0) return [];
    q = q.where("id", "in", ids);
  }
  const groups = await q.execute();
  if (groups.length === 0) return [];
  const members = await db
    .selectFrom("comparator_group_area as m")
    .innerJoin("area as a", "a.id", "m.area_id")
    .select(["m.group_id", "a.code", "a.name", "a.type"])
    .where(
      "m.group_id",
      "in",
      groups.map((g) => g.id),
    )
    .orderBy("a.name")
    .execute();
  return groups.map((g) => ({
    id: g.id,
    version: g.version,
    name: g.name,
    description: g.description,
    areas: members.filter((m) => m.group_id === g.id).map(({ code, name, type }) => ({ code, name, type })),
  }));
}

/**
 * Creates a comparator group (no members yet) and returns its id.
 *
 * @example const id = await insertComparatorGroup(trx, { name: "CIPFA neighbours", description: "" }, nowIso());
 */
export async function insertComparatorGroup(
  db: Executor,
  g: { name: string; description: string },
  at: string,
): Promise<number> {
  const row = await db
    .insertInto("comparator_group")
    .values({ name: g.name, description: g.description, created_at: at, updated_at: at })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Adds areas (by id) to a group, ignoring those already in it; returns how many were added.
 *
 * @example await addComparatorAreas(trx, groupId, [3, 4]);
 */
export async function addComparatorAreas(
  db: Executor,
  groupId: number,
  areaIds: readonly number[],
): Promise<number> {
  let added = 0;
  for (const areaId of new Set(areaIds)) {
    const r = await db
      .insertInto("comparator_group_area")
      .values({ group_id: groupId, area_id: areaId })
      .onConflict((oc) => oc.columns(["group_id", "area_id"]).doNothing())
      .executeTakeFirst();
    added += Number(r.numInsertedOrUpdatedRows ?? 0);
  }
  return added;
}

/**
 * Removes one area from a group; returns whether it was a member.
 *
 * @example await removeComparatorArea(trx, groupId, areaId);
 */
export async function removeComparatorArea(db: Executor, groupId: number, areaId: number): Promise<boolean> {
  const r = await db
    .deleteFrom("comparator_group_area")
    .where("group_id", "=", groupId)
    .where("area_id", "=", areaId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/**
 * The ids of areas by code; codes not found are listed in `unknown`, in the order given.
 *
 * @example const { ids, unknown } = await areaIdsByCode(db, ["E08000026", "XYZ"]);
 */
export async function areaIdsByCode(
  db: Executor,
  codes: readonly string[],
): Promise<{ ids: number[]; unknown: string[] }> {
  if (codes.length === 0) return { ids: [], unknown: [] };
  const rows = await db
    .selectFrom("area")
    .select(["id", "code"])
    .where("code", "in", [...new Set(codes)])
    .execute();
  const byCode = new Map(rows.map((r) => [r.code, r.id]));
  return {
    ids: codes.flatMap((c) => (byCode.has(c) ? [byCode.get(c) as number] : [])),
    unknown: codes.filter((c) => !byCode.has(c)),
  };
}
