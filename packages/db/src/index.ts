export { createDb, dialectOf } from "./create-db.ts";
export type { Database, Executor } from "./database.ts";
export { migrateToLatest, migrations } from "./migrations/index.ts";
export {
  deleteMembership,
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
} from "./repositories/accounts.ts";
export { listAreas, upsertArea } from "./repositories/areas.ts";
export {
  type AuditEntry,
  type AuditEvent,
  type AuditFilter,
  listAudit,
  recordAudit,
} from "./repositories/audit.ts";
export { findIndicatorByCode, listIndicators, upsertIndicator } from "./repositories/indicators.ts";
export { seriesFor, upsertObservations } from "./repositories/observations.ts";
export {
  createSession,
  deleteSession,
  deleteUserSessions,
  findSession,
  pruneAuthTables,
  recentFailures,
  recordLoginAttempt,
  touchSession,
} from "./repositories/sessions.ts";
export { findVersioned, updateWithVersion, type VersionedTable } from "./repositories/versioned.ts";
export { DEMO_AREAS, DEMO_INDICATORS, demoObservations, seedDemo } from "./seed/demo.ts";
export { DEMO_PARTNERSHIPS, DEMO_USERS, type DemoUser, seedDemoAccounts } from "./seed/demo-accounts.ts";
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
} from "./tables/account.table.ts";
export type { AreaRow, AreaTable, AreaUpdate, NewArea } from "./tables/area.table.ts";
export type {
  IndicatorRow,
  IndicatorTable,
  IndicatorUpdate,
  NewIndicator,
} from "./tables/indicator.table.ts";
export type {
  NewObservation,
  ObservationRow,
  ObservationTable,
  ObservationUpdate,
} from "./tables/observation.table.ts";
