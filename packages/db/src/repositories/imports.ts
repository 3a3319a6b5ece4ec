import type { Kysely } from "kysely";
import { sqliteHandleOf } from "../create-db.ts";
import type { Database, Executor } from "../database.ts";
import type { ImportBatchRow, ImportFileTable, ObservationValues } from "../tables/catalogue.table.ts";

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

/**
 * Starts a batch (status committed, or pending when its rows are held for approval; counts filled
 * in by `finishImportBatch`) and returns its id.
 *
 * @example const batchId = await insertImportBatch(trx, { fileId: 3, source: "ONS", fileName: "x.csv", by: 1, at: nowIso() });
 */
export async function insertImportBatch(
  db: Executor,
  b: {
    fileId: number | null;
    source: string;
    fileName: string;
    by: number | null;
    at: string;
    pending?: boolean;
    revisionReason?: string | null;
  },
): Promise<number> {
  const row = await db
    .insertInto("import_batch")
    .values({
      file_id: b.fileId,
      source: b.source,
      file_name: b.fileName,
      status: b.pending ? "pending" : "committed",
      revision_reason: b.revisionReason || null,
      inserted: 0,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      rejected: 0,
      committed_by: b.by,
      committed_at: b.at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A batch's counts. */
export interface BatchCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  rejected: number;
}

/**
 * Stores a batch's final counts.
 *
 * @example await finishImportBatch(trx, batchId, counts);
 */
export async function finishImportBatch(db: Executor, id: number, c: BatchCounts): Promise<void> {
  await db.updateTable("import_batch").set(c).where("id", "=", id).execute();
}

/** An import batch as the api shows it. */
export interface ImportBatchView extends BatchCounts {
  id: number;
  version: number;
  fileId: number | null;
  source: string;
  fileName: string;
  /** "pending": held for another administrator's approval; "rejected": held, then refused. */
  status: "committed" | "rolled-back" | "pending" | "rejected";
  /** Who committed it (for a held batch: who sent it for approval), and their id. */
  committedBy: string | null;
  committedById: number | null;
  committedAt: string;
  rolledBackBy: string | null;
  rolledBackAt: string | null;
  /** The reason given for changes of locked values. */
  revisionReason: string | null;
  /** Who approved or rejected a held batch, when, and a rejection's reason. */
  reviewedBy: string | null;
  reviewedAt: string | null;
  reviewNote: string | null;
}

/**
 * Import batches, newest first (or only the given one).
 *
 * @example const [latest] = await listImportBatches(db, { limit: 20 });
 */
export async function listImportBatches(
  db: Executor,
  f: { id?: number; limit?: number; status?: ImportBatchView["status"] } = {},
): Promise<ImportBatchView[]> {
  let q = db
    .selectFrom("import_batch as b")
    .leftJoin("app_user as c", "c.id", "b.committed_by")
    .leftJoin("app_user as r", "r.id", "b.rolled_back_by")
    .leftJoin("app_user as v", "v.id", "b.reviewed_by")
    .selectAll("b")
    .select(["c.display_name as committer", "r.display_name as roller", "v.display_name as reviewer"]);
  if (f.id !== undefined) q = q.where("b.id", "=", f.id);
  if (f.status !== undefined) q = q.where("b.status", "=", f.status);
  const rows = await q
    .orderBy("b.id", "desc")
    .limit(Math.min(f.limit ?? 50, 500))
    .execute();
  return rows.map((r) => batchView(r, r.committer, r.roller, r.reviewer));
}

function batchView(
  r: ImportBatchRow,
  committer: string | null,
  roller: string | null,
  reviewer: string | null,
): ImportBatchView {
  return {
    id: r.id,
    version: r.version,
    fileId: r.file_id,
    source: r.source,
    fileName: r.file_name,
    status: r.status,
    inserted: r.inserted,
    updated: r.updated,
    unchanged: r.unchanged,
    skipped: r.skipped,
    rejected: r.rejected,
    committedBy: committer,
    committedById: r.committed_by,
    committedAt: r.committed_at,
    rolledBackBy: roller,
    rolledBackAt: r.rolled_back_at,
    revisionReason: r.revision_reason,
    reviewedBy: reviewer,
    reviewedAt: r.reviewed_at,
    reviewNote: r.review_note,
  };
}

/** One row for the writer: ids resolved, period canonical, values parsed. */
export interface WriteRow extends ObservationValues {
  indicatorId: number;
  areaId: number;
  period: string;
  periodType: string;
  periodStart: string;
  breakdown: string;
}

/** What the writer did with one row. */
export type WriteOutcome = "inserted" | "updated" | "unchanged" | "duplicate";

/** Writes one batch's rows, chunk by chunk, inside the caller's transaction. */
export interface ObservationWriter {
  /** Writes rows; returns each row's outcome in order. "duplicate": this batch already wrote that key. */
  write(rows: readonly WriteRow[]): Promise<WriteOutcome[]>;
}

const sameValues = (a: ObservationValues, b: ObservationValues) =>
  a.value === b.value &&
  a.numerator === b.numerator &&
  a.denominator === b.denominator &&
  a.lower === b.lower &&
  a.upper === b.upper &&
  a.status === b.status &&
  (a.note ?? null) === (b.note ?? null);

const valuesOf = (r: ObservationValues): ObservationValues => ({
  value: r.value,
  numerator: r.numerator,
  denominator: r.denominator,
  lower: r.lower,
  upper: r.upper,
  status: r.status,
  note: r.note,
});

interface Existing extends ObservationValues {
  id: number;
  batch_id: number | null;
}

/**
 * A writer for one batch. New keys are inserted; a key whose values differ is updated and its old
 * and new values kept as a revision (batch, who, when); equal values are left alone, so
 * re-importing a file changes nothing. Call it inside `trx`, a transaction begun on `db`.
 *
 * On SQLite it uses prepared better-sqlite3 statements on the transaction's connection (one
 * insert-or-ignore per row, a lookup only when the key exists); elsewhere, Kysely per row.
 * `generic: true` forces the Kysely path (tests use it to cover the PostgreSQL code on SQLite).
 *
 * @example
 * await db.transaction().execute(async (trx) => {
 *   const writer = createObservationWriter(db, trx, { batchId, userId: 1, at: nowIso() });
 *   await writer.write(rows);
 * });
 */
export function createObservationWriter(
  db: Kysely<Database>,
  trx: Executor,
  batch: { batchId: number; userId: number | null; at: string },
  options: { generic?: boolean } = {},
): ObservationWriter {
  const raw = options.generic ? undefined : sqliteHandleOf(db);
  if (raw) {
    const insert = raw.prepare(
      `insert into observation (indicator_id, area_id, period, breakdown, period_type, period_start, value, numerator, denominator, lower, upper, status, note, batch_id, created_batch_id)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (indicator_id, area_id, period, breakdown) do nothing`,
    );
    const find = raw.prepare(
      `select id, value, numerator, denominator, lower, upper, status, note, batch_id from observation
       where indicator_id = ? and area_id = ? and period = ? and breakdown = ?`,
    );
    const update = raw.prepare(
      `update observation set value = ?, numerator = ?, denominator = ?, lower = ?, upper = ?, status = ?, note = ?, batch_id = ? where id = ?`,
    );
    const revise = raw.prepare(
      `insert into observation_revision (observation_id, batch_id, previous_batch_id, old_json, new_json, changed_by, changed_at)
       values (?, ?, ?, ?, ?, ?, ?)`,
    );
    const { batchId, userId, at } = batch;
    return {
      async write(rows) {
        const out: WriteOutcome[] = new Array(rows.length);
        for (let i = 0; i < rows.length; i++) {
          const r = rows[i] as WriteRow;
          const info = insert.run(
            r.indicatorId,
            r.areaId,
            r.period,
            r.breakdown,
            r.periodType,
            r.periodStart,
            r.value,
            r.numerator,
            r.denominator,
            r.lower,
            r.upper,
            r.status,
            r.note,
            batchId,
            batchId,
          );
          if (info.changes === 1) {
            out[i] = "inserted";
            continue;
          }
          const old = find.get(r.indicatorId, r.areaId, r.period, r.breakdown) as Existing;
          if (old.batch_id === batchId) out[i] = "duplicate";
          else if (sameValues(old, r)) out[i] = "unchanged";
          else {
            update.run(
              r.value,
              r.numerator,
              r.denominator,
              r.lower,
              r.upper,
              r.status,
              r.note,
              batchId,
              old.id,
            );
            revise.run(
              old.id,
              batchId,
              old.batch_id,
              JSON.stringify(valuesOf(old)),
              JSON.stringify(valuesOf(r)),
              userId,
              at,
            );
            out[i] = "updated";
          }
        }
        return out;
      },
    };
  }
  return {
    async write(rows) {
      const out: WriteOutcome[] = [];
      for (const r of rows) {
        const values = valuesOf(r);
        const inserted = await trx
          .insertInto("observation")
          .values({
            indicator_id: r.indicatorId,
            area_id: r.areaId,
            period: r.period,
            breakdown: r.breakdown,
            period_type: r.periodType as never,
            period_start: r.periodStart,
            ...values,
            batch_id: batch.batchId,
            created_batch_id: batch.batchId,
          })
          .onConflict((oc) => oc.columns(["indicator_id", "area_id", "period", "breakdown"]).doNothing())
          .returning("id")
          .executeTakeFirst();
        if (inserted) {
          out.push("inserted");
          continue;
        }
        const old = await trx
          .selectFrom("observation")
          .select(["id", "value", "numerator", "denominator", "lower", "upper", "status", "note", "batch_id"])
          .where("indicator_id", "=", r.indicatorId)
          .where("area_id", "=", r.areaId)
          .where("period", "=", r.period)
          .where("breakdown", "=", r.breakdown)
          .executeTakeFirstOrThrow();
        if (old.batch_id === batch.batchId) out.push("duplicate");
        else if (sameValues(old, r)) out.push("unchanged");
        else {
          await trx
            .updateTable("observation")
            .set({ ...values, batch_id: batch.batchId })
            .where("id", "=", old.id)
            .execute();
          await trx
            .insertInto("observation_revision")
            .values({
              observation_id: old.id,
              batch_id: batch.batchId,
              previous_batch_id: old.batch_id,
              old_json: JSON.stringify(valuesOf(old)),
              new_json: JSON.stringify(values),
              changed_by: batch.userId,
              changed_at: batch.at,
            })
            .execute();
          out.push("updated");
        }
      }
      return out;
    },
  };
}

/**
 * Undoes a batch: deletes the observations it created and restores the values it changed from
 * their revisions. Refuses (returns `blockedBy`, the later batches) when a later batch has since
 * changed any of its rows: roll those back first. Refuses too (returns `changedSince`, how many)
 * when values of its rows were written since outside any batch (an approved data return sets
 * `batch_id` to NULL): a rollback never overwrites a later approved value. Returns the number of
 * rows deleted and restored.
 *
 * @example const r = await rollbackObservations(trx, 7); if (r.blockedBy.length || r.changedSince) ...
 */
export async function rollbackObservations(
  db: Executor,
  batchId: number,
): Promise<{ deleted: number; restored: number; blockedBy: number[]; changedSince: number }> {
  const laterOnCreated = await db
    .selectFrom("observation")
    .select("batch_id")
    .distinct()
    .where("created_batch_id", "=", batchId)
    .where("batch_id", "!=", batchId)
    .execute();
  const laterOnChanged = await db
    .selectFrom("observation_revision as r")
    .innerJoin("observation as o", "o.id", "r.observation_id")
    .select("o.batch_id")
    .distinct()
    .where("r.batch_id", "=", batchId)
    .where("o.batch_id", "!=", batchId)
    .execute();
  const blockedBy = [...new Set([...laterOnCreated, ...laterOnChanged].map((r) => r.batch_id))]
    .filter((id): id is number => id !== null)
    .sort((a, b) => a - b);
  if (blockedBy.length > 0) return { deleted: 0, restored: 0, blockedBy, changedSince: 0 };
  // Rows of the batch whose value was since written outside any batch (`batch_id` NULL).
  const createdSince = await db
    .selectFrom("observation")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("created_batch_id", "=", batchId)
    .where("batch_id", "is", null)
    .executeTakeFirstOrThrow();
  const changedSinceRows = await db
    .selectFrom("observation_revision as r")
    .innerJoin("observation as o", "o.id", "r.observation_id")
    .select("o.id")
    .distinct()
    .where("r.batch_id", "=", batchId)
    .where("o.batch_id", "is", null)
    .execute();
  const changedSince = Number(createdSince.n) + changedSinceRows.length;
  if (changedSince > 0) return { deleted: 0, restored: 0, blockedBy: [], changedSince };

  const revisions = await db
    .selectFrom("observation_revision")
    .select(["id", "observation_id", "previous_batch_id", "old_json"])
    .where("batch_id", "=", batchId)
    .orderBy("id", "desc")
    .execute();
  for (const rev of revisions) {
    const old = JSON.parse(rev.old_json) as ObservationValues;
    await db
      .updateTable("observation")
      .set({ ...valuesOf(old), batch_id: rev.previous_batch_id })
      .where("id", "=", rev.observation_id)
      .execute();
  }
  const deleted = await db
    .deleteFrom("observation")
    .where("created_batch_id", "=", batchId)
    .executeTakeFirst();
  return {
    deleted: Number(deleted.numDeletedRows),
    restored: revisions.length,
    blockedBy: [],
    changedSince: 0,
  };
}

/**
 * Marks a batch rolled back (by whom, when) if it is still at `version`; returns whether it was.
 *
 * @example await markBatchRolledBack(trx, 7, 1, { by: 1, at: nowIso() });
 */
export async function markBatchRolledBack(
  db: Executor,
  id: number,
  version: number,
  e: { by: number | null; at: string },
): Promise<boolean> {
  const r = await db
    .updateTable("import_batch")
    .set({ status: "rolled-back", rolled_back_by: e.by, rolled_back_at: e.at, version: version + 1 })
    .where("id", "=", id)
    .where("version", "=", version)
    .where("status", "=", "committed")
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A value change as the api shows it. */
export interface RevisionView {
  id: number;
  /** The import batch that made the change; null when an approved data return did. */
  batchId: number | null;
  indicatorCode: string;
  areaCode: string;
  period: string;
  breakdown: string;
  old: ObservationValues;
  new: ObservationValues;
  changedBy: string | null;
  changedAt: string;
  /** Why a locked value was revised, or null. */
  reason: string | null;
}

/**
 * Value revisions, newest first, filtered by batch, indicator or area.
 *
 * @example const changes = await listRevisions(db, { batchId: 7 });
 */
export async function listRevisions(
  db: Executor,
  f: { batchId?: number; indicatorCode?: string; areaCode?: string; limit?: number } = {},
): Promise<RevisionView[]> {
  let q = db
    .selectFrom("observation_revision as r")
    .innerJoin("observation as o", "o.id", "r.observation_id")
    .innerJoin("indicator as i", "i.id", "o.indicator_id")
    .innerJoin("area as a", "a.id", "o.area_id")
    .leftJoin("app_user as u", "u.id", "r.changed_by")
    .select([
      "r.id",
      "r.batch_id",
      "i.code as indicatorCode",
      "a.code as areaCode",
      "o.period",
      "o.breakdown",
      "r.old_json",
      "r.new_json",
      "u.display_name",
      "r.changed_at",
      "r.reason",
    ]);
  if (f.batchId !== undefined) q = q.where("r.batch_id", "=", f.batchId);
  if (f.indicatorCode) q = q.where("i.code", "=", f.indicatorCode);
  if (f.areaCode) q = q.where("a.code", "=", f.areaCode);
  const rows = await q
    .orderBy("r.id", "desc")
    .limit(Math.min(f.limit ?? 100, 1000))
    .execute();
  return rows.map((r) => ({
    id: r.id,
    batchId: r.batch_id,
    indicatorCode: r.indicatorCode,
    areaCode: r.areaCode,
    period: r.period,
    breakdown: r.breakdown,
    old: JSON.parse(r.old_json) as ObservationValues,
    new: JSON.parse(r.new_json) as ObservationValues,
    changedBy: r.display_name,
    changedAt: r.changed_at,
    reason: r.reason,
  }));
}
