import { sql } from "kysely";
import type { Executor } from "../database.ts";

/** One reminder to one person for one period: the unique key of a `reminder_claim`. */
export interface ReminderKey {
  kind: string;
  subjectId: number;
  periodKey: string;
  userId: number;
}

/**
 * Claims a reminder for this instance: non-null when it is now ours to send. A new key is inserted
 * ("new"; a key claimed already, by anyone, is left alone); a key `queued` by the request that
 * already put the reminder in the inbox is taken ("queued": email it only); a claim still `claimed` since before
 * `staleBefore` (its instance died between claiming and sending) is taken over. Either is one
 * statement, so of several instances racing for a key exactly one gets it, on SQLite and
 * PostgreSQL alike.
 *
 * @example if (await claimReminder(trx, key, { instance: "web-1:42", at: now, staleBefore })) send();
 */
export async function claimReminder(
  db: Executor,
  key: ReminderKey,
  o: { instance: string; at: string; staleBefore: string },
): Promise<"new" | "queued" | "retry" | null> {
  const inserted = await db
    .insertInto("reminder_claim")
    .values({
      kind: key.kind,
      subject_id: key.subjectId,
      period_key: key.periodKey,
      user_id: key.userId,
      state: "claimed",
      claimed_by: o.instance,
      claimed_at: o.at,
      sent_at: null,
    })
    .onConflict((oc) => oc.columns(["kind", "subject_id", "period_key", "user_id"]).doNothing())
    .returning("kind")
    .executeTakeFirst();
  if (inserted) return "new";
  const queued = await db
    .updateTable("reminder_claim")
    .set({ state: "claimed", claimed_by: o.instance, claimed_at: o.at, attempts: sql`attempts + 1` })
    .where("kind", "=", key.kind)
    .where("subject_id", "=", key.subjectId)
    .where("period_key", "=", key.periodKey)
    .where("user_id", "=", key.userId)
    .where("state", "=", "queued")
    .returning("kind")
    .executeTakeFirst();
  if (queued) return "queued";
  const retaken = await db
    .updateTable("reminder_claim")
    .set({ claimed_by: o.instance, claimed_at: o.at, attempts: sql`attempts + 1` })
    .where("kind", "=", key.kind)
    .where("subject_id", "=", key.subjectId)
    .where("period_key", "=", key.periodKey)
    .where("user_id", "=", key.userId)
    .where("state", "=", "claimed")
    .where("claimed_at", "<", o.staleBefore)
    .returning("kind")
    .executeTakeFirst();
  return retaken ? "retry" : null;
}

/**
 * Queues a reminder whose inbox entry the caller writes in the same transaction: the reminders
 * job then claims it ("queued") and only emails it, never adding a second inbox entry. A key
 * that exists already is left alone.
 *
 * @example await queueReminder(trx, { kind: "data-return.assigned", subjectId: 7, periodKey: "assigned", userId: 4 }, nowIso());
 */
export async function queueReminder(db: Executor, key: ReminderKey, at: string): Promise<void> {
  await db
    .insertInto("reminder_claim")
    .values({
      kind: key.kind,
      subject_id: key.subjectId,
      period_key: key.periodKey,
      user_id: key.userId,
      state: "queued",
      claimed_by: "request",
      claimed_at: at,
      sent_at: null,
      attempts: 0,
    })
    .onConflict((oc) => oc.columns(["kind", "subject_id", "period_key", "user_id"]).doNothing())
    .execute();
}

/**
 * Marks a claimed reminder done: `sent` (emailed) or `in-app` (not emailed).
 *
 * @example await finishReminder(db, key, "sent", nowIso());
 */
export async function finishReminder(
  db: Executor,
  key: ReminderKey,
  state: "sent" | "in-app",
  at: string,
): Promise<void> {
  await db
    .updateTable("reminder_claim")
    .set({ state, sent_at: at })
    .where("kind", "=", key.kind)
    .where("subject_id", "=", key.subjectId)
    .where("period_key", "=", key.periodKey)
    .where("user_id", "=", key.userId)
    .execute();
}

