import { hashPassword, randomPassword, recomputeStatuses, seedTraffordDemo } from "@fivestep/api";
import {
  type Database,
  DEMO_USERS,
  findUserByEmail,
  insertUser,
  nowIso,
  recordAudit,
  seedDemo,
  seedDemoAccounts,
  seedDemoPlan,
  TRAFFORD_USERS,
} from "@fivestep/db";
import { DisplayNameSchema, EmailSchema } from "@fivestep/domain";
import type { Kysely } from "kysely";

/**
 * Loads the demo data, accounts and Coventry's demo plan, then the Trafford demo (real national
 * files imported through the import service, its accounts and its current plan), giving every demo account a fresh random password, and
 * returns the credentials to print. Nothing is built in: each demo start prints new ones.
 *
 * @example const credentials = await seedDemoWithAccounts(db);
 */
export async function seedDemoWithAccounts(
  db: Kysely<Database>,
): Promise<Array<{ email: string; password: string; displayName: string; roles: string }>> {
  await seedDemo(db);
  const credentials = [...DEMO_USERS, ...TRAFFORD_USERS].map((u) => ({
    email: u.email,
    displayName: u.displayName,
    password: randomPassword(),
    roles: u.isAdmin
      ? "system administrator"
      : u.memberships.map((m) => `${m.role}, ${m.partnership}`).join("; "),
  }));
  const hashes = new Map<string, string>();
  for (const c of credentials) hashes.set(c.email, await hashPassword(c.password));
  await seedDemoAccounts(db, hashes);
  const plan = await seedDemoPlan(db);
  // Judge the demo targets once, so the dashboard has statuses from the first start.
  if (plan.created)
    await db.transaction().execute((trx) => recomputeStatuses(trx, { cause: "Demo data loaded" }));
  await seedTraffordDemo(db, hashes);
  return credentials;
}

/**
 * Creates a system administrator with a random password (printed once by the CLI), or gives an
 * existing account a new one. The server never has a built-in password.
 *
 * @example const { password } = await createAdministrator(db, "admin@council.example", "Pat Admin");
 */
export async function createAdministrator(
  db: Kysely<Database>,
  emailInput: string,
  nameInput: string,
): Promise<{ email: string; password: string; created: boolean }> {
  const email = EmailSchema.parse(emailInput);
  const displayName = DisplayNameSchema.parse(nameInput);
  const password = randomPassword();
  const hash = await hashPassword(password);
  const now = nowIso();
  const created = await db.transaction().execute(async (trx) => {
    const existing = await findUserByEmail(trx, email);
    if (existing) {
      await trx
        .updateTable("app_user")
        .set({
          password_hash: hash,
          is_admin: 1,
          status: "active",
          updated_at: now,
          version: existing.version + 1,
        })
        .where("id", "=", existing.id)
        .execute();
      await recordAudit(trx, {
        actorUserId: null,
        action: "reset-password",
        entity: "app_user",
        entityId: existing.id,
        partnershipId: null,
        before: { isAdmin: existing.is_admin === 1, status: existing.status },
        after: { isAdmin: true, status: "active", passwordChanged: true },
        requestId: "cli",
      });
      return false;
    }
    const row = await insertUser(trx, {
      email,
      display_name: displayName,
      password_hash: hash,
      is_admin: 1,
      status: "active",
      invite_token_hash: null,
      invite_expires_at: null,
      created_at: now,
      updated_at: now,
    });
    await recordAudit(trx, {
      actorUserId: null,
      action: "create",
      entity: "app_user",
      entityId: row.id,
      partnershipId: null,
      before: null,
      after: { email, displayName, isAdmin: true },
      requestId: "cli",
    });
    return true;
  });
  return { email, password, created };
}
