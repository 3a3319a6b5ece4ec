import {
  DEMO_USERS,
  listNotifications,
  listReportSendings,
  seedDemoAccounts,
  seedDemoPlan,
} from "@fivestep/db";
import { createTestDb, openAgain } from "@fivestep/db/testing";
import { StoredPlanItemSchema } from "@fivestep/domain";
import { TRPCError } from "@trpc/server";
import { afterEach, describe, expect, it } from "vitest";
import { jobKindsWithMail } from "../jobs/registry.ts";
import { REPORT_SCHEDULED } from "../jobs/report-scheduled.ts";
import { createInProcessJobRunner } from "../jobs/runner.ts";
import { ACTORS, createFixture, type Fixture } from "../testing/fixtures.ts";
import { mailConfigFrom } from "./config.ts";
import { createSmtpMailer, type Mailer } from "./mailer.ts";
import { nextDueAfter, sendDueReports } from "./scheduled-reports.ts";
import { startTestSmtpServer } from "./smtp-test-server.ts";
import { describeUnsubscribe, unsubscribe } from "./unsubscribe.ts";

const PUBLIC_URL = "https://plans.example.org";
const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

let fx: Fixture | undefined;
let smtp: Awaited<ReturnType<typeof startTestSmtpServer>> | undefined;
let mailer: Mailer | undefined;
afterEach(async () => {
  mailer?.close();
  await smtp?.close();
  await fx?.db.destroy();
  fx = undefined;
  smtp = undefined;
  mailer = undefined;
});

async function smtpMailer() {
  smtp = await startTestSmtpServer();
  const config = mailConfigFrom({
    SMTP_URL: smtp.url,
    MAIL_FROM: "Fivestep <noreply@fivestep.example>",
    PUBLIC_URL: `${PUBLIC_URL}/`,
  });
  if (!config) throw new Error("mail config expected");
  mailer = createSmtpMailer(config);
  return { smtp, mailer };
}

/**
 * The demo plan (agreed) in Coventry with a board schedule due yesterday for its lead and viewer
 * (the viewer reads Croatian), and an agreed Wolverhampton plan with its own schedule, due too.
 */
async function scenario(f: Fixture) {
  const { planId } = await seedDemoPlan(f.db);
  const lead = await f.caller("lead");
  const viewer = await f.caller("viewer");
  await viewer.auth.saveEmailSettings({ locale: "hr-HR", dataReturns: true, actions: true, targets: true });
  const leadId = await f.userId(ACTORS.lead);
  const viewerId = await f.userId(ACTORS.viewer);
  const due = isoDay(Date.now() - DAY);
  const coventry = await lead.item.save({
    partnershipId: f.coventryId,
    planId,
    item: {
      kind: "report",
      data: {
        audience: "Partnership board",
        method: "Performance report",
        frequency: "quarterly",
        nextDue: due,
        pack: "board",
        recipients: [leadId, viewerId],
      },
    },
  });

  const other = await f.caller("otherLead");
  const otherPlan = await other.plan.create({
    partnershipId: f.wolverhamptonId,
    title: "Wolverhampton plan",
    vision: "",
    startYear: 2008,
  });
  // Agreeing a plan takes its five steps; the schedule only needs the plan to be agreed.
  await f.db.updateTable("plan").set({ status: "agreed" }).where("id", "=", otherPlan.id).execute();
  const wolverhampton = await other.item.save({
    partnershipId: f.wolverhamptonId,
    planId: otherPlan.id,
    item: {
      kind: "report",
      data: {
        audience: "Wolverhampton board",
        frequency: "monthly",
        nextDue: due,
        pack: "operational",
        recipients: [await f.userId(ACTORS.otherLead)],
      },
    },
  });
  return { planId, otherPlanId: otherPlan.id, coventry, wolverhampton, due, leadId, viewerId };
}

async function itemData(f: Fixture, id: number) {
  const row = await f.db
    .selectFrom("plan_item")
    .select("data_json")
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return JSON.parse(row.data_json) as {
    nextDue: string | null;
    recipients: number[];
    pack: "full" | "board" | "operational" | "public";
  };
}

