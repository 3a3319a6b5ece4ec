import type { Selectable } from "kysely";

/** `report_export`: the file a report-export job wrote, until it expires. */
export interface ReportExportTable {
  job_id: number;
  partnership_id: number;
  plan_id: number;
  file_name: string;
  content_type: string;
  content_base64: string;
  created_at: string;
  expires_at: string;
}
/** @example const r: ReportExportRow = await db.selectFrom("report_export").selectAll().executeTakeFirstOrThrow(); */
export type ReportExportRow = Selectable<ReportExportTable>;
