import type { Generated, Insertable, Selectable, Updateable } from "kysely";

/** The `area` table: one row per area in the hierarchy. */
export interface AreaTable {
  id: Generated<number>;
  version: Generated<number>;
  code: string;
  name: string;
  type: string;
  parent_code: string | null;
}
/** @example const row: AreaRow = await db.selectFrom("area").selectAll().executeTakeFirstOrThrow(); */
export type AreaRow = Selectable<AreaTable>;
/** @example const n: NewArea = { code: "E08000026", name: "Coventry", type: "district", parent_code: null }; */
export type NewArea = Insertable<AreaTable>;
/** @example const u: AreaUpdate = { name: "Coventry MD" }; */
export type AreaUpdate = Updateable<AreaTable>;
