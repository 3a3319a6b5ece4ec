import type { Executor } from "../database.ts";

/** An import source (a remembered mapping) and whether its imports arrive pending. */
export interface ImportSourceView {
  id: number;
  version: number;
  source: string;
  arrivesPending: boolean;
  updatedAt: string;
}

/**
 * Every import source, by name, with its "arrive pending" setting.
 *
 * @example const sources = await listImportSources(db);
 */
export async function listImportSources(db: Executor): Promise<ImportSourceView[]> {
  const rows = await db
    .selectFrom("import_mapping")
    .select(["id", "version", "source", "arrives_pending", "updated_at"])
    .orderBy("source")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    version: r.version,
    source: r.source,
    arrivesPending: r.arrives_pending === 1,
    updatedAt: r.updated_at,
  }));
}

/**
 * Whether imports from this source arrive pending (waiting for approval) rather than going
 * straight into the data; false for a source with no remembered mapping.
 *
 * @example if (await importSourceArrivesPending(trx, "ONS APS")) { … keep the rows pending … }
 */
export async function importSourceArrivesPending(db: Executor, source: string): Promise<boolean> {
  const row = await db
    .selectFrom("import_mapping")
    .select("arrives_pending")
    .where("source", "=", source)
    .executeTakeFirst();
  return row?.arrives_pending === 1;
}
