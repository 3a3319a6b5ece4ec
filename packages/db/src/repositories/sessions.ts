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

/** Deletes expired sessions and sign-in attempts older than `before`. @example await pruneAuthTables(db, nowIso(), dayAgo); */
export async function pruneAuthTables(db: Executor, now: string, attemptsBefore: string): Promise<void> {
  await db.deleteFrom("session").where("expires_at", "<=", now).execute();
  await db.deleteFrom("login_attempt").where("at", "<", attemptsBefore).execute();
}

/** @example await recordLoginAttempt(db, { email, ip, at: nowIso(), succeeded: false }); */
export async function recordLoginAttempt(
  db: Executor,
  a: { email: string; ip: string; at: string; succeeded: boolean },
): Promise<void> {
  await db
    .insertInto("login_attempt")
    .values({ email: a.email, ip: a.ip, at: a.at, succeeded: a.succeeded ? 1 : 0 })
    .execute();
}

/**
 * Failed sign-in attempts since `since` for an account and from an address, and the time of the
 * oldest failure counted for each (to say when the user may try again).
 *
 * @example const { byEmail, byIp } = await recentFailures(db, { email, ip, since });
 */
export async function recentFailures(
  db: Executor,
  q: { email: string; ip: string; since: string },
): Promise<{ byEmail: number; byIp: number; oldestEmail: string | null; oldestIp: string | null }> {
  const count = async (column: "email" | "ip", value: string) => {
    const row = await db
      .selectFrom("login_attempt")
      .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.min("at").as("oldest")])
      .where(column, "=", value)
      .where("succeeded", "=", 0)
      .where("at", ">", q.since)
      .executeTakeFirstOrThrow();
    return { n: Number(row.n), oldest: (row.oldest as string | null) ?? null };
  };
  const e = await count("email", q.email);
  const i = await count("ip", q.ip);
  return { byEmail: e.n, byIp: i.n, oldestEmail: e.oldest, oldestIp: i.oldest };
}
