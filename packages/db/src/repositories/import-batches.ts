import type { Executor } from "../database.ts";
import type { ImportBatchRow, ObservationValues } from "../tables/catalogue.table.ts";
import { valuesOf } from "./observation-writer.ts";

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
