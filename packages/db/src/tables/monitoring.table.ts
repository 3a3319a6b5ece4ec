import type { ColumnType, Generated, Selectable } from "kysely";

/** A nullable column that inserts may leave out (it is then NULL). */
type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>;

/** `target_status`: the last judged status of a target (one row per indicator item). */
export interface TargetStatusTable {
  item_id: number;
  status: string;
  period: string | null;
  actual: number | null;
  expected: number | null;
  computed_at: string;
}

/** `status_change`: a target's status changed, with the data that caused it. */
export interface StatusChangeTable {
  id: Generated<number>;
  item_id: number;
  plan_id: number;
  indicator_code: string;
  from_status: string | null;
  to_status: string;
  period: string | null;
  actual: number | null;
  expected: number | null;
  cause: string;
  batch_id: number | null;
  at: string;
}
/** @example const c: StatusChangeRow = await db.selectFrom("status_change").selectAll().executeTakeFirstOrThrow(); */
export type StatusChangeRow = Selectable<StatusChangeTable>;

/**
 * `data_return`: a value a named contributor owes for a local indicator and period, by a due date.
 * A submitted value waits here (`pending`) until a lead approves it into `observation`; a
 * rejected one goes back to `due` with the lead's reason in `review_note`.
 */
export interface DataReturnTable {
  id: Generated<number>;
  partnership_id: number;
  indicator_code: string;
  period: string;
  due_date: string;
  assignee_user_id: number;
  status: "due" | "pending" | "approved";
  /** The value last submitted: pending, approved, or (when due again) the one rejected. */
  value: number | null;
  note: string;
  submitted_at: string | null;
  submitted_by: number | null;
  created_at: string;
  version: Generated<number>;
  /** Why the value revises a locked period (given with the submission). */
  revision_reason: Optional<string>;
  /** The lead's reason for sending the value back. */
  review_note: Optional<string>;
  reviewed_by: Optional<number>;
  reviewed_at: Optional<string>;
}
/** @example const r: DataReturnRow = await db.selectFrom("data_return").selectAll().executeTakeFirstOrThrow(); */
export type DataReturnRow = Selectable<DataReturnTable>;

/** `notification`: an in-app message to one user. */
export interface NotificationTable {
  id: Generated<number>;
  user_id: number;
  kind: string;
  /** The English sentence (all a notification had before message codes; kept as a fallback). */
  text: string;
  link: string;
  created_at: string;
  read_at: string | null;
  /** The message's code, worded in the reader's language ("reminder.dataReturn.overdue"), or null. */
  message_code: Optional<string>;
  /** The message's parameters as JSON, or null. */
  params_json: Optional<string>;
}

/** `report_commentary`: the owner's commentary on a target for a reporting period. */
export interface ReportCommentaryTable {
  id: Generated<number>;
  item_id: number;
  period: string;
  text: string;
  author_user_id: number | null;
  updated_at: string;
}

/** `report_issue`: when a report pack was issued to an audience. */
export interface ReportIssueTable {
  id: Generated<number>;
  plan_id: number;
  audience: string;
  issued_at: string;
  issued_by: number | null;
}
