import type { Role } from "@fivestep/domain";
import type { Kysely } from "kysely";
import type { Database } from "../database.ts";
import {
  findUserByEmail,
  insertMembership,
  insertPartnership,
  insertUser,
  nowIso,
} from "../repositories/accounts.ts";
import { recordAudit } from "../repositories/audit.ts";

/**
 * The demo partnerships: one per district of the talk's tables, so scoping can be seen.
 *
 * @example DEMO_PARTNERSHIPS[0].name // "Coventry Partnership"
 */
export const DEMO_PARTNERSHIPS = [
  { name: "Coventry Partnership", areaCode: "E08000026" },
  { name: "Wolverhampton Partnership", areaCode: "E08000031" },
] as const;

/**
 * The second demo partnership, with a current plan on real national data (seeded by
 * `seedTraffordDemo` in @fivestep/api, which imports the data first).
 *
 * @example TRAFFORD_PARTNERSHIPS[0].areaCode // "E08000009"
 */
export const TRAFFORD_PARTNERSHIPS = [{ name: "Trafford Partnership", areaCode: "E08000009" }] as const;

/** A demo partnership: its name and its area's code. */
export interface DemoPartnership {
  name: string;
  areaCode: string;
}

/** A demo account and its memberships (partnership by name). */
export interface DemoUser {
  email: string;
  displayName: string;
  isAdmin: boolean;
  memberships: ReadonlyArray<{ partnership: string; role: Role }>;
}

/**
 * The demo accounts: an administrator, every role in Coventry, a lead in Wolverhampton, and an
 * analyst who belongs to both partnerships with different roles.
 *
 * @example DEMO_USERS.map((u) => u.email).includes("lead@coventry.example") // true
 */
export const DEMO_USERS: readonly DemoUser[] = [
  { email: "admin@fivestep.example", displayName: "Demo Administrator", isAdmin: true, memberships: [] },
  {
    email: "lead@coventry.example",
    displayName: "Cara Lead (Coventry)",
    isAdmin: false,
    memberships: [{ partnership: "Coventry Partnership", role: "lead" }],
  },
  {
    email: "editor@coventry.example",
    displayName: "Ed Editor (Coventry)",
    isAdmin: false,
    memberships: [{ partnership: "Coventry Partnership", role: "editor" }],
  },
  {
    email: "contributor@coventry.example",
    displayName: "Cory Contributor (Coventry)",
    isAdmin: false,
    memberships: [{ partnership: "Coventry Partnership", role: "contributor" }],
  },
  {
    email: "viewer@coventry.example",
    displayName: "Vi Viewer (Coventry)",
    isAdmin: false,
    memberships: [{ partnership: "Coventry Partnership", role: "viewer" }],
  },
  {
    email: "lead@wolverhampton.example",
    displayName: "Wyn Lead (Wolverhampton)",
    isAdmin: false,
    memberships: [{ partnership: "Wolverhampton Partnership", role: "lead" }],
  },
  {
    email: "analyst@westmidlands.example",
    displayName: "Ana Analyst (West Midlands)",
    isAdmin: false,
    memberships: [
      { partnership: "Coventry Partnership", role: "editor" },
      { partnership: "Wolverhampton Partnership", role: "viewer" },
    ],
  },
];

/**
 * Trafford Partnership's demo accounts: a lead, an editor and a viewer.
 *
 * @example TRAFFORD_USERS.map((u) => u.email) // ["lead@trafford.example", "editor@trafford.example", "viewer@trafford.example"]
 */
export const TRAFFORD_USERS: readonly DemoUser[] = [
  {
    email: "lead@trafford.example",
    displayName: "Tara Lead (Trafford)",
    isAdmin: false,
    memberships: [{ partnership: "Trafford Partnership", role: "lead" }],
  },
  {
    email: "editor@trafford.example",
    displayName: "Ted Editor (Trafford)",
    isAdmin: false,
    memberships: [{ partnership: "Trafford Partnership", role: "editor" }],
  },
  {
    email: "viewer@trafford.example",
    displayName: "Val Viewer (Trafford)",
    isAdmin: false,
    memberships: [{ partnership: "Trafford Partnership", role: "viewer" }],
  },
];

