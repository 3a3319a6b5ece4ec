import type { Executor } from "../database.ts";
import type { WriteRow } from "./observation-writer.ts";

/** Rows per multi-row insert: 17 parameters each stays well under SQLite's parameter limit. */
const INSERT_CHUNK = 400;

/**
 * Holds rows of a pending import batch in `pending_observation` instead of writing them to the
 * data (each key once per batch: the import's staging has already refused repeats). Call
 * `classifyPendingRows` once all rows are held.
 *
 * @example await holdPendingRows(trx, batchId, rows);
 */
export async function holdPendingRows(
  db: Executor,
  batchId: number,
  rows: readonly WriteRow[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK);
    await db
      .insertInto("pending_observation")
      .values(
        chunk.map((r) => ({
          batch_id: batchId,
          indicator_id: r.indicatorId,
          area_id: r.areaId,
          period: r.period,
          breakdown: r.breakdown,
          period_type: r.periodType,
          period_start: r.periodStart,
          value: r.value,
          numerator: r.numerator,
          denominator: r.denominator,
          lower: r.lower,
          upper: r.upper,
          publisher_judgement: r.publisherJudgement ?? null,
          judgement_source: r.judgementSource ?? null,
          interval_method: r.intervalMethod ?? null,
          status: r.status,
          note: r.note ?? null,
          kind: "new" as const,
        })),
      )
      .execute();
  }
}

/**
 * Compares a held batch's rows with the stored data, in three set-based statements: a row equal
 * to the stored value is dropped (approving it would change nothing), a row whose key has a value
 * is marked "changed", the rest stay "new". Returns the counts, which are the batch's expected
 * inserted/updated/unchanged until it is approved.
 *
 * @example const { inserted, updated, unchanged } = await classifyPendingRows(trx, batchId);
 */
export async function classifyPendingRows(
  db: Executor,
  batchId: number,
): Promise<{ inserted: number; updated: number; unchanged: number }> {
  const dropped = await db
    .deleteFrom("pending_observation as p")
    .where("p.batch_id", "=", batchId)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom("observation as o")
          .select("o.id")
          .whereRef("o.indicator_id", "=", "p.indicator_id")
          .whereRef("o.area_id", "=", "p.area_id")
          .whereRef("o.period", "=", "p.period")
          .whereRef("o.breakdown", "=", "p.breakdown")
          .whereRef("o.value", "is not distinct from", "p.value")
          .whereRef("o.numerator", "is not distinct from", "p.numerator")
          .whereRef("o.denominator", "is not distinct from", "p.denominator")
          .whereRef("o.lower", "is not distinct from", "p.lower")
          .whereRef("o.upper", "is not distinct from", "p.upper")
          .whereRef("o.status", "=", "p.status")
          .whereRef("o.note", "is not distinct from", "p.note")
          .whereRef("o.publisher_judgement", "is not distinct from", "p.publisher_judgement")
          .whereRef("o.judgement_source", "is not distinct from", "p.judgement_source")
          .whereRef("o.interval_method", "is not distinct from", "p.interval_method"),
      ),
    )
    .executeTakeFirst();
  await db
    .updateTable("pending_observation as p")
    .set({ kind: "changed" })
    .where("p.batch_id", "=", batchId)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom("observation as o")
          .select("o.id")
          .whereRef("o.indicator_id", "=", "p.indicator_id")
          .whereRef("o.area_id", "=", "p.area_id")
          .whereRef("o.period", "=", "p.period")
          .whereRef("o.breakdown", "=", "p.breakdown"),
      ),
    )
    .execute();
  const counts = await db
    .selectFrom("pending_observation")
    .select(["kind", (eb) => eb.fn.countAll<number | string>().as("n")])
    .where("batch_id", "=", batchId)
    .groupBy("kind")
    .execute();
  const of = (kind: string) => Number(counts.find((c) => c.kind === kind)?.n ?? 0);
  return { inserted: of("new"), updated: of("changed"), unchanged: Number(dropped.numDeletedRows) };
}

/**
 * A page of a held batch's rows, as the writer takes them, in the order they were held: ids
 * after `afterId`, at most `limit`. Returns the rows and the last id (for the next page).
 *
 * @example
 * let after = 0;
 * for (;;) { const page = await readPendingRows(trx, batchId, after, 2000); if (!page.rows.length) break; after = page.lastId; }
 */
