import { insertDataReturn, insertMembership, insertPartnership, nowIso, seedDemoPlan } from "@fivestep/db";
import { afterEach, describe, expect, it } from "vitest";
import { EMAIL_DIGEST, startReminderSchedule } from "../jobs/email-reminders.ts";
import { jobKindsWithMail } from "../jobs/registry.ts";
import { createInProcessJobRunner } from "../jobs/runner.ts";
import { recomputeStatuses } from "../monitoring.ts";
import { ACTORS, createFixture, type Fixture } from "../testing/fixtures.ts";
import { mailConfigFrom } from "./config.ts";
import { isoWeek, sendWeeklyDigests } from "./digest.ts";
import { createSmtpMailer, type Mailer } from "./mailer.ts";
import { type ReceivedMail, startTestSmtpServer } from "./smtp-test-server.ts";

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

/** The demo plan (agreed, its actions overdue, two targets off track), mail through a real SMTP server. */
async function scenario() {
  fx = await createFixture();
  await seedDemoPlan(fx.db);
  await fx.db.transaction().execute((trx) => recomputeStatuses(trx, { cause: "Demo data loaded" }));
  smtp = await startTestSmtpServer();
  const config = mailConfigFrom({ SMTP_URL: smtp.url, MAIL_FROM: "noreply@fivestep.example", PUBLIC_URL });
  if (!config) throw new Error("mail config expected");
  mailer = createSmtpMailer(config);
  return { fx, smtp, mailer };
}

async function chooseDigest(
  f: Fixture,
  actor: "lead" | "contributor" | "editor" | "otherLead",
  locale = "en-GB",
) {
  const caller = await f.caller(actor);
  await caller.auth.saveEmailSettings({
    locale: locale as "en-GB" | "hr-HR",
    dataReturns: true,
    actions: true,
    targets: true,
    weeklyDigest: true,
  });
}

const header = (m: ReceivedMail, name: string) =>
  (m.mail.headerLines.find((h) => h.key === name)?.line ?? "").replace(/\r\n[ \t]+/g, " ");

