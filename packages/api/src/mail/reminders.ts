import { createHash, randomBytes } from "node:crypto";
import {
  claimReminder,
  type Database,
  type EmailCategory,
  type Executor,
  findEmailPreferences,
  finishReminder,
  insertNotification,
  insertUnsubscribeToken,
  type ReminderKey,
} from "@fivestep/db";
import { ActionFieldsSchema } from "@fivestep/domain";
import type { Kysely } from "kysely";
import { composeReminderMail, type Mailer } from "./mailer.ts";
import { type MessageCode, type MessageParams, mailLocale, renderMessage } from "./messages.ts";

/** One reminder due to one person now, before it is claimed. */
export interface Reminder {
  key: ReminderKey;
  code: MessageCode;
  params: MessageParams;
  /** Where in the planner it leads (a path). */
  link: string;
  /** Which preference turns its email off. */
  category: EmailCategory;
}

/** How many days before its due date a data return or an action is reminded of. */
export const DUE_SOON_DAYS = 3;
/** How far back a new assignment or a target's fall off track is still news. */
export const NEWS_DAYS = 7;
/** After how long a claim not yet sent is taken for abandoned (its instance died) and tried again. */
export const STALE_CLAIM_MINUTES = 15;

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The active leads of a partnership, by id. */
async function leadsOf(db: Executor, partnershipId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("membership as m")
    .innerJoin("app_user as u", "u.id", "m.user_id")
    .select("u.id")
    .where("m.partnership_id", "=", partnershipId)
    .where("m.role", "=", "lead")
    .where("u.status", "=", "active")
    .orderBy("u.id")
    .execute();
  return rows.map((r) => r.id);
}

