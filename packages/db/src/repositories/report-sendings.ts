import type { Executor } from "../database.ts";
import type { ReportSendingRow } from "../tables/report-sending.table.ts";

/** The `reminder_claim` kind of one recipient's scheduled report email. @example SCHEDULED_REPORT_CLAIM // "report.scheduled" */
export const SCHEDULED_REPORT_CLAIM = "report.scheduled";

/**
 * Records that a reporting schedule's pack goes out for a due date: true when this caller
 * inserted the record (and so sends it), false when the date was taken already, by anyone.
 * One statement on the primary key (item, due date), so of several instances racing exactly one
 * gets true, on SQLite and PostgreSQL alike.
 *
 * @example if (await claimReportSending(trx, { item_id: 9, due_date: "2026-11-30", … })) send();
 */
export async function claimReportSending(
  db: Executor,
  row: Omit<ReportSendingRow, "sent_at">,
): Promise<boolean> {
  const inserted = await db
    .insertInto("report_sending")
    .values({ ...row, sent_at: null })
    .onConflict((oc) => oc.columns(["item_id", "due_date"]).doNothing())
    .returning("item_id")
    .executeTakeFirst();
  return inserted !== undefined;
}

/** @example const s = await findReportSending(db, 9, "2026-11-30"); */
export function findReportSending(
  db: Executor,
  itemId: number,
  dueDate: string,
): Promise<ReportSendingRow | undefined> {
  return db
    .selectFrom("report_sending")
    .selectAll()
    .where("item_id", "=", itemId)
    .where("due_date", "=", dueDate)
    .executeTakeFirst();
}

/**
 * Marks a sending done once none of its recipients' claims is still open; returns whether it is.
 *
 * @example await finishReportSendingIfDone(db, 9, "2026-11-30", nowIso());
 */
export async function finishReportSendingIfDone(
  db: Executor,
  itemId: number,
  dueDate: string,
  at: string,
): Promise<boolean> {
  const open = await db
    .selectFrom("reminder_claim")
    .select("user_id")
    .where("kind", "=", SCHEDULED_REPORT_CLAIM)
    .where("subject_id", "=", itemId)
    .where("period_key", "=", dueDate)
    .where("state", "=", "claimed")
    .executeTakeFirst();
  if (open) return false;
  await db
    .updateTable("report_sending")
    .set({ sent_at: at })
    .where("item_id", "=", itemId)
    .where("due_date", "=", dueDate)
    .where("sent_at", "is", null)
    .execute();
  return true;
}

/** One entry of a plan's scheduled-report history. */
export interface ReportSendingView {
  itemId: number;
  dueDate: string;
  pack: string;
  recipientCount: number;
  claimedAt: string;
  sentAt: string | null;
}

/**
 * What a plan's reporting schedules sent, newest due date first (at most `limit`).
 *
 * @example const history = await listReportSendings(db, 12); // [{ itemId: 9, dueDate: "2026-11-30", pack: "board", recipientCount: 3, … }]
 */
export async function listReportSendings(
  db: Executor,
  planId: number,
  limit = 100,
): Promise<ReportSendingView[]> {
  const rows = await db
    .selectFrom("report_sending")
    .select(["item_id", "due_date", "pack", "recipient_count", "claimed_at", "sent_at"])
    .where("plan_id", "=", planId)
    .orderBy("due_date", "desc")
    .orderBy("item_id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    itemId: r.item_id,
    dueDate: r.due_date,
    pack: r.pack,
    recipientCount: Number(r.recipient_count),
    claimedAt: r.claimed_at,
    sentAt: r.sent_at,
  }));
}

/**
 * Recipients' scheduled-report claims left `claimed` since before `staleBefore` (their instance
 * died, or the mail server refused): the ones to try again.
 *
 * @example const open = await listStaleReportClaims(db, new Date(Date.now() - 15 * 60_000).toISOString());
 */
export function listStaleReportClaims(
  db: Executor,
  staleBefore: string,
): Promise<Array<{ itemId: number; dueDate: string; userId: number }>> {
  return db
    .selectFrom("reminder_claim")
    .select(["subject_id as itemId", "period_key as dueDate", "user_id as userId"])
    .where("kind", "=", SCHEDULED_REPORT_CLAIM)
    .where("state", "=", "claimed")
    .where("claimed_at", "<", staleBefore)
    .orderBy("subject_id")
    .orderBy("user_id")
    .execute();
}

/**
 * Stores an unsubscribe token (its hash) that stops one record's emails to one person, such as
 * one reporting schedule's.
 *
 * @example await insertSubjectUnsubscribeToken(db, { tokenHash, userId: 4, category: "reports", subjectId: 9, at });
 */
export async function insertSubjectUnsubscribeToken(
  db: Executor,
  t: { tokenHash: string; userId: number; category: string; subjectId: number; at: string },
): Promise<void> {
  await db
    .insertInto("unsubscribe_token")
    .values({
      token_hash: t.tokenHash,
      user_id: t.userId,
      category: t.category,
      subject_id: t.subjectId,
      created_at: t.at,
      used_at: null,
    })
    .execute();
}

/** The record an unsubscribe token (by its hash) stops, or null. @example const itemId = await unsubscribeSubject(db, hash); */
export async function unsubscribeSubject(db: Executor, tokenHash: string): Promise<number | null> {
  const row = await db
    .selectFrom("unsubscribe_token")
    .select("subject_id")
    .where("token_hash", "=", tokenHash)
    .executeTakeFirst();
  return row?.subject_id ?? null;
}
