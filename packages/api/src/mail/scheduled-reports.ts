import { randomBytes } from "node:crypto";
import {
  claimReminder,
  claimReportSending,
  type Database,
  type Executor,
  findPlan,
  findReportSending,
  finishReminder,
  finishReportSendingIfDone,
  insertNotification,
  insertSubjectUnsubscribeToken,
  listMemberships,
  listPartnerships,
  listStaleReportClaims,
  type ReminderKey,
  SCHEDULED_REPORT_CLAIM,
  updateWithVersion,
} from "@fivestep/db";
import { nextReportDue, type ReportFrequency, ReportScheduleSchema } from "@fivestep/domain";
import type { Kysely } from "kysely";
import { audit } from "../audit.ts";
import { exportFileName } from "../jobs/report-export.ts";
import { toItemView } from "../plan-views.ts";
import { type PerformanceReport, performanceReport } from "../report.ts";
import { REPORT_PACKS, type ReportPack, reportTables, tablesCsv } from "../report-exports.ts";
import { composeReminderMail, type Mailer, type OutgoingMail } from "./mailer.ts";
import { type MailLocale, type MessageParams, mailLocale, renderMessage } from "./messages.ts";
import { hashUnsubscribeToken, STALE_CLAIM_MINUTES } from "./reminders.ts";

/** The unsubscribe category of a scheduled report's email: it takes its reader off that schedule. @example REPORTS_UNSUBSCRIBE // "reports" */
export const REPORTS_UNSUBSCRIBE = "reports";

const CODE = "report.scheduled" as const;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The first date after `today` reached from `due` by steps of the frequency: a schedule whose
 * date passed long ago (a server switched off for months) sends once, then looks ahead.
 *
 * @example nextDueAfter("2026-05-15", "quarterly", "2026-11-30") // "2027-02-15"
 */
export function nextDueAfter(due: string, frequency: ReportFrequency, today: string): string {
  let next = nextReportDue(due, frequency);
  while (next <= today) next = nextReportDue(next, frequency);
  return next;
}

/**
 * Where a pack is read in the planner (signed-in readers only): the plan's performance report
 * for that audience.
 *
 * @example reportPath(1, 12, "board") // "/partnerships/1/plans/12/report?pack=board"
 */
export function reportPath(partnershipId: number, planId: number, pack: string): string {
  return `/partnerships/${partnershipId}/plans/${planId}/report?pack=${encodeURIComponent(pack)}`;
}

/** What one pass of `sendDueReports` did. */
export interface ScheduledReportRun {
  /** Schedules whose due date this instance took (each date is taken once, by one instance). */
  schedules: number;
  /** Recipients' emails this instance claimed (new, and stale ones taken over). */
  claimed: number;
  emailed: number;
  /** Claimed and left in the inbox only: no mail configured. */
  inAppOnly: number;
  /** Emails that failed; their claims stay open and are tried again once stale. */
  failed: number;
  errors: string[];
}

/** A schedule's due date that someone changed while it was being taken: left for the next pass. */
class ScheduleMoved extends Error {}

/** The ids of a partnership's active members. */
async function activeMembers(db: Executor, partnershipId: number): Promise<Set<number>> {
  const members = await listMemberships(db, { partnershipId });
  return new Set(members.filter((m) => m.userStatus === "active").map((m) => m.userId));
}

/** What an email about one sending says and where it leads. */
interface SendingWords {
  itemId: number;
  dueDate: string;
  partnershipId: number;
  planId: number;
  pack: string;
  params: MessageParams;
  /** The pack as CSV in a language, built once per sending and language. */
  csv: (locale: MailLocale) => Promise<NonNullable<OutgoingMail["attachments"]>>;
}

/**
 * The pack's tables as a CSV attachment in each reader's language (the same file as the report
 * page's CSV download), built on first use; none when the plan or its report cannot be read.
 */
