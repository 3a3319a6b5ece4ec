import { importCommitJob } from "./import-commit.ts";
import { jobKinds } from "./kinds.ts";
import { reportExportJob } from "./report-export.ts";

/**
 * Every job kind Fivestep runs, by name. A new kind (a report export, a full recompute, a
 * scheduled email) is a `defineJobKind` with a zod payload schema, added here.
 *
 * @example const jobs = createInProcessJobRunner({ db, kinds: JOB_KINDS });
 */
export const JOB_KINDS = jobKinds([importCommitJob, reportExportJob]);
