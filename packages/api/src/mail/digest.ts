import { randomBytes } from "node:crypto";
import {
  claimReminder,
  type Database,
  type Executor,
  finishReminder,
  insertUnsubscribeToken,
  type ReminderKey,
} from "@fivestep/db";
import { ActionFieldsSchema } from "@fivestep/domain";
import { formatMessage } from "@fivestep/domain/format-message";
import type { Kysely } from "kysely";
import { escapeHtml, framedMail, type Mailer, type OutgoingMail } from "./mailer.ts";
import { MAIL_MESSAGES, type MailLocale, mailLocale } from "./messages.ts";
import { hashUnsubscribeToken, type ReminderRun, STALE_CLAIM_MINUTES } from "./reminders.ts";

/** How many days ahead the digest looks for data returns and actions falling due. */
export const DIGEST_AHEAD_DAYS = 7;
/** The claim kind of a weekly digest (one per person, partnership and ISO week). */
export const DIGEST_CLAIM_KIND = "digest.weekly";

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The ISO 8601 week a moment falls in (UTC), as `YYYY-Www`: weeks start on Monday, and week 1 is
 * the one with the year's first Thursday.
 *
 * @example isoWeek(new Date("2026-11-30T07:00:00Z")) // "2026-W49"
 * @example isoWeek(new Date("2027-01-01T07:00:00Z")) // "2026-W53"
 */