describe("the weekly digest", () => {
  it("sends each member who chose it one digest of their partnership a week, in their language, and nothing empty", async () => {
    const { fx, smtp, mailer } = await scenario();
    await chooseDigest(fx, "contributor", "hr-HR");
    await chooseDigest(fx, "lead");
    // Wolverhampton has nothing due or off track: its lead gets nothing.
    await chooseDigest(fx, "otherLead");
    const lead = await fx.caller("lead");
    await lead.monitoring.scheduleReturns({
      partnershipId: fx.coventryId,
      indicatorCode: "NI 151",
      assigneeUserId: await fx.userId(ACTORS.contributor),
      returns: [
        { period: "2008 Q4", dueDate: isoDay(Date.now() + 2 * DAY) },
        { period: "2009 Q1", dueDate: isoDay(Date.now() + 60 * DAY) },
      ],
    });

    const now = new Date();
    const run = await sendWeeklyDigests({ db: fx.db, mailer, now, instance: "web-1" });
    expect(run).toMatchObject({ claimed: 2, emailed: 2, failed: 0 });
    expect(smtp.received.map((m) => m.to).sort()).toEqual([[ACTORS.contributor], [ACTORS.lead]]);

    const hr = smtp.received.find((m) => m.to.includes(ACTORS.contributor));
    // Two targets off track, one return due this week (the other is months away), three actions overdue.
    expect(hr?.mail.subject).toBe("Tjedni pregled za Coventry Partnership: 6 stavki za pregled");
    expect(hr?.mail.text).toContain("2 cilja nisu na putu ostvarenja:");
    expect(hr?.mail.text).toContain("1 podatak za dostavu s rokom ovaj tjedan ili u kašnjenju:");
    expect(hr?.mail.text).toContain("3 aktivnosti s rokom ovaj tjedan ili u kašnjenju:");
    expect(hr?.mail.text).toContain("- NI 151 za 2008 Q4, rok ");
    expect(hr?.mail.text).not.toContain("2009 Q1");
    expect(hr?.mail.text).toContain("(kasni)");
    expect(hr?.mail.html).toContain('lang="hr-HR"');
    expect(hr?.mail.html).toContain("<li>NI 151 za 2008 Q4, rok ");
    expect(hr && header(hr, "list-unsubscribe")).toMatch(
      /^List-Unsubscribe: <https:\/\/plans\.example\.org\/unsubscribe\?token=[A-Za-z0-9_-]{40,}>$/,
    );
    expect(hr && header(hr, "list-unsubscribe-post")).toBe(
      "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
    );
    const en = smtp.received.find((m) => m.to.includes(ACTORS.lead));
    expect(en?.mail.subject).toBe("Weekly digest for Coventry Partnership: 6 things to look at");
    expect(en?.mail.text).toContain("2 targets off track:");
    expect(en?.mail.text).toContain("1 data return due or overdue:");
    expect(en?.mail.text).toContain(`${PUBLIC_URL}/returns`);

    // The digest is email only: nobody's inbox grows.
    const tokens = await fx.db.selectFrom("unsubscribe_token").select("category").execute();
    expect(tokens.map((t) => t.category)).toEqual(["weekly_digest", "weekly_digest"]);

    // A second run the same week sends nothing; the next week sends again.
    const again = await sendWeeklyDigests({
      db: fx.db,
      mailer,
      now: new Date(),
      instance: "web-1-restarted",
    });
    expect(again.claimed).toBe(0);
    expect(smtp.received).toHaveLength(2);
    const nextWeek = await sendWeeklyDigests({
      db: fx.db,
      mailer,
      now: new Date(now.getTime() + 7 * DAY),
      instance: "web-1",
    });
    expect(nextWeek.emailed).toBe(2);
    const claims = await fx.db
      .selectFrom("reminder_claim")
      .select(["period_key", "state"])
      .where("kind", "=", "digest.weekly")
      .execute();
    expect(claims.map((c) => c.state)).toEqual(["sent", "sent", "sent", "sent"]);
    expect(new Set(claims.map((c) => c.period_key))).toEqual(
      new Set([isoWeek(now), isoWeek(new Date(now.getTime() + 7 * DAY))]),
    );
  });

  it("gives a member of two partnerships a digest of each, with nothing of a third", async () => {
    const { fx, smtp, mailer } = await scenario();
    const contributorId = await fx.userId(ACTORS.contributor);
    const otherLeadId = await fx.userId(ACTORS.otherLead);
    const at = nowIso();
    await insertMembership(fx.db, {
      user_id: contributorId,
      partnership_id: fx.wolverhamptonId,
      role: "contributor",
      created_at: at,
    });
    const { area_code } = await fx.db
      .selectFrom("partnership")
      .select("area_code")
      .where("id", "=", fx.wolverhamptonId)
      .executeTakeFirstOrThrow();
    const third = await insertPartnership(fx.db, {
      name: "Walsall Partnership",
      area_code,
      created_at: at,
      updated_at: at,
    });
    await insertMembership(fx.db, {
      user_id: otherLeadId,
      partnership_id: third.id,
      role: "lead",
      created_at: at,
    });
    const due = (partnershipId: number, period: string) =>
      insertDataReturn(fx.db, {
        partnership_id: partnershipId,
        indicator_code: "NI 152",
        period,
        due_date: isoDay(Date.now() - DAY),
        assignee_user_id: partnershipId === third.id ? otherLeadId : contributorId,
        status: "due",
        note: "",
        created_at: at,
      });
    await due(fx.wolverhamptonId, "2007 Q3");
    await due(third.id, "1999 Q1");
    await chooseDigest(fx, "contributor");

    await sendWeeklyDigests({ db: fx.db, mailer, now: new Date(), instance: "web-1" });
    const mine = smtp.received.filter((m) => m.to.includes(ACTORS.contributor));
    expect(mine.map((m) => m.mail.subject).sort()).toEqual([
      "Weekly digest for Coventry Partnership: 5 things to look at",
      "Weekly digest for Wolverhampton Partnership: 1 thing to look at",
    ]);
    const wolverhampton = mine.find((m) => m.mail.subject?.includes("Wolverhampton"));
    expect(wolverhampton?.mail.text).toContain("- NI 152 for 2007 Q3, due by ");
    expect(wolverhampton?.mail.text).not.toContain("target");
    for (const m of mine) {
      expect(`${m.mail.subject} ${m.mail.text} ${m.mail.html}`).not.toMatch(/Walsall|1999 Q1/);
    }
    // Coventry's digest has nothing of Wolverhampton's, and the other way round.
    const coventry = mine.find((m) => m.mail.subject?.includes("Coventry"));
    expect(coventry?.mail.text).not.toContain("2007 Q3");
    expect(wolverhampton?.mail.text).not.toContain("NI 151");
    expect(smtp.received).toHaveLength(2);
  });

  it("is sent once when two instances run it together, and not at all without mail configured", async () => {
    const { fx, smtp, mailer } = await scenario();
    await chooseDigest(fx, "lead");
    await chooseDigest(fx, "editor", "hr-HR");
    expect(await sendWeeklyDigests({ db: fx.db, mailer: null, now: new Date(), instance: "web-0" })).toEqual({
      claimed: 0,
      emailed: 0,
      inAppOnly: 0,
      failed: 0,
      errors: [],
    });
    const now = new Date();
    const [a, b] = await Promise.all([
      sendWeeklyDigests({ db: fx.db, mailer, now, instance: "web-1" }),
      sendWeeklyDigests({ db: fx.db, mailer, now, instance: "web-2" }),
    ]);
    expect(a.claimed + b.claimed).toBe(2);
    expect(a.emailed + b.emailed).toBe(2);
    expect(smtp.received.map((m) => m.to.join()).sort()).toEqual([ACTORS.editor, ACTORS.lead]);
  });

  it("runs as the email.digest job, queued on its weekly schedule", async () => {
    const { fx, smtp, mailer } = await scenario();
    await chooseDigest(fx, "lead");
    const jobs = createInProcessJobRunner({ db: fx.db, kinds: jobKindsWithMail(mailer), instance: "web-1" });
    const schedule = startReminderSchedule(jobs, { pattern: "0 0 1 1 *", digestPattern: "0 7 * * 1" });
    try {
      expect(schedule.nextDigest()?.getDay()).toBe(1);
      await jobs.enqueue({ kind: EMAIL_DIGEST, payload: {}, startedBy: null });
      await jobs.idle();
    } finally {
      schedule.stop();
      await jobs.stop();
    }
    const job = await fx.db.selectFrom("job").select(["state", "result_json"]).executeTakeFirstOrThrow();
    expect(job.state).toBe("succeeded");
    expect(JSON.parse(job.result_json ?? "{}")).toMatchObject({ claimed: 1, emailed: 1 });
    expect(smtp.received.map((m) => m.to)).toEqual([[ACTORS.lead]]);
  });
});

describe("isoWeek", () => {
  it("numbers weeks from Monday, week 1 holding the year's first Thursday", () => {
    expect(isoWeek(new Date("2026-11-30T07:00:00Z"))).toBe("2026-W49");
    expect(isoWeek(new Date("2026-11-29T23:59:00Z"))).toBe("2026-W48");
    expect(isoWeek(new Date("2027-01-01T07:00:00Z"))).toBe("2026-W53");
    expect(isoWeek(new Date("2025-12-29T07:00:00Z"))).toBe("2026-W01");
  });
});
