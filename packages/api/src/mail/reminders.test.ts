import {
  claimReminder,
  DEMO_USERS,
  finishJob,
  insertJob,
  listNotifications,
  seedDemoAccounts,
  seedDemoPlan,
} from "@fivestep/db";
import { createTestDb, openAgain } from "@fivestep/db/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { EMAIL_REMINDERS, startReminderSchedule } from "../jobs/email-reminders.ts";
import { jobKindsWithMail } from "../jobs/registry.ts";
import { createInProcessJobRunner } from "../jobs/runner.ts";
import { recomputeStatuses } from "../monitoring.ts";
import { ACTORS, createFixture, type Fixture } from "../testing/fixtures.ts";
import { mailConfigFrom } from "./config.ts";
import { createSmtpMailer, type Mailer } from "./mailer.ts";
import { findDueReminders, sendDueReminders } from "./reminders.ts";
import { startTestSmtpServer } from "./smtp-test-server.ts";

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

/** The demo plan (agreed, its actions long overdue, two targets off track), mail through a real SMTP server. */
async function scenario() {
  fx = await createFixture();
  await seedDemoPlan(fx.db);
  await fx.db.transaction().execute((trx) => recomputeStatuses(trx, { cause: "Demo data loaded" }));
  smtp = await startTestSmtpServer();
  const config = mailConfigFrom({
    SMTP_URL: smtp.url,
    MAIL_FROM: "Fivestep <noreply@fivestep.example>",
    PUBLIC_URL: `${PUBLIC_URL}/`,
  });
  if (!config) throw new Error("mail config expected");
  mailer = createSmtpMailer(config);
  return { fx, smtp, mailer };
}

/** A data return for the contributor, due `dueInDays` after today (scheduled ten days ago). */
async function scheduleReturn(f: Fixture, period: string, dueInDays: number) {
  const lead = await f.caller("lead", { clock: () => Date.now() - 10 * DAY });
  await lead.monitoring.scheduleReturns({
    partnershipId: f.coventryId,
    indicatorCode: "NI 151",
    assigneeUserId: await f.userId(ACTORS.contributor),
    returns: [{ period, dueDate: isoDay(Date.now() + dueInDays * DAY) }],
  });
}