describe("scheduled reports", () => {
  it("emails each schedule's pack link to its own recipients only, in their language, with one-click unsubscribe, and moves the date on", async () => {
    fx = await createFixture();
    const s = await scenario(fx);
    const { smtp, mailer } = await smtpMailer();

    const run = await sendDueReports({ db: fx.db, mailer, now: new Date(), instance: "web-1" });
    expect(run).toMatchObject({ schedules: 2, claimed: 3, emailed: 3, failed: 0 });
    expect(smtp.received.map((m) => m.to.join()).sort()).toEqual(
      [ACTORS.lead, ACTORS.otherLead, ACTORS.viewer].sort(),
    );
    const to = (email: string) => {
      const found = smtp.received.find((m) => m.to.includes(email));
      if (!found) throw new Error(`no mail to ${email}`);
      return found.mail;
    };
    const report = `${PUBLIC_URL}/partnerships/${fx.coventryId}/plans/${s.planId}/report?pack=board`;

    const english = to(ACTORS.lead);
    expect(english.subject).toMatch(/^Performance report for Partnership board: /);
    expect(english.text).toContain(report);
    expect(english.html).toContain(report.replace(/&/g, "&amp;"));
    const header = (name: string) =>
      (english.headerLines.find((h) => h.key === name)?.line ?? "").replace(/\r\n[ \t]+/g, " ");
    const unsubscribeHeader = header("list-unsubscribe");
    expect(unsubscribeHeader).toMatch(
      /^List-Unsubscribe: <https:\/\/plans\.example\.org\/unsubscribe\?token=[A-Za-z0-9_-]{40,}>$/,
    );
    expect(header("list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");

    // The pack's tables attached as CSV, in the reader's language.
    const [englishCsv] = english.attachments;
    expect(englishCsv?.filename).toMatch(/-board\.csv$/);
    expect(englishCsv?.contentType).toBe("text/csv");
    expect(englishCsv?.content.toString("utf8")).toContain("Exceptions");

    const croatian = to(ACTORS.viewer);
    const [croatianCsv] = croatian.attachments;
    expect(croatianCsv?.filename).toBe(englishCsv?.filename);
    expect(croatianCsv?.content.toString("utf8")).not.toContain("Exceptions");
    expect(croatian.subject).toMatch(/^Izvješće o uspješnosti za Partnership board: /);
    expect(croatian.text).toContain("Poštovani/a");
    expect(croatian.text).toContain(report);

    // Nothing about the other partnership in anyone's email.
    for (const email of [ACTORS.lead, ACTORS.viewer]) {
      const m = to(email);
      const files = m.attachments.map((a) => a.content.toString("utf8")).join(" ");
      expect(`${m.subject} ${m.text} ${m.html} ${files}`).not.toMatch(/Wolverhampton/);
    }
    const theirs = to(ACTORS.otherLead);
    expect(theirs.subject).toBe("Performance report for Wolverhampton board: Wolverhampton plan");
    expect(theirs.text).toContain(
      `/partnerships/${fx.wolverhamptonId}/plans/${s.otherPlanId}/report?pack=operational`,
    );
    const theirFiles = theirs.attachments.map((a) => a.content.toString("utf8")).join(" ");
    expect(theirs.attachments.map((a) => a.filename)).toEqual(["Wolverhampton-plan-operational.csv"]);
    expect(`${theirs.text} ${theirs.html} ${theirFiles}`).not.toMatch(/Coventry|Partnership board/);

    // The dates move on by the frequency, past today; the sending is recorded, each recipient's claim sent.
    expect((await itemData(fx, s.coventry.id)).nextDue).toBe(
      nextDueAfter(s.due, "quarterly", isoDay(Date.now())),
    );
    expect((await itemData(fx, s.wolverhampton.id)).nextDue).toBe(
      nextDueAfter(s.due, "monthly", isoDay(Date.now())),
    );
    const history = await listReportSendings(fx.db, s.planId);
    expect(history).toEqual([
      expect.objectContaining({ itemId: s.coventry.id, dueDate: s.due, pack: "board", recipientCount: 2 }),
    ]);
    expect(history[0]?.sentAt).not.toBeNull();
    const detail = await (await fx.caller("viewer")).plan.byId({
      partnershipId: fx.coventryId,
      planId: s.planId,
    });
    expect(detail.sendings).toEqual(history);
    const claims = await fx.db
      .selectFrom("reminder_claim")
      .select("state")
      .where("kind", "=", REPORT_SCHEDULED)
      .execute();
    expect(claims.map((c) => c.state)).toEqual(["sent", "sent", "sent"]);

    // Audited: the sending and the date moved on.
    const audit = await fx.db
      .selectFrom("audit_event")
      .select(["action", "entity", "partnership_id"])
      .where("entity", "=", "report_sending")
      .execute();
    expect(audit).toHaveLength(2);

    // The unsubscribe link takes its reader off that schedule (audited as them), and only that.
    const token = decodeURIComponent(unsubscribeHeader.replace(/^.*token=([^>]+)>$/, "$1"));
    expect(await describeUnsubscribe(fx.db, token)).toEqual({
      category: "reports",
      locale: "en-GB",
      alreadyOff: false,
    });
    await unsubscribe(fx.db, token, { requestId: "test-unsubscribe" });
    expect((await itemData(fx, s.coventry.id)).recipients).toEqual([s.viewerId]);
    expect(await describeUnsubscribe(fx.db, token)).toEqual({
      category: "reports",
      locale: "en-GB",
      alreadyOff: true,
    });
  });

  it("sends each due date once when two instances run together, and nothing after a restart", async () => {
    fx = await createFixture();
    const s = await scenario(fx);
    const { smtp, mailer } = await smtpMailer();
    const now = new Date();
    const [a, b] = await Promise.all([
      sendDueReports({ db: fx.db, mailer, now, instance: "web-1" }),
      sendDueReports({ db: fx.db, mailer, now, instance: "web-2" }),
    ]);
    expect(a.schedules + b.schedules).toBe(2);
    expect(a.emailed + b.emailed).toBe(3);
    const keys = smtp.received.map((m) => `${m.to.join()} ${m.mail.subject}`);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(3);

    // An editor's form opened before the sending meets the edit conflict (the date moved on).
    const stale = (await fx.caller("editor")).item.save({
      partnershipId: fx.coventryId,
      planId: s.planId,
      id: s.coventry.id,
      version: s.coventry.version,
      item: { kind: "report", data: { audience: "Board", frequency: "annual" } },
    });
    await expect(stale).rejects.toMatchObject({ code: "CONFLICT" });

    const again = await sendDueReports({ db: fx.db, mailer, now: new Date(), instance: "web-1-restarted" });
    expect(again).toEqual({ claimed: 0, schedules: 0, emailed: 0, inAppOnly: 0, failed: 0, errors: [] });
    // Even with the date set back by hand to the one already sent, it is not sent twice.
    const data = await itemData(fx, s.coventry.id);
    const row = await fx.db
      .selectFrom("plan_item")
      .select("version")
      .where("id", "=", s.coventry.id)
      .executeTakeFirstOrThrow();
    await (await fx.caller("editor")).item.save({
      partnershipId: fx.coventryId,
      planId: s.planId,
      id: s.coventry.id,
      version: row.version,
      item: {
        kind: "report",
        data: { ...data, audience: "Partnership board", frequency: "quarterly", nextDue: s.due },
      },
    });
    const rerun = await sendDueReports({ db: fx.db, mailer, now: new Date(), instance: "web-1-restarted" });
    expect(rerun.emailed).toBe(0);
    expect(smtp.received).toHaveLength(3);
  });

  it("sends once when two server instances on one database run the job together", async () => {
    const db = await createTestDb({ demo: true, onDisk: true });
    await seedDemoAccounts(db, new Map(DEMO_USERS.map((u) => [u.email, "not a real hash"])));
    const { planId } = await seedDemoPlan(db);
    const lead = await db
      .selectFrom("app_user")
      .select("id")
      .where("email", "=", ACTORS.lead)
      .executeTakeFirstOrThrow();
    const item = await db
      .selectFrom("plan_item")
      .select(["id", "data_json"])
      .where("plan_id", "=", planId)
      .where("kind", "=", "report")
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const due = isoDay(Date.now());
    await db
      .updateTable("plan_item")
      .set({
        data_json: JSON.stringify({ ...JSON.parse(item.data_json), nextDue: due, recipients: [lead.id] }),
      })
      .where("id", "=", item.id)
      .execute();
    const other = openAgain(db);
    const { smtp, mailer } = await smtpMailer();
    const runners = [
      createInProcessJobRunner({ db, kinds: jobKindsWithMail(mailer), instance: "web-1" }),
      createInProcessJobRunner({ db: other, kinds: jobKindsWithMail(mailer), instance: "web-2" }),
    ];
    try {
      await Promise.all(
        runners.map((r) => r.enqueue({ kind: REPORT_SCHEDULED, payload: {}, startedBy: null })),
      );
      await Promise.all(runners.map((r) => r.idle()));
      const jobs = await db.selectFrom("job").select(["state", "result_json"]).execute();
      expect(jobs.map((j) => j.state)).toEqual(["succeeded", "succeeded"]);
      expect(smtp.received.map((m) => m.to.join())).toEqual([ACTORS.lead]);
      const sendings = await db.selectFrom("report_sending").selectAll().execute();
      expect(sendings).toHaveLength(1);
      expect(sendings[0]).toMatchObject({ item_id: item.id, due_date: due, recipient_count: 1 });
    } finally {
      await Promise.all(runners.map((r) => r.stop()));
      await other.destroy();
      await db.destroy();
    }
  });

  it("retries a recipient whose claim an instance left unsent, once stale, and then records the sending done", async () => {
    fx = await createFixture();
    const s = await scenario(fx);
    const { smtp, mailer } = await smtpMailer();
    // The instance that took the date died before emailing: no mailer reached, claims left open.
    await sendDueReports({ db: fx.db, mailer, now: new Date(), instance: "web-1" });
    await fx.db
      .updateTable("reminder_claim")
      .set({ state: "claimed", sent_at: null, claimed_at: new Date(Date.now() - 60 * 60_000).toISOString() })
      .where("kind", "=", REPORT_SCHEDULED)
      .where("user_id", "=", s.viewerId)
      .execute();
    await fx.db.updateTable("report_sending").set({ sent_at: null }).execute();
    const before = smtp.received.length;

    const fresh = await sendDueReports({
      db: fx.db,
      mailer,
      now: new Date(),
      instance: "web-2",
      staleAfterMinutes: 120,
    });
    expect(fresh.claimed).toBe(0);
    const retried = await sendDueReports({ db: fx.db, mailer, now: new Date(), instance: "web-2" });
    expect(retried).toMatchObject({ schedules: 0, claimed: 1, emailed: 1 });
    expect(smtp.received.slice(before).map((m) => m.to.join())).toEqual([ACTORS.viewer]);
    const [sending] = await listReportSendings(fx.db, s.planId);
    expect(sending?.sentAt).not.toBeNull();
    // One inbox entry per recipient and date, however often it was retried.
    const inbox = await listNotifications(fx.db, s.viewerId);
    expect(inbox.filter((n) => n.code === "report.scheduled")).toHaveLength(1);
  });

  it("keeps the reports in the inbox, coded with parameters, when no mail is configured", async () => {
    fx = await createFixture();
    const s = await scenario(fx);
    const run = await sendDueReports({ db: fx.db, mailer: null, now: new Date(), instance: "web-1" });
    expect(run).toMatchObject({ schedules: 2, claimed: 3, inAppOnly: 3, emailed: 0, failed: 0 });
    const inbox = await listNotifications(fx.db, s.viewerId);
    const notice = inbox.find((n) => n.code === "report.scheduled");
    expect(JSON.parse(notice?.paramsJson ?? "null")).toEqual({
      audience: "Partnership board",
      plan: expect.any(String),
      due: s.due,
    });
    expect(notice?.link).toBe(`/partnerships/${fx.coventryId}/plans/${s.planId}/report?pack=board`);
    const [sending] = await listReportSendings(fx.db, s.planId);
    expect(sending?.sentAt).not.toBeNull();
  });

  it("refuses recipients who are not members of the partnership, at the field", async () => {
    fx = await createFixture();
    const { planId } = await seedDemoPlan(fx.db);
    const lead = await fx.caller("lead");
    const stranger = await fx.userId(ACTORS.otherLead);
    const error = await lead.item
      .save({
        partnershipId: fx.coventryId,
        planId,
        item: { kind: "report", data: { audience: "Board", frequency: "annual", recipients: [stranger] } },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    expect(JSON.stringify((error as TRPCError).cause ?? (error as TRPCError).message)).toContain(
      "data.recipients",
    );
  });

  it("opens schedules saved before packs and recipients existed", () => {
    const old = StoredPlanItemSchema.parse({
      kind: "report",
      data: { audience: "Board", method: "", frequency: "quarterly", nextDue: "2008-07-15" },
    });
    expect(old.data).toMatchObject({ pack: "full", recipients: [] });
    expect(nextDueAfter("2008-07-15", "quarterly", "2026-11-30")).toBe("2027-01-15");
    expect(nextDueAfter("2026-01-31", "monthly", "2026-01-31")).toBe("2026-02-28");
  });
});
