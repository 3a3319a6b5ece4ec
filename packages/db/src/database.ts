import type { Kysely, Transaction } from "kysely";
import type {
  AppUserTable,
  AuditEventTable,
  LoginAttemptTable,
  MembershipTable,
  PartnershipTable,
  SessionTable,
} from "./tables/account.table.ts";
import type { AreaTable } from "./tables/area.table.ts";
import type { IndicatorTable } from "./tables/indicator.table.ts";
import type { ObservationTable } from "./tables/observation.table.ts";

/**
 * Every table Fivestep stores, by name.
 *
 * @example const db: Kysely<Database> = createDb(":memory:");
 */
export interface Database {
  app_user: AppUserTable;
  area: AreaTable;
  audit_event: AuditEventTable;
  indicator: IndicatorTable;
  login_attempt: LoginAttemptTable;
  membership: MembershipTable;
  observation: ObservationTable;
  partnership: PartnershipTable;
  session: SessionTable;
}

/**
 * What repositories take first: the database or a transaction on it, so a caller can group
 * several repository calls in one transaction.
 *
 * @example await db.transaction().execute((trx) => upsertArea(trx, area));
 */
export type Executor = Kysely<Database> | Transaction<Database>;
