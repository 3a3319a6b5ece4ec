import type { Generated, Selectable } from "kysely";

/** `email_preference`: which reminders a person receives by email (1 on, 0 off); no row: all on. */
export interface EmailPreferenceTable {
  user_id: number;
  data_returns: Generated<number>;
  /** 1: a weekly digest by email (off unless chosen). */
  weekly_digest: Generated<number>;
  actions: Generated<number>;
  targets: Generated<number>;
  updated_at: string;
}
/** @example const p: EmailPreferenceRow = await db.selectFrom("email_preference").selectAll().executeTakeFirstOrThrow(); */
export type EmailPreferenceRow = Selectable<EmailPreferenceTable>;

/**
 * `reminder_claim`: one reminder to one person for one period (its primary key), claimed by the
 * instance sending it. `claimed` until sent; then `sent` (emailed) or `in-app` (no email: none
 * configured, or the person turned it off). A claim still `claimed` long after `claimed_at`
 * belongs to an instance that died, and is taken again.
 */
export interface ReminderClaimTable {
  kind: string;
  subject_id: number;
  period_key: string;
  user_id: number;
  state: "queued" | "claimed" | "sent" | "in-app";
  claimed_by: string;
  claimed_at: string;
  sent_at: string | null;
  attempts: Generated<number>;
}
/** @example const c: ReminderClaimRow = await db.selectFrom("reminder_claim").selectAll().executeTakeFirstOrThrow(); */
export type ReminderClaimRow = Selectable<ReminderClaimTable>;

/** `unsubscribe_token`: an email's one-click unsubscribe link (the SHA-256 of its token). */
export interface UnsubscribeTokenTable {
  token_hash: string;
  user_id: number;
  category: string;
  created_at: string;
  used_at: string | null;
  /** The record the link stops, for a category about one record (a scheduled report's plan item). */
  subject_id: number | null;
}
