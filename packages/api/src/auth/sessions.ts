import {
  createSession,
  type Database,
  findSessionWithMemberships,
  listMemberships,
  nowIso,
  touchSession,
} from "@fivestep/db";
import type { CurrentUser } from "@fivestep/domain";
import type { Kysely } from "kysely";
import { randomToken, sha256 } from "./password.ts";

/** The session cookie's name. @example reply.setCookie(SESSION_COOKIE, token, …) */
export const SESSION_COOKIE = "fivestep_session";

/**
 * The device cookie's name: a random token marking a browser that has signed in to an account
 * before, so sign-in throttling can tell its owner from a guesser. It grants nothing by itself.
 *
 * @example const deviceToken = req.cookies[DEVICE_COOKIE] ?? null;
 */
export const DEVICE_COOKIE = "fivestep_device";

/** How long a session lasts without use: 12 hours, renewed as it is used. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** A signed-in request's session: the user with their memberships, and the session's hash. */
export interface SessionInfo {
  user: CurrentUser;
  idHash: string;
}

const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/**
 * Starts a session for a user and returns the token for the cookie (only its hash is stored).
 *
 * @example const token = await startSession(db, user.id, { ip, userAgent });
 */
export async function startSession(
  db: Kysely<Database>,
  userId: number,
  meta: { ip: string | null; userAgent: string | null },
): Promise<string> {
  const token = randomToken();
  const now = nowIso();
  await createSession(db, {
    idHash: sha256(token),
    userId,
    expiresAt: plus(now, SESSION_TTL_MS),
    now,
    ...meta,
  });
  return token;
}

/**
 * The session a cookie token names, if it is unexpired and its user active; renews the expiry
 * when more than a minute has passed since it was last seen. The session, its user and the
 * user's memberships are read in one query on every call, never remembered between requests: a
 * sign-out, a revoked session or a changed role on any server instance counts from the next request.
 *
 * @example const session = token ? await resolveSession(db, token) : null;
 */
export async function resolveSession(db: Kysely<Database>, token: string): Promise<SessionInfo | null> {
  if (token.length < 20 || token.length > 100) return null;
  const idHash = sha256(token);
  const now = nowIso();
  const found = await findSessionWithMemberships(db, idHash, now);
  if (!found) return null;
  if (Date.parse(now) - Date.parse(found.lastSeenAt) > 60_000) {
    await touchSession(db, idHash, now, plus(now, SESSION_TTL_MS));
  }
  const { user } = found;
  return {
    idHash,
    user: {
      id: user.id,
      email: user.email,
      displayName: user.display_name,
      isAdmin: user.is_admin === 1,
      memberships: found.memberships,
    },
  };
}

/**
 * The apps' view of a user: identity, administrator flag and memberships.
 *
 * @example const me = await currentUser(db, userRow);
 */
export async function currentUser(
  db: Kysely<Database>,
  user: { id: number; email: string; display_name: string; is_admin: number },
): Promise<CurrentUser> {
  const memberships = await listMemberships(db, { userId: user.id });
  return {
    id: user.id,
    email: user.email,
    displayName: user.display_name,
    isAdmin: user.is_admin === 1,
    memberships: memberships.map((m) => ({
      partnershipId: m.partnershipId,
      partnershipName: m.partnershipName,
      role: m.role,
    })),
  };
}
