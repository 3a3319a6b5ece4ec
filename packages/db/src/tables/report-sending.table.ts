import type { Selectable } from "kysely";

/**
 * `report_sending`: a reporting schedule's pack sent for one due date (its primary key, so each
 * date is sent once however many instances run), to whom (`recipients_json`, user ids), and when
 * every recipient had it (`sent_at`, null while some email is still to be sent or retried).
 */
export interface ReportSendingTable {
  item_id: number;
  due_date: string;
  partnership_id: number;
  plan_id: number;
  pack: string;
  audience: string;
  recipients_json: string;
  recipient_count: number;
  claimed_by: string;
  claimed_at: string;
  sent_at: string | null;
}
/** @example const s: ReportSendingRow = await db.selectFrom("report_sending").selectAll().executeTakeFirstOrThrow(); */
export type ReportSendingRow = Selectable<ReportSendingTable>;