export function isoWeek(at: Date): string {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const weekday = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / DAY_MS + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

/** What one partnership's digest lists. */
export interface DigestContent {
  partnershipId: number;
  partnership: string;
  offTrack: { indicator: string; priority: string; planId: number }[];
  returns: { indicator: string; period: string; due: string; overdue: boolean }[];
  actions: { action: string; due: string; overdue: boolean; planId: number }[];
}

/**
 * What a partnership's weekly digest says at `now`: the targets of its agreed plans now off
 * track, its data returns due within a week or overdue, and its actions (agreed plans, not done
 * or stopped) due within a week or overdue. Only that partnership's records.
 *
 * @example const content = await digestFor(db, 1, new Date()); content.returns.length
 */
export async function digestFor(db: Executor, partnershipId: number, now: Date): Promise<DigestContent> {
  const today = isoDay(now.getTime());
  const soon = isoDay(now.getTime() + DIGEST_AHEAD_DAYS * DAY_MS);
  const partnership = await db
    .selectFrom("partnership")
    .select("name")
    .where("id", "=", partnershipId)
    .executeTakeFirstOrThrow();
  const targets = await db
    .selectFrom("target_status as s")
    .innerJoin("plan_item as i", "i.id", "s.item_id")
    .innerJoin("plan as p", "p.id", "i.plan_id")
    .leftJoin("priority as pr", "pr.id", "i.priority_id")
    .select(["i.data_json", "p.id as planId", "pr.title as priority"])
    .where("p.partnership_id", "=", partnershipId)
    .where("p.status", "in", ["agreed", "in-delivery"])
    .where("s.status", "=", "off-track")
    .orderBy("pr.position")
    .orderBy("i.position")
    .execute();
  const returns = await db
    .selectFrom("data_return")
    .select(["indicator_code", "period", "due_date"])
    .where("partnership_id", "=", partnershipId)
    .where("status", "=", "due")
    .where("due_date", "<=", soon)
    .orderBy("due_date")
    .orderBy("id")
    .execute();
  const actionRows = await db
    .selectFrom("plan_item as i")
    .innerJoin("plan as p", "p.id", "i.plan_id")
    .select(["i.data_json", "p.id as planId"])
    .where("i.kind", "=", "action")
    .where("p.partnership_id", "=", partnershipId)
    .where("p.status", "in", ["agreed", "in-delivery"])
    .orderBy("i.id")
    .execute();
  const actions: DigestContent["actions"] = [];
  for (const a of actionRows) {
    const fields = ActionFieldsSchema.safeParse(JSON.parse(a.data_json));
    if (!fields.success) continue;
    const { dueDate, status, what } = fields.data;
    if (dueDate === null || status === "done" || status === "stopped" || dueDate > soon) continue;
    actions.push({ action: what, due: dueDate, overdue: dueDate < today, planId: a.planId });
  }
  actions.sort((x, y) => x.due.localeCompare(y.due));
  return {
    partnershipId,
    partnership: partnership.name,
    offTrack: targets.map((t) => ({
      indicator: String((JSON.parse(t.data_json) as { indicatorCode?: string }).indicatorCode ?? ""),
      priority: t.priority ?? "",
      planId: t.planId,
    })),
    returns: returns.map((r) => ({
      indicator: r.indicator_code,
      period: r.period,
      due: r.due_date,
      overdue: r.due_date < today,
    })),
    actions,
  };
}

/** The words of the weekly digest in each language (ICU messages: plurals by the language's rules). */
export const DIGEST_MESSAGES: Record<
  MailLocale,
  {
    subject: string;
    intro: string;
    offTrack: string;
    returns: string;
    actions: string;
    targetLine: string;
    returnLine: string;
    actionLine: string;
    overdue: string;
    why: string;
  }
> = {
  "en-GB": {
    subject:
      "Weekly digest for {partnership}: {count, plural, one {# thing to look at} other {# things to look at}}",
    intro: "This week in {partnership}:",
    offTrack: "{count, plural, one {# target off track} other {# targets off track}}",
    returns: "{count, plural, one {# data return due or overdue} other {# data returns due or overdue}}",
    actions: "{count, plural, one {# action due or overdue} other {# actions due or overdue}}",
    targetLine: "{indicator} (priority “{priority}”)",
    returnLine: "{indicator} for {period}, due by {due}",
    actionLine: "“{action}”, due by {due}",
    overdue: "overdue",
    why: "You receive this because you chose the weekly digest.",
  },
  "hr-HR": {
    subject:
      "Tjedni pregled za {partnership}: {count, plural, one {# stavka za pregled} few {# stavke za pregled} other {# stavki za pregled}}",
    intro: "Ovaj tjedan u partnerstvu {partnership}:",
    offTrack:
      "{count, plural, one {# cilj nije na putu ostvarenja} few {# cilja nisu na putu ostvarenja} other {# ciljeva nije na putu ostvarenja}}",
    returns:
      "{count, plural, one {# podatak za dostavu s rokom ovaj tjedan ili u kašnjenju} few {# podatka za dostavu s rokom ovaj tjedan ili u kašnjenju} other {# podataka za dostavu s rokom ovaj tjedan ili u kašnjenju}}",
    actions:
      "{count, plural, one {# aktivnost s rokom ovaj tjedan ili u kašnjenju} few {# aktivnosti s rokom ovaj tjedan ili u kašnjenju} other {# aktivnosti s rokom ovaj tjedan ili u kašnjenju}}",
    targetLine: "{indicator} (prioritet „{priority}”)",
    returnLine: "{indicator} za {period}, rok {due}",
    actionLine: "„{action}”, rok {due}",
    overdue: "kasni",
    why: "Ovu poruku primate jer ste odabrali tjedni pregled.",
  },
};

/** How many things a digest lists; a digest with none is never sent. @example digestSize(content) // 5 */
export function digestSize(c: DigestContent): number {
  return c.offTrack.length + c.returns.length + c.actions.length;
}

/**
 * A partnership's weekly digest as an email in its reader's language: subject, plain-text and
 * HTML bodies (every value escaped in the HTML), links into Fivestep from `publicUrl`, and RFC 8058
 * one-click unsubscribe headers for the digest.
 *
 * @example const mail = composeDigestMail({ to: "ana@example.org", name: "Ana", locale: "hr-HR", content, publicUrl: "https://plans.example.org", unsubscribeToken: "…" });
 */
export function composeDigestMail(o: {
  to: string;
  name: string;
  locale: MailLocale;
  content: DigestContent;
  publicUrl: string;
  unsubscribeToken: string;
}): OutgoingMail {
  const w = DIGEST_MESSAGES[o.locale];
  const frame = MAIL_MESSAGES[o.locale].frame;
  const c = o.content;
  const f = (message: string, values: Record<string, string | number> = {}) =>
    formatMessage(o.locale, message, values);
  const date = (iso: string) =>
    new Intl.DateTimeFormat(o.locale, { dateStyle: "long", timeZone: "UTC" }).format(
      new Date(`${iso}T00:00:00Z`),
    );
  const late = (overdue: boolean) => (overdue ? ` (${w.overdue})` : "");
  const plans = `${o.publicUrl}/partnerships/${c.partnershipId}`;
  const sections: { heading: string; lines: string[]; link: string }[] = [
    {
      heading: f(w.offTrack, { count: c.offTrack.length }),
      lines: c.offTrack.map((t) => f(w.targetLine, { indicator: t.indicator, priority: t.priority })),
      link: c.offTrack[0] ? `${plans}/plans/${c.offTrack[0].planId}/dashboard` : plans,
    },
    {
      heading: f(w.returns, { count: c.returns.length }),
      lines: c.returns.map(
        (r) =>
          f(w.returnLine, { indicator: r.indicator, period: r.period, due: date(r.due) }) + late(r.overdue),
      ),
      link: `${o.publicUrl}/returns`,
    },
    {
      heading: f(w.actions, { count: c.actions.length }),
      lines: c.actions.map((a) => f(w.actionLine, { action: a.action, due: date(a.due) }) + late(a.overdue)),
      link: c.actions[0] ? `${plans}/plans/${c.actions[0].planId}` : plans,
    },
  ].filter((s) => s.lines.length > 0);
  const subject = f(w.subject, { partnership: c.partnership, count: digestSize(c) });
  const greeting = f(frame.greeting, { name: o.name });
  const intro = f(w.intro, { partnership: c.partnership });
  const e = escapeHtml;
  return framedMail({
    to: o.to,
    locale: o.locale,
    subject,
    why: w.why,
    publicUrl: o.publicUrl,
    unsubscribeToken: o.unsubscribeToken,
    text: [
      greeting,
      "",
      intro,
      ...sections.flatMap((s) => [
        "",
        `${s.heading}:`,
        ...s.lines.map((l) => `- ${l}`),
        `${frame.open}: ${s.link}`,
      ]),
    ].join("\n"),
    html: [
      `<p>${e(greeting)}</p>`,
      `<p>${e(intro)}</p>`,
      ...sections.map(
        (s) =>
          `<h2 style="font-size: 1.1em">${e(s.heading)}</h2>\n<ul>${s.lines.map((l) => `<li>${e(l)}</li>`).join("")}</ul>\n<p><a href="${e(s.link)}">${e(frame.open)}</a></p>`,
      ),
    ].join("\n"),
  });
}

/**
 * Sends the weekly digest to everyone who chose it: one email per person, partnership (of their
 * own, active memberships) and ISO week, claimed by its unique key first, so several instances,
 * or a second run the same week, send it once. A digest with nothing to say is neither claimed
 * nor sent; without a mailer nothing is done (the digest is email only). A send that fails leaves
 * its claim open, tried again once stale.
 *
 * @example const run = await sendWeeklyDigests({ db, mailer, now: new Date(), instance: "web-1:42" });
 */
export async function sendWeeklyDigests(o: {
  db: Kysely<Database>;
  mailer: Mailer | null;
  now: Date;
  instance: string;
  staleAfterMinutes?: number;
}): Promise<ReminderRun> {
  const run: ReminderRun = { claimed: 0, emailed: 0, inAppOnly: 0, failed: 0, errors: [] };
  if (!o.mailer) return run;
  const at = o.now.toISOString();
  const staleBefore = new Date(
    o.now.getTime() - (o.staleAfterMinutes ?? STALE_CLAIM_MINUTES) * 60_000,
  ).toISOString();
  const week = isoWeek(o.now);
  const readers = await o.db
    .selectFrom("email_preference as e")
    .innerJoin("app_user as u", "u.id", "e.user_id")
    .innerJoin("membership as m", "m.user_id", "u.id")
    .select(["u.id", "u.email", "u.display_name", "u.locale", "m.partnership_id"])
    .where("e.weekly_digest", "=", 1)
    .where("u.status", "=", "active")
    .orderBy("u.id")
    .orderBy("m.partnership_id")
    .execute();
  const contents = new Map<number, DigestContent>();
  for (const r of readers) {
    let content = contents.get(r.partnership_id);
    if (!content) {
      content = await digestFor(o.db, r.partnership_id, o.now);
      contents.set(r.partnership_id, content);
    }
    if (digestSize(content) === 0) continue;
    const key: ReminderKey = {
      kind: DIGEST_CLAIM_KIND,
      subjectId: r.partnership_id,
      periodKey: week,
      userId: r.id,
    };
    if ((await claimReminder(o.db, key, { instance: o.instance, at, staleBefore })) === null) continue;
    run.claimed++;
    try {
      const token = randomBytes(32).toString("base64url");
      await insertUnsubscribeToken(o.db, {
        tokenHash: hashUnsubscribeToken(token),
        userId: r.id,
        category: "weekly_digest",
        at,
      });
      await o.mailer.send(
        composeDigestMail({
          to: r.email,
          name: r.display_name,
          locale: mailLocale(r.locale),
          content,
          publicUrl: o.mailer.publicUrl,
          unsubscribeToken: token,
        }),
      );
      await finishReminder(o.db, key, "sent", new Date().toISOString());
      run.emailed++;
    } catch (error) {
      run.failed++;
      if (run.errors.length < 5)
        run.errors.push(error instanceof Error ? error.message.slice(0, 300) : String(error));
    }
  }
  return run;
}