describe("reminders by email", () => {
  it("emails a data return's assignee in their own language, with plain-text and HTML bodies and one-click unsubscribe", async () => {
    const { fx, smtp, mailer } = await scenario();
    const contributor = await fx.caller("contributor");
    await contributor.auth.saveEmailSettings({
      locale: "hr-HR",
      dataReturns: true,
      actions: true,
      targets: true,
    });
    await scheduleReturn(fx, "2008 Q4", 2);

    const run = await sendDueReminders({ db: fx.db, mailer, now: new Date(), instance: "test-1" });
    expect(run.failed).toBe(0);
    expect(run.emailed).toBe(run.claimed);
    expect(smtp.received).toHaveLength(run.emailed);

    const toContributor = smtp.received.filter((m) => m.to.includes(ACTORS.contributor));
    const dueSoon = toContributor.find((m) => m.mail.subject === "Rok za podatak uskoro: NI 151 za 2008 Q4");
    expect(dueSoon, toContributor.map((m) => m.mail.subject).join(" | ")).toBeDefined();
    const mail = dueSoon?.mail;
    expect(mail?.from?.text).toBe('"Fivestep" <noreply@fivestep.example>');
    expect(mail?.text).toContain("Vrijednost pokazatelja NI 151 za 2008 Q4 treba dostaviti do");
    expect(mail?.text).toContain(`${PUBLIC_URL}/returns`);
    expect(mail?.html).toContain("Vrijednost pokazatelja NI 151 za 2008 Q4 treba dostaviti do");
    expect(mail?.html).toContain('lang="hr-HR"');
    const header = (name: string) =>
      (mail?.headerLines.find((h) => h.key === name)?.line ?? "").replace(/\r\n[ \t]+/g, " ");
    expect(header("list-unsubscribe")).toMatch(
      /^List-Unsubscribe: <https:\/\/plans\.example\.org\/unsubscribe\?token=[A-Za-z0-9_-]{40,}>$/,
    );
    expect(header("list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    // The assignment itself is news too, and the contributor's overdue action (they lead it).
    expect(toContributor.map((m) => m.mail.subject)).toEqual(
      expect.arrayContaining([
        "Novi podatak za dostavu: NI 151 za 2008 Q4",
        "Aktivnost kasni: Commission the enterprise coaching and peer-mentoring programme",
      ]),
    );

    // The lead kept English: the targets that fell off track, and the action nobody in the partnership leads.
    const toLead = smtp.received.filter((m) => m.to.includes(ACTORS.lead)).map((m) => m.mail.subject);
    expect(toLead).toEqual(
      expect.arrayContaining([
        "Target off track: NI 151",
        "Target off track: NI 152",
        "Action overdue: Train Jobcentre and front-line advisers to refer would-be founders",
      ]),
    );

    // The inbox has each reminder too, as a code and parameters.
    const inbox = await contributor.monitoring.notifications();
    const soon = inbox.find((n) => n.code === "reminder.dataReturn.dueSoon");
    expect(soon?.params).toEqual({
      indicator: "NI 151",
      period: "2008 Q4",
      due: isoDay(Date.now() + 2 * DAY),
    });
    expect(soon?.link).toBe("/returns");
  });

  it("puts a scheduled data return in its assignee's inbox once, coded, and the reminder job only emails it", async () => {
    const { fx, smtp, mailer } = await scenario();
    const contributorId = await fx.userId(ACTORS.contributor);
    const before = await listNotifications(fx.db, contributorId);
    await scheduleReturn(fx, "2008 Q4", 20);
    const scheduled = (await listNotifications(fx.db, contributorId)).slice(
      0,
      (await listNotifications(fx.db, contributorId)).length - before.length,
    );
    expect(scheduled.map((n) => [n.code, JSON.parse(n.paramsJson ?? "null"), n.link])).toEqual([
      [
        "reminder.dataReturn.assigned",
        { indicator: "NI 151", period: "2008 Q4", due: isoDay(Date.now() + 20 * DAY) },
        "/returns",
      ],
    ]);
    // The stored English sentence, for readers that know no codes.
    expect(scheduled[0]?.text).toMatch(
      /^You have been asked for the value of NI 151 for 2008 Q4, due by \d+ \w+ \d{4}\.$/,
    );

    const run = await sendDueReminders({ db: fx.db, mailer, now: new Date(), instance: "web-1" });
    expect(run.failed).toBe(0);
    const assigned = smtp.received.filter(
      (m) => m.mail.subject === "Data return to make: NI 151 for 2008 Q4",
    );
    expect(assigned.map((m) => m.to)).toEqual([[ACTORS.contributor]]);
    const after = await listNotifications(fx.db, contributorId);
    expect(after.filter((n) => n.code === "reminder.dataReturn.assigned")).toHaveLength(1);
    expect(after.filter((n) => n.code === null)).toHaveLength(before.filter((n) => n.code === null).length);
    // A second pass, or another instance, sends nothing more.
    await sendDueReminders({ db: fx.db, mailer, now: new Date(), instance: "web-2" });
    expect(
      smtp.received.filter((m) => m.mail.subject === "Data return to make: NI 151 for 2008 Q4"),
    ).toHaveLength(1);
  });

  it("tells a priority's member owner and the leads that its target fell off track, and only the leads without one", async () => {
    const { fx, smtp, mailer } = await scenario();
    const contributorId = await fx.userId(ACTORS.contributor);
    const editor = await fx.caller("editor");
    // The demo's off-track targets are in its Economy priority; the contributor now owns it.
    const priority = await fx.db
      .selectFrom("priority")
      .selectAll()
      .where("theme", "=", "Economy")
      .executeTakeFirstOrThrow();
    const leadId = await fx.userId(ACTORS.lead);
    const offTrackTo = async () =>
      [
        ...new Set(
          (await findDueReminders(fx.db, new Date()))
            .filter((r) => r.key.kind === "target.off-track")
            .map((r) => r.key.userId),
        ),
      ].sort();
    // Owned by someone outside the system: the leads only.
    expect(await offTrackTo()).toEqual([leadId]);
    const plan = await editor.plan.byId({ partnershipId: fx.coventryId, planId: priority.plan_id });
    const view = plan.priorities.find((p) => p.id === priority.id);
    if (!view) throw new Error("priority expected");
    await editor.priority.update({
      partnershipId: fx.coventryId,
      priorityId: priority.id,
      version: view.version,
      ...view.fields,
      ownerUserId: contributorId,
    });
    expect(await offTrackTo()).toEqual([contributorId, leadId].sort());
    await sendDueReminders({ db: fx.db, mailer, now: new Date(), instance: "web-1" });
    const offTrack = (email: string) =>
      smtp.received
        .filter((m) => m.to.includes(email) && m.mail.subject?.startsWith("Target off track"))
        .map((m) => m.mail.subject)
        .sort();
    expect(offTrack(ACTORS.contributor)).toEqual(["Target off track: NI 151", "Target off track: NI 152"]);
    expect(offTrack(ACTORS.lead)).toEqual(["Target off track: NI 151", "Target off track: NI 152"]);
    expect(offTrack(ACTORS.editor)).toEqual([]);
    expect(offTrack(ACTORS.otherLead)).toEqual([]);
  });

  it("sends each reminder once when two instances run together, and nothing again after a restart", async () => {
    const { fx, smtp, mailer } = await scenario();
    await scheduleReturn(fx, "2008 Q4", -3);
    const now = new Date();
    const [a, b] = await Promise.all([
      sendDueReminders({ db: fx.db, mailer, now, instance: "web-1" }),
      sendDueReminders({ db: fx.db, mailer, now, instance: "web-2" }),
    ]);
    expect(a.claimed + b.claimed).toBeGreaterThan(5);
    expect(a.emailed + b.emailed).toBe(a.claimed + b.claimed);
    const keys = smtp.received.map((m) => `${m.to.join()} ${m.mail.subject}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(a.claimed + b.claimed);
    expect(keys).toContain(`${ACTORS.contributor} Data return overdue: NI 151 for 2008 Q4`);

    const again = await sendDueReminders({ db: fx.db, mailer, now: new Date(), instance: "web-1-restarted" });
    expect(again).toEqual({ claimed: 0, emailed: 0, inAppOnly: 0, failed: 0, errors: [] });
    expect(smtp.received).toHaveLength(keys.length);
    const claims = await fx.db.selectFrom("reminder_claim").select("state").execute();
    expect(claims.every((c) => c.state === "sent")).toBe(true);
  });

  it("sends a reminder whose claim an instance left unsent, once it is stale, without a second inbox entry", async () => {
    const { fx, smtp, mailer } = await scenario();
    await scheduleReturn(fx, "2008 Q4", 1);
    const contributorId = await fx.userId(ACTORS.contributor);
    const returnId = (await fx.db.selectFrom("data_return").select("id").executeTakeFirstOrThrow()).id;
    const due = isoDay(Date.now() + DAY);
    // An instance claimed it and put it in the inbox, then died before sending.
    const key = { kind: "data-return.due-soon", subjectId: returnId, periodKey: due, userId: contributorId };
    const longAgo = new Date(Date.now() - 60 * 60_000);
    await sendDueReminders({ db: fx.db, mailer: null, now: longAgo, instance: "dead" });
    await fx.db
      .updateTable("reminder_claim")
      .set({ state: "claimed", sent_at: null })
      .where("kind", "=", key.kind)
      .where("subject_id", "=", returnId)
      .execute();
    const before = await listNotifications(fx.db, contributorId);

    // Not yet stale for an instance with a longer patience: left alone.
    const early = await sendDueReminders({
      db: fx.db,
      mailer,
      now: new Date(),
      instance: "web-2",
      staleAfterMinutes: 90,
    });
    expect(smtp.received.filter((m) => m.mail.subject?.startsWith("Data return due soon"))).toHaveLength(0);
    expect(early.claimed).toBe(0);

    const late = await sendDueReminders({ db: fx.db, mailer, now: new Date(), instance: "web-2" });
    expect(late.claimed).toBe(1);
    expect(late.emailed).toBe(1);
    const sent = smtp.received.filter((m) => m.mail.subject === "Data return due soon: NI 151 for 2008 Q4");
    expect(sent.map((m) => m.to)).toEqual([[ACTORS.contributor]]);
    const claim = await fx.db
      .selectFrom("reminder_claim")
      .selectAll()
      .where("kind", "=", key.kind)
      .where("subject_id", "=", returnId)
      .executeTakeFirstOrThrow();
    expect([claim.state, claim.claimed_by, claim.attempts]).toEqual(["sent", "web-2", 2]);
    const after = await listNotifications(fx.db, contributorId);
    expect(after.filter((n) => n.code === "reminder.dataReturn.dueSoon")).toHaveLength(
      before.filter((n) => n.code === "reminder.dataReturn.dueSoon").length,
    );
    // A claim that is not stale is not taken by anyone.
    expect(
      await claimReminder(fx.db, key, {
        instance: "web-3",
        at: new Date().toISOString(),
        staleBefore: longAgo.toISOString(),
      }),
    ).toBeNull();
  });

  it("keeps a reminder claimed when its mail server refuses it, and sends it once the claim is stale", async () => {
    const { fx, smtp, mailer } = await scenario();
    await scheduleReturn(fx, "2008 Q4", -1);
    const down = await startTestSmtpServer();
    await down.close();
    const unreachable = createSmtpMailer({
      smtpUrl: down.url,
      from: "noreply@fivestep.example",
      publicUrl: PUBLIC_URL,
    });
    try {
      const failed = await sendDueReminders({
        db: fx.db,
        mailer: unreachable,
        now: new Date(),
        instance: "web-1",
      });
      expect(failed.claimed).toBeGreaterThan(0);
      expect(failed.failed).toBe(failed.claimed);
      expect(failed.errors.length).toBeGreaterThan(0);
    } finally {
      unreachable.close();
    }
    const open = await fx.db.selectFrom("reminder_claim").select("state").execute();
    expect(open.every((c) => c.state === "claimed")).toBe(true);
    const inbox = await (await fx.caller("contributor")).monitoring.notifications();

    // Not stale yet: nobody sends. Stale: another instance sends each once, with no second inbox entry.
    expect((await sendDueReminders({ db: fx.db, mailer, now: new Date(), instance: "web-2" })).claimed).toBe(
      0,
    );
    const later = new Date(Date.now() + 20 * 60_000);
    const retried = await sendDueReminders({ db: fx.db, mailer, now: later, instance: "web-2" });
    expect(retried.emailed).toBe(open.length);
    expect(smtp.received).toHaveLength(open.length);
    expect(smtp.received.map((m) => m.mail.subject)).toContain("Data return overdue: NI 151 for 2008 Q4");
    expect(await (await fx.caller("contributor")).monitoring.notifications()).toHaveLength(inbox.length);
  });

  it("keeps reminders in the inbox without failing when no mail is configured, and for kinds a person turned off", async () => {
    expect(mailConfigFrom({})).toBeNull();
    expect(mailConfigFrom({ SMTP_URL: "  " })).toBeNull();
    expect(() => mailConfigFrom({ SMTP_URL: "smtp://mail:25" })).toThrow(/MAIL_FROM/);
    expect(() =>
      mailConfigFrom({
        SMTP_URL: "smtp://mail:25",
        MAIL_FROM: "a@b.example",
        PUBLIC_URL: "javascript:alert(1)",
      }),
    ).toThrow(/PUBLIC_URL/);

    fx = await createFixture();
    await seedDemoPlan(fx.db);
    await scheduleReturn(fx, "2008 Q4", 2);
    const run = await sendDueReminders({ db: fx.db, mailer: null, now: new Date(), instance: "web-1" });
    expect(run.failed).toBe(0);
    expect(run.emailed).toBe(0);
    expect(run.inAppOnly).toBe(run.claimed);
    const contributor = await fx.caller("contributor");
    const codes = (await contributor.monitoring.notifications()).map((n) => n.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        "reminder.dataReturn.assigned",
        "reminder.dataReturn.dueSoon",
        "reminder.action.overdue",
      ]),
    );
  });

  it("does not email a kind of reminder the person turned off", async () => {
    const { fx, smtp, mailer } = await scenario();
    const contributor = await fx.caller("contributor");
    await contributor.auth.saveEmailSettings({
      locale: "en-GB",
      dataReturns: false,
      actions: true,
      targets: true,
    });
    await scheduleReturn(fx, "2008 Q4", 2);
    await sendDueReminders({ db: fx.db, mailer, now: new Date(), instance: "web-1" });
    const subjects = smtp.received
      .filter((m) => m.to.includes(ACTORS.contributor))
      .map((m) => m.mail.subject);
    expect(subjects).toEqual([
      "Action overdue: Commission the enterprise coaching and peer-mentoring programme",
    ]);
    const codes = (await contributor.monitoring.notifications()).map((n) => n.code);
    expect(codes).toContain("reminder.dataReturn.dueSoon");
  });

  it("sends each reminder once when two server instances on one database run the reminders job together", async () => {
    const db = await createTestDb({ demo: true, onDisk: true });
    await seedDemoAccounts(db, new Map(DEMO_USERS.map((u) => [u.email, "not a real hash"])));
    await seedDemoPlan(db);
    await db.transaction().execute((trx) => recomputeStatuses(trx, { cause: "Demo data loaded" }));
    const other = openAgain(db);
    smtp = await startTestSmtpServer();
    const config = mailConfigFrom({ SMTP_URL: smtp.url, MAIL_FROM: "noreply@fivestep.example", PUBLIC_URL });
    if (!config) throw new Error("mail config expected");
    mailer = createSmtpMailer(config);
    const runners = [
      createInProcessJobRunner({ db, kinds: jobKindsWithMail(mailer), instance: "web-1" }),
      createInProcessJobRunner({ db: other, kinds: jobKindsWithMail(mailer), instance: "web-2" }),
    ];
    try {
      await Promise.all(
        runners.map((r) => r.enqueue({ kind: EMAIL_REMINDERS, payload: {}, startedBy: null })),
      );
      await Promise.all(runners.map((r) => r.idle()));
      const jobs = await db.selectFrom("job").select(["state", "result_json"]).execute();
      expect(jobs.map((j) => j.state)).toEqual(["succeeded", "succeeded"]);
      const claimed = jobs.reduce(
        (sum, j) => sum + (JSON.parse(j.result_json ?? "{}") as { claimed: number }).claimed,
        0,
      );
      // The demo plan's three overdue actions and two targets off track, to their people.
      expect(claimed).toBeGreaterThanOrEqual(5);
      const keys = smtp.received.map((m) => `${m.to.join()} ${m.mail.subject}`);
      expect(keys).toHaveLength(claimed);
      expect(new Set(keys).size).toBe(claimed);
      const claims = await db.selectFrom("reminder_claim").select(["state", "claimed_by"]).execute();
      expect(claims).toHaveLength(claimed);
      expect(claims.every((c) => c.state === "sent")).toBe(true);
    } finally {
      await Promise.all(runners.map((r) => r.stop()));
      await other.destroy();
      await db.destroy();
    }
  });

  it("forgets reminder jobs that found nothing after a day, and keeps those that did something", async () => {
    fx = await createFixture();
    const db = fx.db;
    const dayAgo = new Date(Date.now() - 2 * DAY).toISOString();
    const old = async (result: unknown) => {
      const id = await insertJob(db, {
        kind: EMAIL_REMINDERS,
        payload: {},
        partnershipId: null,
        startedBy: null,
        at: dayAgo,
      });
      await finishJob(db, id, {
        state: "succeeded",
        result,
        error: null,
        at: dayAgo,
      });
      return id;
    };
    const idle = await old({ claimed: 0, emailed: 0, inAppOnly: 0, failed: 0, errors: [] });
    const busy = await old({ claimed: 2, emailed: 2, inAppOnly: 0, failed: 0, errors: [] });
    const jobs = createInProcessJobRunner({ db: fx.db, kinds: jobKindsWithMail(null), instance: "web-1" });
    await jobs.enqueue({ kind: EMAIL_REMINDERS, payload: {}, startedBy: null });
    await jobs.idle();
    await jobs.stop();
    const left = await fx.db.selectFrom("job").select("id").orderBy("id").execute();
    expect(left.map((j) => j.id)).not.toContain(idle);
    expect(left.map((j) => j.id)).toContain(busy);
    expect(left).toHaveLength(2);
  });

  it("queues the reminders job on its schedule", async () => {
    fx = await createFixture();
    const jobs = createInProcessJobRunner({ db: fx.db, kinds: jobKindsWithMail(null), instance: "web-1" });
    const schedule = startReminderSchedule(jobs, { pattern: "* * * * * *" });
    try {
      expect(schedule.nextRun()).toBeInstanceOf(Date);
      await vi.waitFor(
        async () => {
          const rows = await fx?.db
            .selectFrom("job")
            .select("kind")
            .where("kind", "=", EMAIL_REMINDERS)
            .execute();
          expect(rows?.length).toBeGreaterThan(0);
        },
        { timeout: 5000, interval: 100 },
      );
    } finally {
      schedule.stop();
      await jobs.stop();
    }
    expect(schedule.nextRun()).toBeNull();
  });
});