export async function readPendingRows(
  db: Executor,
  batchId: number,
  afterId: number,
  limit: number,
): Promise<{ rows: WriteRow[]; lastId: number }> {
  const found = await db
    .selectFrom("pending_observation")
    .selectAll()
    .where("batch_id", "=", batchId)
    .where("id", ">", afterId)
    .orderBy("id")
    .limit(limit)
    .execute();
  return {
    rows: found.map((r) => ({
      indicatorId: r.indicator_id,
      areaId: r.area_id,
      period: r.period,
      periodType: r.period_type,
      periodStart: r.period_start,
      breakdown: r.breakdown,
      value: r.value,
      numerator: r.numerator,
      denominator: r.denominator,
      lower: r.lower,
      upper: r.upper,
      publisherJudgement: r.publisher_judgement,
      judgementSource: r.judgement_source,
      intervalMethod: r.interval_method,
      status: r.status as WriteRow["status"],
      note: r.note,
    })),
    lastId: found.at(-1)?.id ?? afterId,
  };
}

/** A held value as an approver sees it: what it is, and what is stored now. */
export interface PendingValueView {
  indicatorCode: string;
  indicatorTitle: string;
  areaCode: string;
  areaName: string;
  period: string;
  breakdown: string;
  kind: "new" | "changed";
  value: number | null;
  /** The stored value now (null when none, or when the stored value is empty). */
  current: number | null;
}

/**
 * The first `limit` held values of a batch with the values stored now, and how many are held,
 * per indicator code too (for the approval screen).
 *
 * @example const { values, total } = await listPendingValues(db, 7, 200);
 */
export async function listPendingValues(
  db: Executor,
  batchId: number,
  limit: number,
): Promise<{
  values: PendingValueView[];
  total: number;
  byIndicator: Array<{ code: string; rows: number }>;
}> {
  const rows = await db
    .selectFrom("pending_observation as p")
    .innerJoin("indicator as i", "i.id", "p.indicator_id")
    .innerJoin("area as a", "a.id", "p.area_id")
    .leftJoin("observation as o", (j) =>
      j
        .onRef("o.indicator_id", "=", "p.indicator_id")
        .onRef("o.area_id", "=", "p.area_id")
        .onRef("o.period", "=", "p.period")
        .onRef("o.breakdown", "=", "p.breakdown"),
    )
    .select([
      "i.code as indicatorCode",
      "i.title as indicatorTitle",
      "a.code as areaCode",
      "a.name as areaName",
      "p.period",
      "p.breakdown",
      "p.kind",
      "p.value",
      "o.value as current",
    ])
    .where("p.batch_id", "=", batchId)
    .orderBy("p.id")
    .limit(limit)
    .execute();
  const byIndicator = await db
    .selectFrom("pending_observation as p")
    .innerJoin("indicator as i", "i.id", "p.indicator_id")
    .select(["i.code", (eb) => eb.fn.countAll<number | string>().as("n")])
    .where("p.batch_id", "=", batchId)
    .groupBy("i.code")
    .orderBy("i.code")
    .execute();
  return {
    values: rows.map((r) => ({ ...r, current: r.current ?? null })),
    total: byIndicator.reduce((sum, r) => sum + Number(r.n), 0),
    byIndicator: byIndicator.map((r) => ({ code: r.code, rows: Number(r.n) })),
  };
}

/**
 * The indicator codes of a held batch's rows (whose targets an approval may move).
 *
 * @example const codes = await pendingIndicatorCodes(trx, 7);
 */
export async function pendingIndicatorCodes(db: Executor, batchId: number): Promise<string[]> {
  const rows = await db
    .selectFrom("pending_observation as p")
    .innerJoin("indicator as i", "i.id", "p.indicator_id")
    .select("i.code")
    .distinct()
    .where("p.batch_id", "=", batchId)
    .orderBy("i.code")
    .execute();
  return rows.map((r) => r.code);
}

/**
 * Deletes a batch's held rows (after approval wrote them, or on rejection).
 *
 * @example await clearPendingRows(trx, 7);
 */
export async function clearPendingRows(db: Executor, batchId: number): Promise<void> {
  await db.deleteFrom("pending_observation").where("batch_id", "=", batchId).execute();
}

/**
 * Records a held batch's review against the version seen: "committed" once approved (with the
 * counts its values made), "rejected" with the reason. Returns false when the batch is no longer
 * pending at that version.
 *
 * @example await reviewImportBatch(trx, 7, 1, { status: "rejected", by: 2, at: nowIso(), note: "Wrong year" });
 */
export async function reviewImportBatch(
  db: Executor,
  id: number,
  version: number,
  r: {
    status: "committed" | "rejected";
    by: number;
    at: string;
    note?: string | null;
    counts?: { inserted: number; updated: number; unchanged: number };
  },
): Promise<boolean> {
  const done = await db
    .updateTable("import_batch")
    .set({
      status: r.status,
      reviewed_by: r.by,
      reviewed_at: r.at,
      review_note: r.note ?? null,
      version: version + 1,
      ...(r.counts ?? {}),
    })
    .where("id", "=", id)
    .where("version", "=", version)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return Number(done.numUpdatedRows) === 1;
}
