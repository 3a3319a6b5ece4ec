export { auditTokenUse, namedInIds, type TokenUse } from "./audit.ts";
export { hashPassword, randomPassword, randomToken, sha256, verifyPassword } from "./auth/password.ts";
export {
  DEVICE_COOKIE,
  resolveSession,
  SESSION_COOKIE,
  SESSION_TTL_MS,
  type SessionInfo,
  startSession,
} from "./auth/sessions.ts";
export { THROTTLE, ThrottledError, type ThrottleRefusal } from "./auth/throttle.ts";
export {
  checkTokenCall,
  LAST_USED_EVERY_MS,
  newTokenSecret,
  resolveBearer,
  TOKEN_PREFIX,
  TOKEN_SCOPE_PROCEDURES,
  type TokenAuth,
  type TokenInfo,
  tokenAdmits,
  tokenHash,
} from "./auth/tokens.ts";
export { type Context, type CookieJar, createContextInner, type Logger } from "./context.ts";
export {
  seedTraffordDemo,
  TRAFFORD_AREA_CODE,
  TRAFFORD_GROUP_NAME,
  TRAFFORD_INDICATORS,
  TRAFFORD_MAPPINGS,
  TRAFFORD_PLAN_TITLE,
} from "./demo/trafford.ts";
export { ConflictError } from "./errors.ts";
export { FieldError } from "./field-error.ts";
export {
  byteOrderMark,
  type DecodingStream,
  decodingStream,
  detectFileEncoding,
  detectSeparator,
  type EncodingEvidence,
  type EncodingGuess,
  encodingName,
  fromDecimalComma,
  singleByteEncoding,
  TextDecodeError,
  utf16ByZeroBytes,
} from "./import/decode.ts";
export {
  commitImport,
  type ImportCheck,
  type ImportProgress,
  ImportRejected,
  type ImportResult,
  type ImportSource,
  type IndicatorText,
  LockedChangesRefused,
  type LockedImportChange,
  lockedChangesViolation,
  MAX_INDICATOR_TEXTS,
  MAX_PROBLEMS,
  MappingError,
  PROGRESS_EVERY,
  type ProgressCallback,
  previewImport,
  type UnknownArea,
  type UnknownCode,
} from "./import/engine.ts";
export { progressOf, setProgress } from "./import/progress.ts";
export {
  type FilePeek,
  FileReadError,
  type FileReading,
  type FileRow,
  type ImportFormat,
  MAX_COLUMNS,
  MAX_PEEK_TEXT,
  MAX_ROW_CHARS,
  peekFile,
  type ReadOptions,
  readOptionsOf,
  readRows,
  sniffFile,
  sniffFormat,
} from "./import/read-rows.ts";
export {
  defaultUploadDir,
  MAX_HEADER_LINE_BYTES,
  MAX_UPLOAD_BYTES,
  MAX_UPLOAD_NAME_LENGTH,
  registerLocalFile,
  sanitizeUploadName,
  storeUpload,
  UploadError,
  type UploadedFile,
} from "./import/upload.ts";
export {
  DIGEST_SCHEDULE,
  EMAIL_DIGEST,
  EMAIL_REMINDERS,
  emailDigestJob,
  emailRemindersJob,
  REMINDER_SCHEDULE,
  startReminderSchedule,
} from "./jobs/email-reminders.ts";
export { ImportCommitPayloadSchema, importCommitJob, JOB_PROBLEMS } from "./jobs/import-commit.ts";
export {
  defineJobKind,
  type JobKind,
  type JobKinds,
  type JobProgress,
  type JobRunContext,
  jobActor,
  jobKinds,
} from "./jobs/kinds.ts";
export { createPgBossJobRunner, type PgBossRunnerOptions } from "./jobs/pg-boss-runner.ts";
export { JOB_KINDS, jobKindsWithMail } from "./jobs/registry.ts";
export {
  PDF_UNAVAILABLE,
  type ReportPdfRenderer,
  type ReportPdfRequest,
  ReportPdfUnavailable,
  reportExportJobWith,
} from "./jobs/report-export.ts";
export { REPORT_SCHEDULED, reportScheduledJob } from "./jobs/report-scheduled.ts";
export {
  createInProcessJobRunner,
  defaultInstanceName,
  defaultJobRunner,
  type EnqueueJob,
  INTERRUPTED_BY_RESTART,
  type JobRunner,
  type OnRecorded,
  recordJob,
  runRecordedJob,
} from "./jobs/runner.ts";
export { type MailConfig, mailConfigFrom } from "./mail/config.ts";
export {
  composeReminderMail,
  createSmtpMailer,
  escapeHtml,
  type Mailer,
  type OutgoingMail,
} from "./mail/mailer.ts";
export {
  fill,
  MAIL_LOCALES,
  MAIL_MESSAGES,
  type MailLocale,
  type MessageCode,
  mailLocale,
  renderMessage,
} from "./mail/messages.ts";
export {
  findDueReminders,
  hashUnsubscribeToken,
  type Reminder,
  type ReminderRun,
  sendDueReminders,
} from "./mail/reminders.ts";
export {
  leaveReportSchedule,
  nextDueAfter,
  onReportSchedule,
  REPORTS_UNSUBSCRIBE,
  reportPath,
  type ScheduledReportRun,
  sendDueReports,
} from "./mail/scheduled-reports.ts";
export { describeUnsubscribe, type UnsubscribeTarget, unsubscribe } from "./mail/unsubscribe.ts";
export { inAppNotifier, type Notifier, recomputeStatuses, type StatusChangeResult } from "./monitoring.ts";
export {
  analyseIndicator,
  cachedAnalyseIndicator,
  type IndicatorAnalysis,
  parseIndicatorItem,
} from "./plan-analysis.ts";
export { OUTLIER_Z, qualityReport, robustZ } from "./quality.ts";
export { type PerformanceReport, performanceReport, publicView } from "./report.ts";
export {
  EXPORT_LOCALES,
  type ExportCell,
  type ExportLocale,
  type ExportTable,
  REPORT_PACKS,
  type ReportPack,
  reportTables,
  tablesCsv,
  tablesXlsx,
  toCsv,
} from "./report-exports.ts";
export { type AppRouter, appRouter, createCaller, type RouterInputs, type RouterOutputs } from "./root.ts";
export { isShared, jsonOf, markShared } from "./serialized-json.ts";
export {
  type CommitImportBatchInput,
  type CommitImportBatchOutcome,
  commitImportBatch,
} from "./services/commit-import-batch.ts";
export { createAreas } from "./services/create-areas.ts";
export { type Actor, type SavedMapping, saveImportMapping } from "./services/save-import-mapping.ts";
export {
  adminProcedure,
  authedProcedure,
  createCallerFactory,
  createTRPCRouter,
  partnershipProcedure,
  publicProcedure,
} from "./trpc.ts";
