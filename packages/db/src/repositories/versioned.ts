import type { Kysely, Selectable, Updateable } from "kysely";
import type { Database, Executor } from "../database.ts";

/** Tables whose rows carry a `version` for optimistic concurrency. */
export type VersionedTable =
  | "api_token"
  | "app_user"
  | "area"
  | "comparator_group"
  | "data_return"
  | "import_batch"
  | "import_file"
  | "import_mapping"
  | "indicator"
  | "membership"
  | "partnership"
  | "plan"
  | "plan_item"
  | "priority";

/**
 * Updates one row only if it is still at `version`, and bumps the version. Returns the updated
 * row, or undefined when the row is missing or someone else changed it first (the caller reads
 * the current row to tell which, and answers NOT_FOUND or CONFLICT).
 *
 * @example
 * const row = await updateWithVersion(trx, "partnership", 3, 1, { name: "Coventry Partnership" });
 * if (!row) throw conflictOrNotFound();
 */
export async function updateWithVersion<T extends VersionedTable>(
  db: Executor,
  table: T,
  id: number,
  version: number,
  patch: Updateable<Database[T]>,
): Promise<Selectable<Database[T]> | undefined> {
  // Kysely cannot check a patch against a table chosen by a type parameter; the signature above
  // does, so the query is built untyped inside.
  // biome-ignore lint/suspicious/noExplicitAny: see above; nothing untyped leaves this function
  const loose = db as unknown as Kysely<any>;
  const name: string = table;
  const result = await loose
    .updateTable(name)
    .set({ ...(patch as Record<string, unknown>), version: version + 1 })
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return undefined;
  return (await loose.selectFrom(name).selectAll().where("id", "=", id).executeTakeFirst()) as
    | Selectable<Database[T]>
    | undefined;
}

/**
 * The current row of a versioned table, or undefined.
 *
 * @example const current = await findVersioned(db, "app_user", 2);
 */
export async function findVersioned<T extends VersionedTable>(
  db: Executor,
  table: T,
  id: number,
): Promise<Selectable<Database[T]> | undefined> {
  // biome-ignore lint/suspicious/noExplicitAny: as in updateWithVersion
  const loose = db as unknown as Kysely<any>;
  const name: string = table;
  return (await loose.selectFrom(name).selectAll().where("id", "=", id).executeTakeFirst()) as
    | Selectable<Database[T]>
    | undefined;
}
