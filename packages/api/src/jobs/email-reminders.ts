import { pruneIdleReminderJobs } from "@fivestep/db";
import { Cron } from "croner";
import { z } from "zod";
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

/** How often reminders are looked for by default: every ten minutes. */
export const REMINDER_SCHEDULE = "*/10 * * * *";

/**
 * Queues an `email.reminders` job, and a `report.scheduled` one, on `jobs` at every tick of the cron `pattern` (croner; a tick
 * is skipped while the previous one is still queuing). Nothing is remembered in memory: what was
 * sent is claimed in the database, so a restarted instance, or several instances ticking
 * together, send each reminder once. Returns a handle to stop it.
 *
 * @example const schedule = startReminderSchedule(jobs); … schedule.stop();
 */
export function startReminderSchedule(
  jobs: JobRunner,
  o: { pattern?: string; onError?: (error: unknown) => void } = {},
): { stop(): void; nextRun(): Date | null } {
  const cron = new Cron(
    o.pattern ?? REMINDER_SCHEDULE,
    { name: EMAIL_REMINDERS, protect: true, unref: true, catch: (e) => o.onError?.(e) },
    async () => {
      const requestId = `schedule-${Date.now()}`;
      await jobs.enqueue({ kind: EMAIL_REMINDERS, payload: {}, startedBy: null, requestId });
      // Reporting schedules' packs due today go out on the same ticks (report-scheduled.ts).
      await jobs.enqueue({ kind: REPORT_SCHEDULED, payload: {}, startedBy: null, requestId });
    },
  );
  return { stop: () => cron.stop(), nextRun: () => cron.nextRun() };
}