function packCsv(db: Kysely<Database>, s: { partnershipId: number; planId: number; pack: string }) {
  const pack = (REPORT_PACKS as readonly string[]).includes(s.pack) ? (s.pack as ReportPack) : "full";
  let report: Promise<{ title: string; report: PerformanceReport } | null> | undefined;
  const byLocale = new Map<MailLocale, NonNullable<OutgoingMail["attachments"]>>();
  return async (locale: MailLocale): Promise<NonNullable<OutgoingMail["attachments"]>> => {
    const known = byLocale.get(locale);
    if (known) return known;
    report ??= (async () => {
      const plan = await findPlan(db, s.partnershipId, s.planId);
      const [partnership] = await listPartnerships(db, { ids: [s.partnershipId] });
      if (!plan || !partnership) return null;
      return { title: plan.title, report: await performanceReport(db, plan, partnership.areaCode) };
    })().catch(() => null);
    const built = await report;
    const files = built
      ? [
          {
            filename: exportFileName(built.title, pack, "csv"),
            content: Buffer.from(`\uFEFF${tablesCsv(reportTables(built.report, pack, locale))}`, "utf8"),
            contentType: "text/csv; charset=utf-8",
          },
        ]
      : [];
    byLocale.set(locale, files);
    return files;
  };
}

/**
 * Sends the pack of every reporting schedule due by `now` (its `nextDue` on or before today, in
 * an agreed or delivering plan, with at least one recipient still an active member). Each
 * schedule's due date is taken in one transaction: the sending's record (whose key lets one
 * instance in), the next due date (one frequency on, past today), a claim and an inbox entry (a
 * message code and parameters) for each recipient who is still an active member, and the audit
 * entries. Then each recipient is emailed in their saved language, with a link to the pack for
 * signed-in readers, the pack's tables as CSV, and a link that takes them off the schedule, and
 * their claim is marked sent (in-app without a mailer). Claims left open (a dead instance, a
 * refused email) are tried again once older than `staleAfterMinutes`.
 *
 * @example const run = await sendDueReports({ db, mailer, now: new Date(), instance: "web-1:42" });
 */
