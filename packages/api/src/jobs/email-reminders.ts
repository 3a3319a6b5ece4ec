import { pruneIdleReminderJobs } from "@fivestep/db";
import { Cron } from "croner";
import { z } from "zod";
import { sendWeeklyDigests } from "../mail/digest.ts";
import type { Mailer } from "../mail/mailer.ts";
import { sendDueReminders } from "../mail/reminders.ts";
import { defineJobKind } from "./kinds.ts";
import { REPORT_SCHEDULED } from "./report-scheduled.ts";
import { defaultInstanceName, type JobRunner } from "./runner.ts";

/** The job kind that sends due reminders. @example EMAIL_REMINDERS // "email.reminders" */
export const EMAIL_REMINDERS = "email.reminders";

/**
 * The `email.reminders` job: one pass of `sendDueReminders`, emailing through `mailer` (null:
 * in the inbox only). Its result counts what it claimed, emailed, left in-app and failed to send.
 * Each run also deletes the rows of earlier runs, finished over a day ago, that claimed nothing.
 *
 * @example const kind = emailRemindersJob(createSmtpMailer(config));
 */
export function emailRemindersJob(mailer: Mailer | null, instance: string = defaultInstanceName()) {
  return defineJobKind({
    name: EMAIL_REMINDERS,
    payload: z.object({}).strict(),
    partnershipOf: () => null,
    run: async (ctx) => {
      const now = new Date();
      const run = await sendDueReminders({ db: ctx.db, mailer, now, instance });
      // Earlier ticks that found nothing are forgotten after a day (this one is kept until then).
      await pruneIdleReminderJobs(
        ctx.db,
        EMAIL_REMINDERS,
        new Date(now.getTime() - 86_400_000).toISOString(),
      );
      return run;
    },
  });
}

/** The job kind that sends the weekly digest. @example EMAIL_DIGEST // "email.digest" */
export const EMAIL_DIGEST = "email.digest";

/**
 * The `email.digest` job: one pass of `sendWeeklyDigests` (nothing without a mailer). Its result
 * counts as the reminders job's does; runs that claimed nothing are forgotten after a day.
 *
 * @example const kind = emailDigestJob(createSmtpMailer(config));
 */
export function emailDigestJob(mailer: Mailer | null, instance: string = defaultInstanceName()) {
  return defineJobKind({
    name: EMAIL_DIGEST,
    payload: z.object({}).strict(),
    partnershipOf: () => null,
    run: async (ctx) => {
      const now = new Date();
      const run = await sendWeeklyDigests({ db: ctx.db, mailer, now, instance });
      await pruneIdleReminderJobs(ctx.db, EMAIL_DIGEST, new Date(now.getTime() - 86_400_000).toISOString());
      return run;
    },
  });
}

/** When the weekly digest is queued by default: Mondays at 07:00 (server time). */
export const DIGEST_SCHEDULE = "0 7 * * 1";

/** How often reminders are looked for by default: every ten minutes. */
export const REMINDER_SCHEDULE = "*/10 * * * *";

/**
 * Queues an `email.reminders` job and a `report.scheduled` one on `jobs` at every tick of the
 * cron `pattern`, and an `email.digest` job at every tick of `digestPattern` (croner; a tick is
 * skipped while the previous one is still queuing). Nothing is remembered in memory: what was
 * sent is claimed in the database, so a restarted instance, or several instances ticking
 * together, send each reminder, report and digest once. Returns a handle to stop both.
 *
 * @example const schedule = startReminderSchedule(jobs); … schedule.stop();
 */
export function startReminderSchedule(
  jobs: JobRunner,
  o: { pattern?: string; digestPattern?: string; onError?: (error: unknown) => void } = {},
): { stop(): void; nextRun(): Date | null; nextDigest(): Date | null } {
  const every = (pattern: string, kinds: readonly string[]) =>
    new Cron(
      pattern,
      { name: kinds.join("+"), protect: true, unref: true, catch: (e) => o.onError?.(e) },
      async () => {
        const requestId = `schedule-${Date.now()}`;
        for (const kind of kinds) await jobs.enqueue({ kind, payload: {}, startedBy: null, requestId });
      },
    );
  // Reporting schedules' packs due today go out on the reminders' ticks (report-scheduled.ts).
  const reminders = every(o.pattern ?? REMINDER_SCHEDULE, [EMAIL_REMINDERS, REPORT_SCHEDULED]);
  const digest = every(o.digestPattern ?? DIGEST_SCHEDULE, [EMAIL_DIGEST]);
  return {
    stop: () => {
      reminders.stop();
      digest.stop();
    },
    nextRun: () => reminders.nextRun(),
    nextDigest: () => digest.nextRun(),
  };
}
