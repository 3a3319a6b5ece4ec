import { jobKindsWithMail } from "./email-reminders.ts";

/**
 * Every job kind Fivestep runs, by name, reminders kept in-app (a server with mail configured
 * runs `jobKindsWithMail(mailer)` instead). A new kind (a report export, a full recompute, a
 * scheduled email) is a `defineJobKind` with a zod payload schema, added here.
 *
 * @example const jobs = createInProcessJobRunner({ db, kinds: JOB_KINDS });
 */
export const JOB_KINDS = jobKindsWithMail(null);