/**
 * Creates the demo partnerships and accounts, or, when they exist, gives each demo account the
 * new password hash it is handed (every demo start prints fresh passwords; none is built in).
 * Areas must be seeded first. Every change is audited, in the same transaction. By default the
 * talk's partnerships and accounts; `set` names others (Trafford's).
 *
 * @example await seedDemoAccounts(db, new Map(DEMO_USERS.map((u) => [u.email, hashOf(u.email)])));
 * @example await seedDemoAccounts(db, hashes, { partnerships: TRAFFORD_PARTNERSHIPS, users: TRAFFORD_USERS });
 */
export async function seedDemoAccounts(
  db: Kysely<Database>,
  passwordHashes: ReadonlyMap<string, string>,
  set: { partnerships: readonly DemoPartnership[]; users: readonly DemoUser[] } = {
    partnerships: DEMO_PARTNERSHIPS,
    users: DEMO_USERS,
  },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const now = nowIso();
    const audit = (
      action: string,
      entity: string,
      entityId: number,
      partnershipId: number | null,
      after: unknown,
    ) =>
      recordAudit(trx, {
        actorUserId: null,
        action,
        entity,
        entityId,
        partnershipId,
        before: null,
        after,
        requestId: "seed-demo",
        at: now,
      });

    const partnershipIds = new Map<string, number>();
    for (const p of set.partnerships) {
      const existing = await trx
        .selectFrom("partnership")
        .select("id")
        .where("name", "=", p.name)
        .executeTakeFirst();
      if (existing) {
        partnershipIds.set(p.name, existing.id);
        continue;
      }
      const row = await insertPartnership(trx, {
        name: p.name,
        area_code: p.areaCode,
        created_at: now,
        updated_at: now,
      });
      partnershipIds.set(p.name, row.id);
      await audit("create", "partnership", row.id, row.id, { name: row.name, areaCode: row.area_code });
    }

    for (const u of set.users) {
      const hash = passwordHashes.get(u.email);
      if (!hash) throw new Error(`seedDemoAccounts: no password hash for ${u.email}`);
      const existing = await findUserByEmail(trx, u.email);
      let userId: number;
      if (existing) {
        userId = existing.id;
        await trx
          .updateTable("app_user")
          .set({ password_hash: hash, status: "active", updated_at: now, version: existing.version + 1 })
          .where("id", "=", existing.id)
          .execute();
        await audit("reset-password", "app_user", existing.id, null, { passwordChanged: true });
      } else {
        const row = await insertUser(trx, {
          email: u.email,
          display_name: u.displayName,
          password_hash: hash,
          is_admin: u.isAdmin ? 1 : 0,
          status: "active",
          invite_token_hash: null,
          invite_expires_at: null,
          created_at: now,
          updated_at: now,
        });
        userId = row.id;
        await audit("create", "app_user", row.id, null, {
          email: u.email,
          displayName: u.displayName,
          isAdmin: u.isAdmin,
        });
      }
      for (const m of u.memberships) {
        const partnershipId = partnershipIds.get(m.partnership);
        if (partnershipId === undefined)
          throw new Error(`seedDemoAccounts: unknown partnership ${m.partnership}`);
        const has = await trx
          .selectFrom("membership")
          .select("id")
          .where("user_id", "=", userId)
          .where("partnership_id", "=", partnershipId)
          .executeTakeFirst();
        if (has) continue;
        const row = await insertMembership(trx, {
          user_id: userId,
          partnership_id: partnershipId,
          role: m.role,
          created_at: now,
        });
        await audit("create", "membership", row.id, partnershipId, { userId, partnershipId, role: m.role });
      }
    }
  });
}
