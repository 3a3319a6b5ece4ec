import type { Executor } from "../database.ts";
import type { ReportExportRow } from "../tables/report-export.table.ts";

/** A report export's file as it is saved. */
export interface ReportExportFile {
  jobId: number;
  partnershipId: number;
  planId: number;
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
  createdAt: string;
  expiresAt: string;
}

/**
 * Saves the file a report-export job wrote (replacing one the same job wrote before).
 *
 * @example await saveReportExport(db, { jobId, partnershipId, planId, fileName: "plan.csv", contentType: "text/csv", bytes, createdAt, expiresAt });
 */
export async function saveReportExport(db: Executor, f: ReportExportFile): Promise<void> {
  await db.deleteFrom("report_export").where("job_id", "=", f.jobId).execute();
  await db
    .insertInto("report_export")
    .values({
      job_id: f.jobId,
      partnership_id: f.partnershipId,
      plan_id: f.planId,
      file_name: f.fileName,
      content_type: f.contentType,
      content_base64: Buffer.from(f.bytes).toString("base64"),
      created_at: f.createdAt,
      expires_at: f.expiresAt,
    })
    .execute();
}

const toFile = (r: ReportExportRow): ReportExportFile => ({
  jobId: r.job_id,
  partnershipId: r.partnership_id,
  planId: r.plan_id,
  fileName: r.file_name,
  contentType: r.content_type,
  bytes: Buffer.from(r.content_base64, "base64"),
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

/**
 * The file of a report-export job, or null when there is none (never written, or deleted).
 *
 * @example const file = await findReportExport(db, jobId);
 */
export async function findReportExport(db: Executor, jobId: number): Promise<ReportExportFile | null> {
  const row = await db.selectFrom("report_export").selectAll().where("job_id", "=", jobId).executeTakeFirst();
  return row ? toFile(row) : null;
}

/**
 * Deletes the files expired by `now` (ISO); returns how many.
 *
 * @example await deleteExpiredReportExports(db, new Date().toISOString());
 */
export async function deleteExpiredReportExports(db: Executor, now: string): Promise<number> {
  const r = await db.deleteFrom("report_export").where("expires_at", "<=", now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
