import type { Mailer } from "../mail/mailer.ts";
import { emailDigestJob, emailRemindersJob } from "./email-reminders.ts";
import { importCommitJob } from "./import-commit.ts";
import { type JobKinds, jobKinds } from "./kinds.ts";
import { recomputeJob } from "./recompute.ts";
import { reportExportJob } from "./report-export.ts";

/**
 * Every job kind, with reminders emailed through `mailer` (or kept in-app when it is null).
 *
 * @example const jobs = createInProcessJobRunner({ db, kinds: jobKindsWithMail(mailer) });
 */
export function jobKindsWithMail(mailer: Mailer | null): JobKinds {
  return jobKinds([
    importCommitJob,
    recomputeJob,
    reportExportJob,
    emailRemindersJob(mailer),
    emailDigestJob(mailer),
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
