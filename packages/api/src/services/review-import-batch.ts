import {
  clearPendingRows,
  createObservationWriter,
  type Database,
  type Executor,
  type ImportBatchView,
  listImportBatches,
  lockedChanges,
  pendingIndicatorCodes,
  readPendingRows,
  reviewImportBatch,
  setRevisionReason,
} from "@fivestep/db";
import { TRPCError } from "@trpc/server";
import type { Kysely } from "kysely";
import { audit } from "../audit.ts";
import type { SessionInfo } from "../auth/sessions.ts";
import type { Context } from "../context.ts";
import { staleOrMissing } from "../errors.ts";
import { ruleError } from "../field-error.ts";
import { lockedChangesViolation } from "../import/engine.ts";
import { inAppNotifier, recomputeStatuses, type StatusChangeResult } from "../monitoring.ts";

/** Who reviews, and the request it comes in (for the audit trail). */
type Reviewer = Pick<Context, "requestId"> & { session: SessionInfo };

/** Rows written per chunk when a held batch is approved. */
const APPROVE_CHUNK = 2000;

/**
 * The held batch named, at the version seen: NOT_FOUND when there is none, CONFLICT when it
 * changed since, a field error (`import.notPending`) when it is no longer waiting.
 */
async function pendingBatch(db: Executor, batchId: number, version: number): Promise<ImportBatchView> {
  const [batch] = await listImportBatches(db, { id: batchId });
  if (!batch) throw staleOrMissing("import batch", undefined);
  if (batch.version !== version) throw staleOrMissing("import batch", batch);
  if (batch.status !== "pending")
    throw ruleError("batchId", { code: "import.notPending", params: { batch: batchId } });
  return batch;
}

/**
 * Approves a held import batch, in the caller's transaction: its rows are written to the data as
 * any import's (a replaced value kept as a revision of this batch, so the batch can be rolled
 * back later), the batch becomes "committed" with the counts it made, the change is audited and
 * whoever sent it is told, and the statuses of every target of its indicators are judged again
 * with the approval as the cause. Nobody approves a batch they sent (FORBIDDEN). A row that would
 * change a locked value needs a reason: the approver's `revisionReason`, or the one given when
 * the batch was sent; without either, nothing is written (`import.lockedNeedsReason`).
 *
 * @example
 * await db.transaction().execute((trx) =>
 *   approveImportBatch(db, trx, ctx, { batchId: 7, version: 1, revisionReason: "", at: nowIso() }),
 * );
 */
export async function approveImportBatch(
  db: Kysely<Database>,
  trx: Executor,
  ctx: Reviewer,
  input: { batchId: number; version: number; revisionReason: string; at: string },
): Promise<{
  batchId: number;
  inserted: number;
  updated: number;
  unchanged: number;
  changes: StatusChangeResult[];
}> {
  const me = ctx.session.user;
  const batch = await pendingBatch(trx, input.batchId, input.version);
  if (batch.committedById === me.id)
    throw new TRPCError({
      code: "FORBIDDEN",
      message: `You sent import batch ${batch.id} yourself: another administrator must approve it.`,
    });
  const reason = input.revisionReason.trim() || batch.revisionReason?.trim() || "";
  const codes = await pendingIndicatorCodes(trx, batch.id);
  const writer = createObservationWriter(db, trx, { batchId: batch.id, userId: me.id, at: input.at });
  const counts = { inserted: 0, updated: 0, unchanged: batch.unchanged };
  let locked = 0;
  for (let after = 0; ; ) {
    const page = await readPendingRows(trx, batch.id, after, APPROVE_CHUNK);
    if (page.rows.length === 0) break;
    after = page.lastId;
    const changes = await lockedChanges(trx, page.rows);
    locked += changes.length;
    // Once a locked change has no reason the approval fails: only counting goes on.
    if (locked > 0 && !reason) continue;
    for (const outcome of await writer.write(page.rows)) {
      if (outcome === "duplicate") throw new Error("A held key reached the writer twice");
      counts[outcome]++;
    }
    if (changes.length > 0)
      await setRevisionReason(
        trx,
        batch.id,
        changes.map((c) => c.observationId),
        reason,
      );
  }
  if (locked > 0 && !reason)
    throw ruleError("revisionReason", lockedChangesViolation({ lockedChangeCount: locked }));
  await clearPendingRows(trx, batch.id);
  if (
    !(await reviewImportBatch(trx, batch.id, batch.version, {
      status: "committed",
      by: me.id,
      at: input.at,
      counts,
    }))
  )
    throw staleOrMissing("import batch", batch);
  await audit(trx, ctx, {
    action: "approve",
    entity: "import_batch",
    entityId: batch.id,
    partnershipId: null,
    before: { version: batch.version, status: batch.status },
    after: { version: batch.version + 1, status: "committed", ...counts, reason: reason || null },
  });
  if (batch.committedById !== null)
    await inAppNotifier.notify(trx, batch.committedById, {
      kind: "import-approved",
      code: "import.approved",
      params: {
        batch: String(batch.id),
        file: batch.fileName,
        by: me.displayName,
        inserted: counts.inserted,
        updated: counts.updated,
      },
      link: `/batches/${batch.id}`,
    });
  const changes =
    codes.length === 0
      ? []
      : await recomputeStatuses(trx, {
          indicatorCodes: codes,
          cause: `Import batch ${batch.id} (${batch.fileName}) approved by ${me.displayName}`,
          batchId: batch.id,
          at: input.at,
        });
  return { batchId: batch.id, ...counts, changes };
}

/**
 * Rejects a held import batch with a reason, in the caller's transaction: its rows are deleted
 * (nothing reaches the data), the batch becomes "rejected" keeping the reason, the rejection is
 * audited, and whoever sent it is told why. The sender may reject (withdraw) their own batch.
 *
 * @example await rejectImportBatch(trx, ctx, { batchId: 7, version: 1, reason: "Wrong year", at: nowIso() });
 */
export async function rejectImportBatch(
  trx: Executor,
  ctx: Reviewer,
  input: { batchId: number; version: number; reason: string; at: string },
): Promise<{ batchId: number }> {
  const me = ctx.session.user;
  const batch = await pendingBatch(trx, input.batchId, input.version);
  await clearPendingRows(trx, batch.id);
  if (
    !(await reviewImportBatch(trx, batch.id, batch.version, {
      status: "rejected",
      by: me.id,
      at: input.at,
      note: input.reason,
    }))
  )
    throw staleOrMissing("import batch", batch);
  await audit(trx, ctx, {
    action: "reject",
    entity: "import_batch",
    entityId: batch.id,
    partnershipId: null,
    before: { version: batch.version, status: batch.status },
    after: { version: batch.version + 1, status: "rejected", reason: input.reason },
  });
  if (batch.committedById !== null && batch.committedById !== me.id)
    await inAppNotifier.notify(trx, batch.committedById, {
      kind: "import-rejected",
      code: "import.rejected",
      params: { batch: String(batch.id), file: batch.fileName, by: me.displayName, reason: input.reason },
      link: `/batches/${batch.id}`,
    });
  return { batchId: batch.id };
}
