export { createDb, dialectOf, preparedStatement, sqliteHandleOf } from "./create-db.ts";
export type { Database, Executor } from "./database.ts";
export { migrateToLatest, migrations } from "./migrations/index.ts";
export {
  deleteMembership,
  displayNamesByIds,
  findMembership,
  findPartnershipByName,
  findUserByEmail,
  findUserById,
  findUserByInviteTokenHash,
  hasActiveAdmin,
  insertMembership,
  insertPartnership,
  insertUser,
  listMemberships,
  listPartnerships,
  listUsers,
  type MembershipView,
  nowIso,
  type PartnershipView,
  partnershipAreaCode,
} from "./repositories/accounts.ts";
export {
  type ApiTokenMatch,
  type ApiTokenView,
  findApiTokenByHash,
  insertApiToken,
  listApiTokens,
  revokeApiToken,
  touchApiToken,
} from "./repositories/api-tokens.ts";
export {
  type AreaRecord,
  type AreaType,
  findAreaByCode,
  listAreas,
  listAreaTypes,
  saveAreaType,
  upsertArea,
  upsertAreas,
} from "./repositories/areas.ts";
export {
  type AuditEntry,
  type AuditEvent,
  type AuditFilter,
  latestAuditId,
  listAudit,
  recordAudit,
  TOKEN_USE_ACTION,
} from "./repositories/audit.ts";
export {
  addComparatorAreas,
  areaIdsByCode,
  type ComparatorGroupView,
  insertComparatorGroup,
  listComparatorGroups,
  removeComparatorArea,
} from "./repositories/comparators.ts";
export {
  claimReminder,
  type EmailCategory,
  type EmailPreferences,
  findEmailPreferences,
  findUnsubscribeToken,
  finishReminder,
  insertUnsubscribeToken,
  markUnsubscribeTokenUsed,
  pruneIdleReminderJobs,
  queueReminder,
  type ReminderKey,
  saveEmailPreferences,
  setUserLocale,
} from "./repositories/email.ts";
export {
  type BatchCounts,
  finishImportBatch,
  type ImportBatchView,
  insertImportBatch,
  listImportBatches,
  markBatchRolledBack,
  rollbackObservations,
} from "./repositories/import-batches.ts";
export {
  findImportFile,
  type ImportFileView,
  insertImportFile,
  listImportMappings,
  rememberImportMapping,
  setImportFileMapping,
} from "./repositories/import-files.ts";
export {
  type ImportSourceView,
  importSourceArrivesPending,
  listImportSources,
} from "./repositories/import-sources.ts";
export {
  type ImportStaging,
  openImportStaging,
  type StagedKey,
  type StagedText,
} from "./repositories/import-staging.ts";
export {
  findIndicatorByCode,
  findIndicatorsByCodes,
  type IndicatorRecord,
  type IndicatorVersion,
  indicatorColumns,
  insertIndicator,
  listIndicators,
  listIndicatorVersions,
  recordIndicatorVersion,
  toIndicatorRecord,
  upsertIndicator,
} from "./repositories/indicators.ts";
export {
  failUnfinishedJobs,
  findJob,
  finishCancelledJob,
  finishJob,
  insertJob,
  type JobView,
  jobCancelRequested,
  listJobs,
  markJobRunning,
  requestJobCancel,
  updateJobProgress,
} from "./repositories/jobs.ts";
export {
  deletePeriodLock,
  findPeriodLock,
  insertPeriodLock,
  type LockCheckRow,
  type LockedChange,
  listPeriodLocks,
  lockedChanges,
  type ObservationKey,
  type PeriodLockView,
  recordObservationRevision,
  reportedPeriods,
  reviseObservation,
  setRevisionReason,
} from "./repositories/locks.ts";
export {
  countPendingReturns,
  type DataReturnView,
  findDataReturn,
  findDataReturnFor,
  findPublishedPlan,
  insertDataReturn,
  insertNotification,
  insertReportIssue,
  insertStatusChange,
  insertStatusChanges,
  lastReportIssue,
  listCommentary,
  listDataReturns,
  listNotifications,
  listStatusChanges,
  markNotificationsRead,
  saveCommentary,
  saveTargetStatus,
  saveTargetStatuses,
  type TargetRef,
  type TargetStatusValues,
  targetStatuses,
  targetsUsing,
  touchTargetStatuses,
  unreadNotificationIds,
} from "./repositories/monitoring.ts";
export {
  createObservationWriter,
  type ObservationWriter,
  type WriteOutcome,
  type WriteRow,
} from "./repositories/observation-writer.ts";
export {
  breakdownsOf,
  districtValuesInPeriod,
  latestValuesByArea,
  seriesByArea,
  seriesFor,
  upsertObservations,
} from "./repositories/observations.ts";
export {
  classifyPendingRows,
  clearPendingRows,
  holdPendingRows,
  listPendingValues,
  type PendingValueView,
  pendingIndicatorCodes,
  readPendingRows,
  reviewImportBatch,
} from "./repositories/pending-imports.ts";
export {
  copyPlan,
  countPriorities,
  deleteVersioned,
  findItem,
  findPlan,
  findPlanWithChangeCounter,
  findPriority,
  type GoodPracticeView,
  insertActionUpdate,
  insertGoodPractice,
  insertItem,
  insertPlan,
  insertPriority,
  listActionUpdates,
  listChangePointNotes,
  listItems,
  listPlanRevisions,
  listPlans,
  listPriorities,
  listPriorityRemovals,
  nextPosition,
  nextPriorityPosition,
  recordPriorityRemoval,
  saveChangePointNote,
  searchGoodPractice,
  setPriorityOrder,
} from "./repositories/plans.ts";
export { indicatorValues, latestPeriods, type QualityPoint, valuesOutside } from "./repositories/quality.ts";
export {
  deleteExpiredReportExports,
  findReportExport,
  type ReportExportFile,
  saveReportExport,
} from "./repositories/report-exports.ts";
export {
  claimReportSending,
  findReportSending,
  finishReportSendingIfDone,
  insertSubjectUnsubscribeToken,
  listReportSendings,
  listStaleReportClaims,
  type ReportSendingView,
  SCHEDULED_REPORT_CLAIM,
  unsubscribeSubject,
} from "./repositories/report-sendings.ts";
export { listRevisions, type RevisionView } from "./repositories/revisions.ts";
export {
  createSession,
  deleteSession,
  deleteUserSessions,
  findSession,
  findSessionWithMemberships,
  pruneAuthTables,
  type SessionWithMemberships,
  touchSession,
} from "./repositories/sessions.ts";
export {
  type AttemptHistory,
  type AttemptKey,
  claimLoginAttempt,
  isTrustedDevice,
  settleLoginAttempt,
  trustDevice,
} from "./repositories/sign-in-attempts.ts";
export { findVersioned, updateWithVersion, type VersionedTable } from "./repositories/versioned.ts";
export { DEMO_AREAS, DEMO_INDICATORS, demoObservations, seedDemo } from "./seed/demo.ts";
export {
  DEMO_PARTNERSHIPS,
  DEMO_USERS,
  type DemoPartnership,
  type DemoUser,
  seedDemoAccounts,
  TRAFFORD_PARTNERSHIPS,
  TRAFFORD_USERS,
} from "./seed/demo-accounts.ts";
export { DEMO_PLAN_TITLE, seedDemoPlan } from "./seed/demo-plan.ts";
export type {
  AppUserRow,
  AppUserTable,
  AppUserUpdate,
  AuditEventRow,
  AuditEventTable,
  LoginAttemptTable,
  MembershipRow,
  MembershipTable,
  NewAppUser,
  PartnershipRow,
  PartnershipTable,
  SessionRow,
  SessionTable,
  TrustedDeviceTable,
} from "./tables/account.table.ts";
export type { ApiTokenRow, ApiTokenTable, NewApiToken } from "./tables/api-token.table.ts";
export type { AreaRow, AreaTable, AreaUpdate, NewArea } from "./tables/area.table.ts";
export type {
  AreaTypeTable,
  ComparatorGroupAreaTable,
  ComparatorGroupTable,
  ImportBatchRow,
  ImportBatchTable,
  ImportFileTable,
  ImportMappingTable,
  ObservationRevisionTable,
  ObservationValues,
} from "./tables/catalogue.table.ts";
export type { EmailPreferenceRow, ReminderClaimRow } from "./tables/email.table.ts";
export type {
  IndicatorRow,
  IndicatorTable,
  IndicatorUpdate,
  IndicatorVersionTable,
  NewIndicator,
} from "./tables/indicator.table.ts";
export type { JobRow, JobState, JobTable } from "./tables/job.table.ts";
export type { DataReturnRow, StatusChangeRow } from "./tables/monitoring.table.ts";
export type {
  NewObservation,
  ObservationRow,
  ObservationTable,
  ObservationUpdate,
} from "./tables/observation.table.ts";
export type { PeriodLockRow, PeriodLockTable } from "./tables/period-lock.table.ts";
export type {
  PlanItemRow,
  PlanRow,
  PlanTable,
  PriorityRemovalRow,
  PriorityRow,
} from "./tables/plan.table.ts";
export type { ReportExportRow, ReportExportTable } from "./tables/report-export.table.ts";
export type { ReportSendingRow, ReportSendingTable } from "./tables/report-sending.table.ts";