export async function sendDueReports(o: {
  db: Kysely<Database>;
  mailer: Mailer | null;
  now: Date;
  instance: string;
  requestId?: string;
  staleAfterMinutes?: number;
}): Promise<ScheduledReportRun> {
  const run: ScheduledReportRun = {
    claimed: 0,
    schedules: 0,
    emailed: 0,
    inAppOnly: 0,
    failed: 0,
    errors: [],
  };
  const at = o.now.toISOString();
  const today = isoDay(o.now);
  const staleBefore = new Date(
    o.now.getTime() - (o.staleAfterMinutes ?? STALE_CLAIM_MINUTES) * 60_000,
  ).toISOString();
  const actor = { session: null, requestId: o.requestId ?? `report-schedule-${o.instance}` };

  const candidates = await o.db
    .selectFrom("plan_item as i")
    .innerJoin("plan as p", "p.id", "i.plan_id")
    .select(["i.id", "i.data_json"])
    .where("i.kind", "=", "report")
    .where("p.status", "in", ["agreed", "in-delivery"])
    .orderBy("i.id")
    .execute();
  for (const c of candidates) {
    const parsed = ReportScheduleSchema.safeParse(JSON.parse(c.data_json));
    // A schedule nobody receives waits (its date too) until someone is chosen.
    if (!parsed.success || parsed.data.recipients.length === 0) continue;
    if (parsed.data.nextDue === null || parsed.data.nextDue > today) continue;
    let taken: { words: SendingWords; keys: ReminderKey[] } | null;
    try {
      taken = await o.db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom("plan_item as i")
          .innerJoin("plan as p", "p.id", "i.plan_id")
          .selectAll("i")
          .select(["p.partnership_id", "p.title as plan_title"])
          .where("i.id", "=", c.id)
          .executeTakeFirst();
        const fields = row && ReportScheduleSchema.safeParse(JSON.parse(row.data_json));
        if (!row || !fields?.success) return null;
        const data = fields.data;
        if (data.nextDue === null || data.nextDue > today) return null;
        const members = await activeMembers(trx, row.partnership_id);
        const recipients = data.recipients.filter((id) => members.has(id));
        if (recipients.length === 0) return null;
        const won = await claimReportSending(trx, {
          item_id: row.id,
          due_date: data.nextDue,
          partnership_id: row.partnership_id,
          plan_id: row.plan_id,
          pack: data.pack,
          audience: data.audience,
          recipients_json: JSON.stringify(recipients),
          recipient_count: recipients.length,
          claimed_by: o.instance,
          claimed_at: at,
        });
        if (!won) return null;
        const next = nextDueAfter(data.nextDue, data.frequency, today);
        const moved = await updateWithVersion(trx, "plan_item", row.id, row.version, {
          data_json: JSON.stringify({ ...data, nextDue: next }),
          updated_at: at,
        });
        if (!moved) throw new ScheduleMoved();
        const words: SendingWords = {
          itemId: row.id,
          dueDate: data.nextDue,
          partnershipId: row.partnership_id,
          planId: row.plan_id,
          pack: data.pack,
          params: { audience: data.audience, plan: row.plan_title, due: data.nextDue },
          csv: packCsv(o.db, { partnershipId: row.partnership_id, planId: row.plan_id, pack: data.pack }),
        };
        const keys: ReminderKey[] = [];
        for (const userId of recipients) {
          const key = { kind: SCHEDULED_REPORT_CLAIM, subjectId: row.id, periodKey: data.nextDue, userId };
          if ((await claimReminder(trx, key, { instance: o.instance, at, staleBefore })) === null) continue;
          keys.push(key);
          await insertNotification(trx, {
            user_id: userId,
            kind: "report",
            text: renderMessage("en-GB", CODE, words.params).body,
            link: reportPath(row.partnership_id, row.plan_id, data.pack),
            created_at: at,
            message_code: CODE,
            params_json: JSON.stringify(words.params),
          });
        }
        await audit(trx, actor, {
          action: "send",
          entity: "report_sending",
          entityId: `${row.id}:${data.nextDue}`,
          partnershipId: row.partnership_id,
          before: null,
          after: {
            itemId: row.id,
            planId: row.plan_id,
            dueDate: data.nextDue,
            pack: data.pack,
            recipients,
            nextDue: next,
          },
        });
        await audit(trx, actor, {
          action: "update",
          entity: "plan_item",
          entityId: row.id,
          partnershipId: row.partnership_id,
          before: toItemView(row),
          after: toItemView(moved),
        });
        return { words, keys };
      });
    } catch (error) {
      if (error instanceof ScheduleMoved) continue;
      throw error;
    }
    if (!taken) continue;
    run.schedules++;
    for (const key of taken.keys) await deliver(o.db, o.mailer, key, taken.words, run);
    await finishReportSendingIfDone(o.db, taken.words.itemId, taken.words.dueDate, new Date().toISOString());
  }

  // Recipients whose email an instance claimed but never sent: once stale, any instance retries.
  for (const open of await listStaleReportClaims(o.db, staleBefore)) {
    const key = {
      kind: SCHEDULED_REPORT_CLAIM,
      subjectId: open.itemId,
      periodKey: open.dueDate,
      userId: open.userId,
    };
    const sending = await findReportSending(o.db, open.itemId, open.dueDate);
    if (!sending) continue;
    if ((await claimReminder(o.db, key, { instance: o.instance, at, staleBefore })) !== "retry") continue;
    const plan = await o.db
      .selectFrom("plan")
      .select("title")
      .where("id", "=", sending.plan_id)
      .executeTakeFirst();
    const words: SendingWords = {
      itemId: sending.item_id,
      dueDate: sending.due_date,
      partnershipId: sending.partnership_id,
      planId: sending.plan_id,
      pack: sending.pack,
      params: { audience: sending.audience, plan: plan?.title ?? "", due: sending.due_date },
      csv: packCsv(o.db, {
        partnershipId: sending.partnership_id,
        planId: sending.plan_id,
        pack: sending.pack,
      }),
    };
    await deliver(o.db, o.mailer, key, words, run);
    await finishReportSendingIfDone(o.db, sending.item_id, sending.due_date, new Date().toISOString());
  }
  return run;
}

