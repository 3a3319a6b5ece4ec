import type { Executor } from "../database.ts";
import type { ImportFileTable } from "../tables/catalogue.table.ts";

/**
 * Registers an uploaded file (already on disk at `path`) and returns its id.
 *
 * @example const id = await insertImportFile(trx, { name: "smoking.csv", path, format: "csv", size, sha256, columns: ["area_code"], uploadedBy: 1, at: nowIso() });
 */
export async function insertImportFile(
  db: Executor,
  f: {
    name: string;
    path: string;
    format: ImportFileTable["format"];
    size: number;
    sha256: string;
    columns: string[];
    uploadedBy: number | null;
    at: string;
  },
): Promise<number> {
  const row = await db
    .insertInto("import_file")
    .values({
      name: f.name,
      path: f.path,
      format: f.format,
      size: f.size,
      sha256: f.sha256,
      columns_json: JSON.stringify(f.columns),
      mapping_json: null,
      uploaded_by: f.uploadedBy,
      uploaded_at: f.at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** An uploaded file as the api shows it. */
export interface ImportFileView {
  id: number;
  version: number;
  name: string;
  path: string;
  format: "csv" | "xlsx";
  size: number;
  sha256: string;
  columns: string[];
  mapping: unknown;
  uploadedAt: string;
}

/**
 * One uploaded file, or undefined.
 *
 * @example const file = await findImportFile(db, 3);
 */
export async function findImportFile(db: Executor, id: number): Promise<ImportFileView | undefined> {
  const r = await db.selectFrom("import_file").selectAll().where("id", "=", id).executeTakeFirst();
  return (
    r && {
      id: r.id,
      version: r.version,
      name: r.name,
      path: r.path,
      format: r.format,
      size: r.size,
      sha256: r.sha256,
      columns: JSON.parse(r.columns_json) as string[],
      mapping: r.mapping_json === null ? null : (JSON.parse(r.mapping_json) as unknown),
      uploadedAt: r.uploaded_at,
    }
  );
}

/**
 * Stores the mapping a preview used on the file (the commit uses it) and bumps its version.
 *
 * @example await setImportFileMapping(trx, 3, mapping);
 */
export async function setImportFileMapping(db: Executor, id: number, mapping: unknown): Promise<void> {
  await db
    .updateTable("import_file")
    .set((eb) => ({ mapping_json: JSON.stringify(mapping), version: eb("version", "+", 1) }))
    .where("id", "=", id)
    .execute();
}

/**
 * The remembered mappings, by source.
 *
 * @example const all = await listImportMappings(db);
 */
export async function listImportMappings(
  db: Executor,
): Promise<Array<{ id: number; version: number; source: string; mapping: unknown; updatedAt: string }>> {
  const rows = await db.selectFrom("import_mapping").selectAll().orderBy("source").execute();
  return rows.map((r) => ({
    id: r.id,
    version: r.version,
    source: r.source,
    mapping: JSON.parse(r.mapping_json) as unknown,
    updatedAt: r.updated_at,
  }));
}

/**
 * Remembers a source's mapping: inserts it, or replaces it when it changed. Returns the record's
 * id, whether it was created or changed, and the stored mapping before.
 *
 * @example const saved = await rememberImportMapping(trx, "ONS", mapping, nowIso());
 */
export async function rememberImportMapping(
  db: Executor,
  source: string,
  mapping: unknown,
  at: string,
): Promise<{ id: number; action: "create" | "update" | "unchanged"; before: unknown; version: number }> {
  const json = JSON.stringify(mapping);
  const old = await db
    .selectFrom("import_mapping")
    .selectAll()
    .where("source", "=", source)
    .executeTakeFirst();
  if (!old) {
    const row = await db
      .insertInto("import_mapping")
      .values({ source, mapping_json: json, updated_at: at })
      .returning(["id", "version"])
      .executeTakeFirstOrThrow();
    return { id: row.id, action: "create", before: null, version: row.version };
  }
  if (old.mapping_json === json)
    return { id: old.id, action: "unchanged", before: mapping, version: old.version };
  await db
    .updateTable("import_mapping")
    .set({ mapping_json: json, updated_at: at, version: old.version + 1 })
    .where("id", "=", old.id)
    .execute();
  return {
    id: old.id,
    action: "update",
    before: JSON.parse(old.mapping_json) as unknown,
    version: old.version + 1,
  };
}
