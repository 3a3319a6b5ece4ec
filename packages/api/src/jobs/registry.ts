import type { Mailer } from "../mail/mailer.ts";
import { emailDigestJob, emailRemindersJob } from "./email-reminders.ts";
import { importCommitJob } from "./import-commit.ts";
import { type JobKinds, jobKinds } from "./kinds.ts";
import { recomputeJob } from "./recompute.ts";
import { type ReportPdfRenderer, reportExportJobWith } from "./report-export.ts";
import { reportScheduledJob } from "./report-scheduled.ts";

/**
 * Every job kind, with reminders and scheduled reports emailed through `mailer` (or kept in-app
 * when it is null), and report exports' PDFs printed by `pdfRenderer` (without one a PDF export
 * fails, coded `PDF_UNAVAILABLE`).
 *
 * @example const jobs = createInProcessJobRunner({ db, kinds: jobKindsWithMail(mailer, { pdfRenderer }) });
 */
export function jobKindsWithMail(
  mailer: Mailer | null,
  options: { pdfRenderer?: ReportPdfRenderer | null } = {},
): JobKinds {
  return jobKinds([
    importCommitJob,
    recomputeJob,
    reportExportJobWith(options.pdfRenderer ?? null),
    emailRemindersJob(mailer),
    emailDigestJob(mailer),
    reportScheduledJob(mailer),
  ]);
}

/**
 * Every job kind Fivestep runs, by name, reminders kept in-app (a server with mail configured
 * runs `jobKindsWithMail(mailer)` instead). A new kind (a report export, a full recompute, a
 * scheduled email) is a `defineJobKind` with a zod payload schema, added here.
 *
 * @example const jobs = createInProcessJobRunner({ db, kinds: JOB_KINDS });
 */
export const JOB_KINDS = jobKindsWithMail(null);
