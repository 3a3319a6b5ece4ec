import type { Role } from "@fivestep/domain";
import type { Executor } from "../database.ts";
import type { AppUserRow, MembershipRow, NewAppUser, PartnershipRow } from "../tables/account.table.ts";

/** An ISO-8601 UTC timestamp for now. @example nowIso() // "2026-11-26T06:00:00.000Z" */
export function nowIso(): string {
  return new Date().toISOString();
}

/** @example const user = await findUserByEmail(db, "lead@coventry.example"); */
export async function findUserByEmail(db: Executor, email: string): Promise<AppUserRow | undefined> {
  return db.selectFrom("app_user").selectAll().where("email", "=", email.toLowerCase()).executeTakeFirst();
}

/** @example const user = await findUserById(db, 1); */
export async function findUserById(db: Executor, id: number): Promise<AppUserRow | undefined> {
  return db.selectFrom("app_user").selectAll().where("id", "=", id).executeTakeFirst();
}

/** @example const user = await findUserByInviteToken(db, sha256(token)); */
export async function findUserByInviteTokenHash(db: Executor, hash: string): Promise<AppUserRow | undefined> {
  return db.selectFrom("app_user").selectAll().where("invite_token_hash", "=", hash).executeTakeFirst();
}

/** Every user, by name. @example const users = await listUsers(db); */
export async function listUsers(db: Executor): Promise<AppUserRow[]> {
  return db.selectFrom("app_user").selectAll().orderBy("display_name").orderBy("id").execute();
}

/** @example const user = await insertUser(trx, { email, display_name, ... }); */
export async function insertUser(db: Executor, user: NewAppUser): Promise<AppUserRow> {
  return db.insertInto("app_user").values(user).returningAll().executeTakeFirstOrThrow();
}

/** True when any administrator account is active. @example if (!(await hasActiveAdmin(db))) … */
export async function hasActiveAdmin(db: Executor): Promise<boolean> {
  const row = await db
    .selectFrom("app_user")
    .select("id")
    .where("is_admin", "=", 1)
    .where("status", "=", "active")
    .executeTakeFirst();
  return row !== undefined;
}

/** A membership with the names the screens show. */
export interface MembershipView {
  id: number;
  version: number;
  userId: number;
  partnershipId: number;
  partnershipName: string;
  role: Role;
  displayName: string;
  email: string;
  userStatus: string;
}

function membershipQuery(db: Executor) {
  return db
    .selectFrom("membership as m")
    .innerJoin("partnership as p", "p.id", "m.partnership_id")
    .innerJoin("app_user as u", "u.id", "m.user_id")
    .select([
      "m.id",
      "m.version",
      "m.user_id as userId",
      "m.partnership_id as partnershipId",
      "p.name as partnershipName",
      "m.role",
      "u.display_name as displayName",
      "u.email",
      "u.status as userStatus",
    ]);
}

/**
 * Memberships filtered by user and/or partnership, ordered by partnership then person.
 *
 * @example const mine = await listMemberships(db, { userId: 3 });
 */
export async function listMemberships(
  db: Executor,
  filter: { userId?: number; partnershipId?: number } = {},
): Promise<MembershipView[]> {
  let q = membershipQuery(db);
  if (filter.userId !== undefined) q = q.where("m.user_id", "=", filter.userId);
  if (filter.partnershipId !== undefined) q = q.where("m.partnership_id", "=", filter.partnershipId);
  return q.orderBy("p.name").orderBy("u.display_name").orderBy("m.id").execute();
}

/** @example const m = await insertMembership(trx, { user_id: 3, partnership_id: 1, role: "editor", created_at: nowIso() }); */
export async function insertMembership(
  db: Executor,
  m: { user_id: number; partnership_id: number; role: Role; created_at: string },
): Promise<MembershipRow> {
  return db.insertInto("membership").values(m).returningAll().executeTakeFirstOrThrow();
}

/** Deletes one membership at a version; returns whether it did. @example await deleteMembership(trx, 4, 2); */
export async function deleteMembership(db: Executor, id: number, version: number): Promise<boolean> {
  const r = await db
    .deleteFrom("membership")
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** The membership of a user in a partnership, or undefined. @example const m = await findMembership(db, 3, 1); */
export async function findMembership(
  db: Executor,
  userId: number,
  partnershipId: number,
): Promise<MembershipRow | undefined> {
  return db
    .selectFrom("membership")
    .selectAll()
    .where("user_id", "=", userId)
    .where("partnership_id", "=", partnershipId)
    .executeTakeFirst();
}

/** A partnership by its (unique) name, or undefined. @example const p = await findPartnershipByName(db, "Coventry Partnership"); */
export async function findPartnershipByName(db: Executor, name: string): Promise<PartnershipRow | undefined> {
  return db.selectFrom("partnership").selectAll().where("name", "=", name).executeTakeFirst();
}

/** A partnership with its area's name. */
export interface PartnershipView {
  id: number;
  version: number;
  name: string;
  areaCode: string;
  areaName: string;
  memberCount: number;
}

/**
 * Partnerships, all or only the given ids, by name, with their area and member count.
 *
 * @example const visible = await listPartnerships(db, { ids: [1, 2] });
 */
export async function listPartnerships(
  db: Executor,
  filter: { ids?: number[] } = {},
): Promise<PartnershipView[]> {
  if (filter.ids && filter.ids.length === 0) return [];
  let q = db
    .selectFrom("partnership as p")
    .innerJoin("area as a", "a.code", "p.area_code")
    .select((eb) => [
      "p.id",
      "p.version",
      "p.name",
      "p.area_code as areaCode",
      "a.name as areaName",
      eb
        .selectFrom("membership as m")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("m.partnership_id", "=", "p.id")
        .as("memberCount"),
    ]);
  if (filter.ids) q = q.where("p.id", "in", filter.ids);
  const rows = await q.orderBy("p.name").execute();
  return rows.map((r) => ({ ...r, memberCount: Number(r.memberCount ?? 0) }));
}

/** @example const p = await insertPartnership(trx, { name: "Coventry Partnership", area_code: "E08000026", created_at: now, updated_at: now }); */
export async function insertPartnership(
  db: Executor,
  p: { name: string; area_code: string; created_at: string; updated_at: string },
): Promise<PartnershipRow> {
  return db.insertInto("partnership").values(p).returningAll().executeTakeFirstOrThrow();
}

/**
 * The area code of a partnership, or undefined: a single indexed read for hot paths.
 *
 * @example const areaCode = await partnershipAreaCode(db, 1); // "E08000026"
 */
export async function partnershipAreaCode(db: Executor, partnershipId: number): Promise<string | undefined> {
  const row = await db
    .selectFrom("partnership")
    .select("area_code")
    .where("id", "=", partnershipId)
    .executeTakeFirst();
  return row?.area_code;
}

/**
 * Display names of the users with these ids (ids that name nobody are left out).
 *
 * @example const names = await displayNamesByIds(db, [1, 4]); names.get(1) // "Ana Horvat"
 */
export async function displayNamesByIds(db: Executor, ids: readonly number[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .selectFrom("app_user")
    .select(["id", "display_name"])
    .where("id", "in", unique)
    .execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}
