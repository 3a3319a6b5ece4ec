import { type Kysely, type Migration, type MigrationResultSet, Migrator } from "kysely";
import type { Database } from "../database.ts";
import * as m0001 from "./0001_initial.ts";
import * as m0002 from "./0002_accounts.ts";
import * as m0003 from "./0003_catalogue.ts";
import * as m0010 from "./0010_plans.ts";
import * as m0011 from "./0011_monitoring.ts";
import * as m0012 from "./0012_sign_in_throttle.ts";
import * as m0013 from "./0013_import_staging.ts";
import * as m0014 from "./0014_approval_and_locks.ts";
import * as m0015 from "./0015_pending_imports.ts";
import * as m0016 from "./0016_jobs.ts";
import * as m0019 from "./0019_api_tokens.ts";
import * as m0020 from "./0020_publisher_judgement.ts";
import * as m0022 from "./0022_priority_removals.ts";
import * as m0023 from "./0023_email.ts";
import * as m0024 from "./0024_report_exports.ts";
import * as m0025 from "./0025_priority_owner_and_digest.ts";
import * as m0026 from "./0026_report_sendings.ts";
import * as m0027 from "./0027_audit_change_counter.ts";

/**
 * Every migration, by name, in a static map: a bundled server has no migrations folder to read,
 * so the list is compiled in. Names sort in the order they run.
 *
 * @example Object.keys(migrations) // ["0001_initial", …, "0015_pending_imports", "0016_jobs", "0019_api_tokens", "0020_publisher_judgement", "0022_priority_removals", "0023_email", "0024_report_exports", "0026_report_sendings"]
 */
export const migrations: Record<string, Migration> = {
  "0001_initial": m0001,
  "0002_accounts": m0002,
  "0003_catalogue": m0003,
  "0010_plans": m0010,
  "0011_monitoring": m0011,
  "0012_sign_in_throttle": m0012,
  "0013_import_staging": m0013,
  "0014_approval_and_locks": m0014,
  "0015_pending_imports": m0015,
  "0016_jobs": m0016,
  "0019_api_tokens": m0019,
  "0020_publisher_judgement": m0020,
  "0022_priority_removals": m0022,
  "0023_email": m0023,
  "0024_report_exports": m0024,
  "0025_priority_owner_and_digest": m0025,
  "0026_report_sendings": m0026,
  "0027_audit_change_counter": m0027,
};

/**
 * Brings the database to the latest schema. Throws the first migration error, after Kysely has
 * rolled that migration back.
 *
 * @example await migrateToLatest(db);
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}