/** The kinds of email a person may turn off, each a column of `email_preference`. */
export type EmailCategory = "data_returns" | "actions" | "targets" | "weekly_digest";

/** A person's email preferences; without a row the reminders are on and the weekly digest off. */
export interface EmailPreferences {
  dataReturns: boolean;
  actions: boolean;
  targets: boolean;
  /** A weekly digest of each of their partnerships (off unless chosen). */
  weeklyDigest: boolean;
}

/** @example const prefs = await findEmailPreferences(db, 4); // { dataReturns: true, actions: true, targets: false, weeklyDigest: false } */
export async function findEmailPreferences(db: Executor, userId: number): Promise<EmailPreferences> {
  const row = await db
    .selectFrom("email_preference")
    .selectAll()
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return {
    dataReturns: row ? row.data_returns === 1 : true,
    actions: row ? row.actions === 1 : true,
    targets: row ? row.targets === 1 : true,
    weeklyDigest: row ? row.weekly_digest === 1 : false,
  };
}

/** @example await saveEmailPreferences(trx, 4, { dataReturns: true, actions: false, targets: true, weeklyDigest: false }, nowIso()); */
export async function saveEmailPreferences(
  db: Executor,
  userId: number,
  prefs: EmailPreferences,
  at: string,
): Promise<void> {
  const values = {
    data_returns: prefs.dataReturns ? 1 : 0,
    actions: prefs.actions ? 1 : 0,
    targets: prefs.targets ? 1 : 0,
    weekly_digest: prefs.weeklyDigest ? 1 : 0,
    updated_at: at,
  };
  await db
    .insertInto("email_preference")
    .values({ user_id: userId, ...values })
    .onConflict((oc) => oc.column("user_id").doUpdateSet(values))
    .execute();
}

/** @example await setUserLocale(trx, 4, "hr-HR", nowIso()); */
export async function setUserLocale(db: Executor, userId: number, locale: string, at: string): Promise<void> {
  await db.updateTable("app_user").set({ locale, updated_at: at }).where("id", "=", userId).execute();
}

/** @example await insertUnsubscribeToken(db, { tokenHash, userId: 4, category: "data_returns", at }); */
export async function insertUnsubscribeToken(
  db: Executor,
  t: { tokenHash: string; userId: number; category: EmailCategory; at: string },
): Promise<void> {
  await db
    .insertInto("unsubscribe_token")
    .values({
      token_hash: t.tokenHash,
      user_id: t.userId,
      category: t.category,
      created_at: t.at,
      used_at: null,
    })
    .execute();
}

/** The person and category an unsubscribe token (by its hash) is for, or undefined. @example const t = await findUnsubscribeToken(db, hash); */
export async function findUnsubscribeToken(db: Executor, tokenHash: string) {
  return db
    .selectFrom("unsubscribe_token as t")
    .innerJoin("app_user as u", "u.id", "t.user_id")
    .select(["t.user_id as userId", "t.category", "t.used_at as usedAt", "u.email", "u.locale"])
    .where("t.token_hash", "=", tokenHash)
    .executeTakeFirst();
}

/** Records that a token was used. @example await markUnsubscribeTokenUsed(trx, hash, nowIso()); */
export async function markUnsubscribeTokenUsed(db: Executor, tokenHash: string, at: string): Promise<void> {
  await db
    .updateTable("unsubscribe_token")
    .set({ used_at: at })
    .where("token_hash", "=", tokenHash)
    .execute();
}

/**
 * Deletes the rows of reminder jobs that finished before `before` having claimed nothing (most
 * ticks of the schedule): they say nothing, and would otherwise pile up, several an hour on every
 * instance. Jobs that sent or failed something are kept. Returns how many were deleted.
 *
 * @example await pruneIdleReminderJobs(db, "email.reminders", new Date(Date.now() - 86_400_000).toISOString());
 */
export async function pruneIdleReminderJobs(db: Executor, kind: string, before: string): Promise<number> {
  const r = await db
    .deleteFrom("job")
    .where("kind", "=", kind)
    .where("state", "=", "succeeded")
    .where("finished_at", "<", before)
    .where("result_json", "like", '{"claimed":0,%')
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