/** Whether a person is an active member of a partnership. */
async function isActiveMember(db: Executor, partnershipId: number, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom("membership as m")
    .innerJoin("app_user as u", "u.id", "m.user_id")
    .select("u.id")
    .where("m.partnership_id", "=", partnershipId)
    .where("m.user_id", "=", userId)
    .where("u.status", "=", "active")
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Every reminder due at `now`: data returns newly assigned, due within three days, or overdue
 * (to their assignee); actions of agreed plans due within three days or overdue and not done
 * (to their lead when the lead is a member, otherwise to the partnership's leads); targets that
 * turned off track in the last week (to their priority's owner when a member, and the partnership's
 * leads). Each has the key that makes it
 * once per person and period: a due date reminded once as "soon" and once as "overdue", and again
 * if the date moves.
 *
 * @example const due = await findDueReminders(db, new Date("2026-11-30T06:00:00Z"));
 */
export async function findDueReminders(db: Executor, now: Date): Promise<Reminder[]> {
  const today = isoDay(now.getTime());
  const soon = isoDay(now.getTime() + DUE_SOON_DAYS * DAY_MS);
  const newsSince = new Date(now.getTime() - NEWS_DAYS * DAY_MS).toISOString();
  const out: Reminder[] = [];

  const returns = await db
    .selectFrom("data_return as r")
    .innerJoin("app_user as u", "u.id", "r.assignee_user_id")
    .select(["r.id", "r.indicator_code", "r.period", "r.due_date", "r.assignee_user_id", "r.created_at"])
    .where("r.status", "=", "due")
    .where("u.status", "=", "active")
    .orderBy("r.id")
    .execute();
  for (const r of returns) {
    const params = { indicator: r.indicator_code, period: r.period, due: r.due_date };
    const base = { subjectId: r.id, userId: r.assignee_user_id };
    const remind = (code: MessageCode, kind: string, periodKey: string) =>
      out.push({
        key: { ...base, kind, periodKey },
        code,
        params,
        link: "/returns",
        category: "data_returns",
      });
    if (r.created_at >= newsSince) remind("reminder.dataReturn.assigned", "data-return.assigned", "assigned");
    if (r.due_date < today) remind("reminder.dataReturn.overdue", "data-return.overdue", r.due_date);
    else if (r.due_date <= soon) remind("reminder.dataReturn.dueSoon", "data-return.due-soon", r.due_date);
  }

  const actions = await db
    .selectFrom("plan_item as i")
    .innerJoin("plan as p", "p.id", "i.plan_id")
    .select(["i.id", "i.plan_id", "i.data_json", "i.lead_user_id", "p.partnership_id"])
    .where("i.kind", "=", "action")
    .where("p.status", "in", ["agreed", "in-delivery"])
    .orderBy("i.id")
    .execute();
  for (const a of actions) {
    const fields = ActionFieldsSchema.safeParse(JSON.parse(a.data_json));
    if (!fields.success) continue;
    const { dueDate, status, what, leadUserId } = fields.data;
    if (dueDate === null || status === "done" || status === "stopped" || dueDate > soon) continue;
    const overdue = dueDate < today;
    const lead = a.lead_user_id ?? leadUserId;
    const to =
      lead !== null && (await isActiveMember(db, a.partnership_id, lead))
        ? [lead]
        : await leadsOf(db, a.partnership_id);
    for (const userId of to) {
      out.push({
        key: {
          kind: overdue ? "action.overdue" : "action.due-soon",
          subjectId: a.id,
          periodKey: dueDate,
          userId,
        },
        code: overdue ? "reminder.action.overdue" : "reminder.action.dueSoon",
        params: { action: what, due: dueDate },
        link: `/partnerships/${a.partnership_id}/plans/${a.plan_id}`,
        category: "actions",
      });
    }
  }

  const fallen = await db
    .selectFrom("status_change as c")
    .innerJoin("plan as p", "p.id", "c.plan_id")
    .innerJoin("plan_item as i", "i.id", "c.item_id")
    .leftJoin("priority as pr", "pr.id", "i.priority_id")
    .select([
      "c.id",
      "c.plan_id",
      "c.indicator_code",
      "p.partnership_id",
      "pr.title as priority",
      "pr.owner_user_id as ownerUserId",
    ])
    .where("c.to_status", "=", "off-track")
    .where((eb) => eb.or([eb("c.from_status", "is", null), eb("c.from_status", "!=", "off-track")]))
    .where("c.at", ">=", newsSince)
    .orderBy("c.id")
    .execute();
  for (const c of fallen) {
    const owner =
      c.ownerUserId !== null && (await isActiveMember(db, c.partnership_id, c.ownerUserId))
        ? [c.ownerUserId]
        : [];
    for (const userId of new Set([...owner, ...(await leadsOf(db, c.partnership_id))])) {
      out.push({
        key: { kind: "target.off-track", subjectId: c.id, periodKey: "off-track", userId },
        code: "reminder.target.offTrack",
        params: { indicator: c.indicator_code, priority: c.priority ?? "" },
        link: `/partnerships/${c.partnership_id}/plans/${c.plan_id}/dashboard`,
        category: "targets",
      });
    }
  }
  return out;
}

/** What one pass of `sendDueReminders` did. */
export interface ReminderRun {
  /** Reminders this instance claimed (new ones and abandoned ones taken over). */
  claimed: number;
  emailed: number;
  /** Claimed and left in the inbox only (no mail configured, or the person turned it off). */
  inAppOnly: number;
  /** Emails that failed to send; their claims stay open and are tried again once stale. */
  failed: number;
  /** Why the first few sends failed (the mail server's answers), for the job's result. */
  errors: string[];
}

/**
 * Sends every reminder due at `now` that nobody has claimed: each is claimed by its unique key in
 * a transaction that also puts it in the person's inbox (as a message code and parameters), so
 * several instances, or a restarted one, send it once; then it is emailed in the person's
 * language when a mailer is given and they have not turned that kind off, and marked sent.
 * A send that fails leaves the claim open; after `staleAfterMinutes` any instance tries again
 * (without a second inbox entry).
 *
 * @example const run = await sendDueReminders({ db, mailer: null, now: new Date(), instance: "web-1:42" });
 */
export async function sendDueReminders(o: {
  db: Kysely<Database>;
  mailer: Mailer | null;
  now: Date;
  instance: string;
  staleAfterMinutes?: number;
}): Promise<ReminderRun> {
  const run: ReminderRun = { claimed: 0, emailed: 0, inAppOnly: 0, failed: 0, errors: [] };
  const at = o.now.toISOString();
  const staleBefore = new Date(
    o.now.getTime() - (o.staleAfterMinutes ?? STALE_CLAIM_MINUTES) * 60_000,
  ).toISOString();
  for (const reminder of await findDueReminders(o.db, o.now)) {
    const claim = await o.db.transaction().execute(async (trx) => {
      const got = await claimReminder(trx, reminder.key, { instance: o.instance, at, staleBefore });
      if (got === "new") {
        await insertNotification(trx, {
          user_id: reminder.key.userId,
          kind: "reminder",
          text: renderMessage("en-GB", reminder.code, reminder.params).body,
          link: reminder.link,
          created_at: at,
          message_code: reminder.code,
          params_json: JSON.stringify(reminder.params),
        });
      }
      return got;
    });
    if (claim === null) continue;
    run.claimed++;
    const user = await o.db
      .selectFrom("app_user")
      .select(["email", "display_name", "locale"])
      .where("id", "=", reminder.key.userId)
      .executeTakeFirstOrThrow();
    const prefs = await findEmailPreferences(o.db, reminder.key.userId);
    const wanted =
      reminder.category === "data_returns"
        ? prefs.dataReturns
        : reminder.category === "actions"
          ? prefs.actions
          : prefs.targets;
    if (!o.mailer || !wanted) {
      await finishReminder(o.db, reminder.key, "in-app", at);
      run.inAppOnly++;
      continue;
    }
    try {
      const token = randomBytes(32).toString("base64url");
      await insertUnsubscribeToken(o.db, {
        tokenHash: hashUnsubscribeToken(token),
        userId: reminder.key.userId,
        category: reminder.category,
        at,
      });
      await o.mailer.send(
        composeReminderMail({
          to: user.email,
          name: user.display_name,
          locale: mailLocale(user.locale),
          code: reminder.code,
          params: reminder.params,
          link: reminder.link,
          publicUrl: o.mailer.publicUrl,
          unsubscribeToken: token,
        }),
      );
      await finishReminder(o.db, reminder.key, "sent", new Date().toISOString());
      run.emailed++;
    } catch (error) {
      run.failed++;
      if (run.errors.length < 5)
        run.errors.push(error instanceof Error ? error.message.slice(0, 300) : String(error));
    }
  }
  return run;
}

/**
 * The SHA-256 of an unsubscribe token, as stored (the token itself is only in the email).
 *
 * @example hashUnsubscribeToken("abc").length // 64
 */
export function hashUnsubscribeToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
