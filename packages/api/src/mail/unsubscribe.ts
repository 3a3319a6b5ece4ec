import {
  type Database,
  type EmailCategory,
  type EmailPreferences,
  findEmailPreferences,
  findUnsubscribeToken,
  markUnsubscribeTokenUsed,
  nowIso,
  saveEmailPreferences,
  unsubscribeSubject,
} from "@fivestep/db";
import type { Kysely } from "kysely";
import { audit } from "../audit.ts";
import { type MailLocale, mailLocale } from "./messages.ts";
import { hashUnsubscribeToken } from "./reminders.ts";
import { leaveReportSchedule, onReportSchedule, REPORTS_UNSUBSCRIBE } from "./scheduled-reports.ts";

/** What an unsubscribe link is for, shown on its confirmation page. */
export interface UnsubscribeTarget {
  /** `reports`: one reporting schedule's pack (the link takes its reader off that schedule). */
  category: EmailCategory | "reports";
  locale: MailLocale;
  /** Whether that kind of email is already off. */
  alreadyOff: boolean;
}

/**
 * Whether a person receives one kind of email.
 *
 * @example preferenceFor({ dataReturns: true, actions: true, targets: true, weeklyDigest: false }, "weekly_digest") // false
 */
export function preferenceFor(prefs: EmailPreferences, category: EmailCategory): boolean {
  if (category === "data_returns") return prefs.dataReturns;
  if (category === "actions") return prefs.actions;
  if (category === "targets") return prefs.targets;
  return prefs.weeklyDigest;
}

const wellFormed = (token: string) => /^[A-Za-z0-9_-]{20,100}$/.test(token);

/**
 * The person and kind of email an unsubscribe token stops, or null for an unknown token. Reads
 * only: opening the link (or a mail scanner fetching it) changes nothing.
 *
 * @example const target = await describeUnsubscribe(db, token); // { category: "data_returns", locale: "hr-HR", alreadyOff: false }
 */
export async function describeUnsubscribe(
  db: Kysely<Database>,
  token: string,
): Promise<UnsubscribeTarget | null> {
  if (!wellFormed(token)) return null;
  const hash = hashUnsubscribeToken(token);
  const found = await findUnsubscribeToken(db, hash);
  if (!found) return null;
  if (found.category === REPORTS_UNSUBSCRIBE) {
    const itemId = await unsubscribeSubject(db, hash);
    const on = itemId !== null && (await onReportSchedule(db, itemId, found.userId));
    return { category: "reports", locale: mailLocale(found.locale), alreadyOff: !on };
  }
  const prefs = await findEmailPreferences(db, found.userId);
  const category = found.category as EmailCategory;
  const on = preferenceFor(prefs, category);
  return { category, locale: mailLocale(found.locale), alreadyOff: !on };
}

/**
 * Turns off the kind of email an unsubscribe token is for (RFC 8058 one-click), audited as the
 * token's person; null for an unknown token. Using a token twice is harmless.
 *
 * @example const done = await unsubscribe(db, token, { requestId: req.id });
 */
export async function unsubscribe(
  db: Kysely<Database>,
  token: string,
  o: { requestId: string },
): Promise<UnsubscribeTarget | null> {
  if (!wellFormed(token)) return null;
  const hash = hashUnsubscribeToken(token);
  return db.transaction().execute(async (trx) => {
    const found = await findUnsubscribeToken(trx, hash);
    if (!found) return null;
    if (found.category === REPORTS_UNSUBSCRIBE) {
      const itemId = await unsubscribeSubject(trx, hash);
      if (itemId !== null)
        await leaveReportSchedule(trx, { itemId, userId: found.userId, requestId: o.requestId });
      await markUnsubscribeTokenUsed(trx, hash, nowIso());
      return { category: "reports" as const, locale: mailLocale(found.locale), alreadyOff: true };
    }
    const category = found.category as EmailCategory;
    const before = await findEmailPreferences(trx, found.userId);
    const after = {
      dataReturns: category === "data_returns" ? false : before.dataReturns,
      actions: category === "actions" ? false : before.actions,
      targets: category === "targets" ? false : before.targets,
      weeklyDigest: category === "weekly_digest" ? false : before.weeklyDigest,
    };
    const at = nowIso();
    await saveEmailPreferences(trx, found.userId, after, at);
    await markUnsubscribeTokenUsed(trx, hash, at);
    await audit(
      trx,
      { session: null, requestId: o.requestId },
      {
        action: "unsubscribe",
        entity: "email_preference",
        entityId: found.userId,
        partnershipId: null,
        before,
        after,
        actorUserId: found.userId,
      },
    );
    return { category, locale: mailLocale(found.locale), alreadyOff: true };
  });
}