/** Emails one claimed recipient (or keeps it in-app without a mailer) and marks the claim. */
async function deliver(
  db: Kysely<Database>,
  mailer: Mailer | null,
  key: ReminderKey,
  words: SendingWords,
  run: ScheduledReportRun,
): Promise<void> {
  run.claimed++;
  const at = new Date().toISOString();
  if (!mailer) {
    await finishReminder(db, key, "in-app", at);
    run.inAppOnly++;
    return;
  }
  try {
    const user = await db
      .selectFrom("app_user")
      .select(["email", "display_name", "locale"])
      .where("id", "=", key.userId)
      .executeTakeFirstOrThrow();
    const token = randomBytes(32).toString("base64url");
    await insertSubjectUnsubscribeToken(db, {
      tokenHash: hashUnsubscribeToken(token),
      userId: key.userId,
      category: REPORTS_UNSUBSCRIBE,
      subjectId: words.itemId,
      at,
    });
    const locale = mailLocale(user.locale);
    const mail = composeReminderMail({
      to: user.email,
      name: user.display_name,
      locale,
      code: CODE,
      params: words.params,
      link: reportPath(words.partnershipId, words.planId, words.pack),
      publicUrl: mailer.publicUrl,
      unsubscribeToken: token,
    });
    await mailer.send({ ...mail, attachments: await words.csv(locale) });
    await finishReminder(db, key, "sent", new Date().toISOString());
    run.emailed++;
  } catch (error) {
    run.failed++;
    if (run.errors.length < 5)
      run.errors.push(error instanceof Error ? error.message.slice(0, 300) : String(error));
  }
}

/**
 * Whether a person is still on a reporting schedule's recipients (for the unsubscribe page).
 *
 * @example await onReportSchedule(db, 9, 4) // true
 */
export async function onReportSchedule(db: Executor, itemId: number, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom("plan_item")
    .select("data_json")
    .where("id", "=", itemId)
    .executeTakeFirst();
  const data = row && ReportScheduleSchema.safeParse(JSON.parse(row.data_json));
  return data?.success === true && data.data.recipients.includes(userId);
}

/**
 * Takes a person off a reporting schedule's recipients (its unsubscribe link), audited as them;
 * nothing when they are not on it, or the schedule is gone.
 *
 * @example await leaveReportSchedule(trx, { itemId: 9, userId: 4, requestId: req.id });
 */
export async function leaveReportSchedule(
  trx: Executor,
  o: { itemId: number; userId: number; requestId: string },
): Promise<void> {
  const row = await trx
    .selectFrom("plan_item as i")
    .innerJoin("plan as p", "p.id", "i.plan_id")
    .selectAll("i")
    .select("p.partnership_id")
    .where("i.id", "=", o.itemId)
    .where("i.kind", "=", "report")
    .executeTakeFirst();
  const parsed = row && ReportScheduleSchema.safeParse(JSON.parse(row.data_json));
  if (!row || !parsed?.success || !parsed.data.recipients.includes(o.userId)) return;
  const data = { ...parsed.data, recipients: parsed.data.recipients.filter((id) => id !== o.userId) };
  const moved = await updateWithVersion(trx, "plan_item", row.id, row.version, {
    data_json: JSON.stringify(data),
    updated_at: new Date().toISOString(),
  });
  if (!moved) throw new Error("The reporting schedule changed meanwhile; try the link again");
  await audit(
    trx,
    { session: null, requestId: o.requestId },
    {
      action: "unsubscribe",
      entity: "plan_item",
      entityId: row.id,
      partnershipId: row.partnership_id,
      before: toItemView(row),
      after: toItemView(moved),
      actorUserId: o.userId,
    },
  );
}
