import type { Role } from "@fivestep/domain";
import { preparedStatement } from "../create-db.ts";
import type { Executor } from "../database.ts";
import type { AppUserRow, SessionRow } from "../tables/account.table.ts";

/**
 * Stores a new session (the token's hash, never the token).
 *
 * @example await createSession(db, { idHash, userId: 3, expiresAt, ip: "127.0.0.1", userAgent: "…", now });
 */
export async function createSession(
  db: Executor,
  s: {
    idHash: string;
    userId: number;
    expiresAt: string;
    ip: string | null;
    userAgent: string | null;
    now: string;
  },
): Promise<void> {
  await db
    .insertInto("session")
    .values({
      id_hash: s.idHash,
      user_id: s.userId,
      created_at: s.now,
      expires_at: s.expiresAt,
      last_seen_at: s.now,
      ip: s.ip,
      user_agent: s.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
}

/**
 * The unexpired session with this hash and its active user, or undefined.
 *
 * @example const found = await findSession(db, idHash, nowIso());
 */
export async function findSession(
  db: Executor,
  idHash: string,
  now: string,
): Promise<{ session: SessionRow; user: AppUserRow } | undefined> {
  const session = await db
    .selectFrom("session")
    .selectAll()
    .where("id_hash", "=", idHash)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  if (!session) return undefined;
  const user = await db
    .selectFrom("app_user")
    .selectAll()
    .where("id", "=", session.user_id)
    .where("status", "=", "active")
    .executeTakeFirst();
  return user ? { session, user } : undefined;
}

/** An unexpired session of an active user, with that user's memberships, read in one query. */
export interface SessionWithMemberships {
  lastSeenAt: string;
  user: { id: number; email: string; display_name: string; is_admin: number };
  /** Ordered by partnership name (then membership id), as `listMemberships` orders them. */
  memberships: Array<{ partnershipId: number; partnershipName: string; role: Role }>;
}

/**
 * The unexpired session with this hash, its active user and the user's memberships, in one
 * indexed query (a row per membership; a user with none gives one row), prepared once per
 * PostgreSQL connection. Every signed-in request
 * makes it, so sign-outs, revocations and membership changes made by any server instance take
 * effect at once, at one round trip to the database.
 *
 * @example const found = await findSessionWithMemberships(db, idHash, nowIso());
 */
export async function findSessionWithMemberships(
  db: Executor,
  idHash: string,
  now: string,
): Promise<SessionWithMemberships | undefined> {
  const rows = await db
    .selectFrom("session as s")
    .innerJoin("app_user as u", "u.id", "s.user_id")
    .leftJoin("membership as m", "m.user_id", "u.id")
    .leftJoin("partnership as p", "p.id", "m.partnership_id")
    .select([
      "s.last_seen_at",
      "u.id",
      "u.email",
      "u.display_name",
      "u.is_admin",
      "m.id as membership_id",
      "m.partnership_id",
      "m.role",
      "p.name as partnership_name",
    ])
    .where("s.id_hash", "=", idHash)
    .where("s.expires_at", ">", now)
    .where("u.status", "=", "active")
    .orderBy("p.name")
    .orderBy("m.id")
    .modifyEnd(preparedStatement("session-with-memberships"))
    .execute();
  const first = rows[0];
  if (!first) return undefined;
  const memberships: SessionWithMemberships["memberships"] = [];
  for (const r of rows) {
    if (r.membership_id === null || r.partnership_id === null || r.role === null) continue;
    memberships.push({
      partnershipId: r.partnership_id,
      partnershipName: r.partnership_name ?? "",
      role: r.role,
    });
  }
  return {
    lastSeenAt: first.last_seen_at,
    user: { id: first.id, email: first.email, display_name: first.display_name, is_admin: first.is_admin },
    memberships,
  };
}

/** Slides a session's expiry forward. @example await touchSession(db, idHash, now, newExpiry); */
export async function touchSession(
  db: Executor,
  idHash: string,
  now: string,
  expiresAt: string,
): Promise<void> {
  await db
    .updateTable("session")
    .set({ last_seen_at: now, expires_at: expiresAt })
    .where("id_hash", "=", idHash)
    .execute();
}

/** @example await deleteSession(db, idHash); */
export async function deleteSession(db: Executor, idHash: string): Promise<void> {
  await db.deleteFrom("session").where("id_hash", "=", idHash).execute();
}

/**
 * Ends every session of a user, except one (the one changing the password keeps working).
 *
 * @example await deleteUserSessions(trx, userId, currentIdHash);
 */
export async function deleteUserSessions(
  db: Executor,
  userId: number,
  exceptIdHash?: string,
): Promise<number> {
  let q = db.deleteFrom("session").where("user_id", "=", userId);
  if (exceptIdHash) q = q.where("id_hash", "!=", exceptIdHash);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * Deletes expired sessions, sign-in attempts older than `attemptsBefore`, and device cookies not
 * used since `devicesBefore` (when given).
 *
 * @example await pruneAuthTables(db, nowIso(), dayAndAnHourAgo, yearAgo);
 */
export async function pruneAuthTables(
  db: Executor,
  now: string,
  attemptsBefore: string,
  devicesBefore?: string,
): Promise<void> {
  await db.deleteFrom("session").where("expires_at", "<=", now).execute();
  await db.deleteFrom("login_attempt").where("at", "<", attemptsBefore).execute();
  if (devicesBefore)
    await db.deleteFrom("trusted_device").where("last_used_at", "<", devicesBefore).execute();
}
