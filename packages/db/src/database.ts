import type { Kysely, Transaction } from "kysely";
import type {
  AppUserTable,
  AuditEventTable,
  LoginAttemptTable,
  MembershipTable,
  PartnershipTable,
  SessionTable,
  TrustedDeviceTable,
} from "./tables/account.table.ts";
import type { ApiTokenTable } from "./tables/api-token.table.ts";
import type { AreaTable } from "./tables/area.table.ts";
import type {
  AreaTypeTable,
  ComparatorGroupAreaTable,
  ComparatorGroupTable,
  ImportBatchTable,
  ImportFileTable,
  ImportMappingTable,
  ImportStagingKeyTable,
  ImportStagingRunTable,
  ImportStagingTextTable,
  ObservationRevisionTable,
  PendingObservationTable,
} from "./tables/catalogue.table.ts";
import type {
  EmailPreferenceTable,
  ReminderClaimTable,
  UnsubscribeTokenTable,
} from "./tables/email.table.ts";
import type { IndicatorTable, IndicatorVersionTable } from "./tables/indicator.table.ts";
import type { JobTable } from "./tables/job.table.ts";
import type {
  DataReturnTable,
  NotificationTable,
  ReportCommentaryTable,
  ReportIssueTable,
  StatusChangeTable,
  TargetStatusTable,
} from "./tables/monitoring.table.ts";
import type { ObservationTable } from "./tables/observation.table.ts";
import type { PeriodLockTable } from "./tables/period-lock.table.ts";
import type {
  ActionUpdateTable,
  ChangePointNoteTable,
  GoodPracticeTable,
  PlanItemTable,
  PlanTable,
  PriorityRemovalTable,
  PriorityTable,
} from "./tables/plan.table.ts";
import type { ReportExportTable } from "./tables/report-export.table.ts";
import type { ReportSendingTable } from "./tables/report-sending.table.ts";

/**
 * Every table Fivestep stores, by name.
 *
 * @example const db: Kysely<Database> = createDb(":memory:");
 */
export interface Database {
  action_update: ActionUpdateTable;
  api_token: ApiTokenTable;
  app_user: AppUserTable;
  area: AreaTable;
  area_type: AreaTypeTable;
  audit_event: AuditEventTable;
  change_point_note: ChangePointNoteTable;
  comparator_group: ComparatorGroupTable;
  data_return: DataReturnTable;
  email_preference: EmailPreferenceTable;
  comparator_group_area: ComparatorGroupAreaTable;
  good_practice: GoodPracticeTable;
  import_batch: ImportBatchTable;
  import_file: ImportFileTable;
  import_mapping: ImportMappingTable;
  import_staging_key: ImportStagingKeyTable;
  import_staging_run: ImportStagingRunTable;
  import_staging_text: ImportStagingTextTable;
  indicator: IndicatorTable;
  indicator_version: IndicatorVersionTable;
  job: JobTable;
  login_attempt: LoginAttemptTable;
  membership: MembershipTable;
  notification: NotificationTable;
  observation: ObservationTable;
  observation_revision: ObservationRevisionTable;
  partnership: PartnershipTable;
  pending_observation: PendingObservationTable;
  period_lock: PeriodLockTable;
  plan: PlanTable;
  plan_item: PlanItemTable;
  priority: PriorityTable;
  priority_removal: PriorityRemovalTable;
  reminder_claim: ReminderClaimTable;
  report_commentary: ReportCommentaryTable;
  report_export: ReportExportTable;
  report_issue: ReportIssueTable;
  report_sending: ReportSendingTable;
  session: SessionTable;
  status_change: StatusChangeTable;
  target_status: TargetStatusTable;
  trusted_device: TrustedDeviceTable;
  unsubscribe_token: UnsubscribeTokenTable;
}

/**
 * What repositories take first: the database or a transaction on it, so a caller can group
 * several repository calls in one transaction.
 *
 * @example await db.transaction().execute((trx) => upsertArea(trx, area));
 */
export type Executor = Kysely<Database> | Transaction<Database>;
