import { pruneIdleReminderJobs } from "@fivestep/db";
import { z } from "zod";
import type { Mailer } from "../mail/mailer.ts";
import { sendDueReports } from "../mail/scheduled-reports.ts";
import { defineJobKind } from "./kinds.ts";
import { defaultInstanceName } from "./runner.ts";

/** The job kind that sends the packs of reporting schedules now due. @example REPORT_SCHEDULED // "report.scheduled" */
export const REPORT_SCHEDULED = "report.scheduled";

/**
 * The `report.scheduled` job: one pass of `sendDueReports`, emailing through `mailer` (null: in
 * the inbox only). Queued with the reminders at every tick of the reminder schedule, on every
 * instance; each schedule's due date is taken once in the database, so the pack goes out once.
 * Its result counts the schedules it took and the emails it claimed, sent, kept in-app and failed
 * to send; earlier runs that claimed nothing are deleted after a day.
 *
 * @example const kind = reportScheduledJob(createSmtpMailer(config));
 */
export function reportScheduledJob(mailer: Mailer | null, instance: string = defaultInstanceName()) {
  return defineJobKind({
    name: REPORT_SCHEDULED,
    payload: z.object({}).strict(),
    partnershipOf: () => null,
    run: async (ctx) => {
      const now = new Date();
      const run = await sendDueReports({
        db: ctx.db,
        mailer,
        now,
        instance,
        requestId: ctx.actor.requestId,
      });
      await pruneIdleReminderJobs(
        ctx.db,
        REPORT_SCHEDULED,
        new Date(now.getTime() - 86_400_000).toISOString(),
      );
      return run;
    },
  });
}
