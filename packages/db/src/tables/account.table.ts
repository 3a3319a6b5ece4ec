import type { Role, UserStatus } from "@fivestep/domain";
import type { Generated, Insertable, Selectable, Updateable } from "kysely";

/** `app_user`: a person who signs in. Never deleted once they have history; deactivated instead. */
export interface AppUserTable {
  id: Generated<number>;
  email: string;
  display_name: string;
  /** argon2id; null until an invited person sets a password. */
  password_hash: string | null;
  /** 0 or 1 (an integer on both engines, so both return the same shape). */
  is_admin: number;
  status: UserStatus;
  /** SHA-256 of the one-time invitation token. */
  invite_token_hash: string | null;
  invite_expires_at: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
  /** The language messages to this person are written in ("en-GB" or "hr-HR"). */
  locale: Generated<string>;
}
/** @example const u: AppUserRow = await db.selectFrom("app_user").selectAll().executeTakeFirstOrThrow(); */
export type AppUserRow = Selectable<AppUserTable>;
/** @example const n: NewAppUser = { email, display_name, password_hash: null, is_admin: 0, status: "invited", invite_token_hash: null, invite_expires_at: null, created_at: now, updated_at: now }; */
export type NewAppUser = Insertable<AppUserTable>;
/** @example const u: AppUserUpdate = { display_name: "Ana Horvat" }; */
export type AppUserUpdate = Updateable<AppUserTable>;

/** `partnership`: the bodies working together for one area. */
export interface PartnershipTable {
  id: Generated<number>;
  name: string;
  area_code: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}
/** @example const p: PartnershipRow = await db.selectFrom("partnership").selectAll().executeTakeFirstOrThrow(); */
export type PartnershipRow = Selectable<PartnershipTable>;

/** `membership`: a user's role in a partnership (one per pair). */
export interface MembershipTable {
  id: Generated<number>;
  user_id: number;
  partnership_id: number;
  role: Role;
  created_at: string;
  version: Generated<number>;
}
/** @example const m: MembershipRow = await db.selectFrom("membership").selectAll().executeTakeFirstOrThrow(); */
export type MembershipRow = Selectable<MembershipTable>;

/** `session`: a signed-in browser. The cookie holds a random token; only its SHA-256 is stored. */
export interface SessionTable {
  id_hash: string;
  user_id: number;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  ip: string | null;
  user_agent: string | null;
}
/** @example const s: SessionRow = await db.selectFrom("session").selectAll().executeTakeFirstOrThrow(); */
export type SessionRow = Selectable<SessionTable>;

/**
 * `login_attempt`: every sign-in (or password) attempt, for throttling shared by all server
 * instances. `account` is the email address tried (or a fixed key such as "invitation");
 * `outcome` is "pending" while the password is being checked, then "failed" or "succeeded".
 */
export interface LoginAttemptTable {
  id: Generated<number>;
  account: string;
  ip: string;
  device_hash: string | null;
  at: string;
  outcome: "pending" | "failed" | "succeeded";
}

/** `trusted_device`: a browser (by its device cookie's hash) that has signed in to an account. */
export interface TrustedDeviceTable {
  token_hash: string;
  user_id: number;
  created_at: string;
  last_used_at: string;
}

/** `audit_event`: who changed which record when, with before and after as JSON. */
export interface AuditEventTable {
  id: Generated<number>;
  at: string;
  actor_user_id: number | null;
  action: string;
  entity: string;
  entity_id: string;
  partnership_id: number | null;
  before_json: string | null;
  after_json: string | null;
  request_id: string | null;
  /** The API token that made the change (its creator is `actor_user_id`), or null. */
  actor_token_id: Generated<number | null>;
}
/** @example const e: AuditEventRow = await db.selectFrom("audit_event").selectAll().executeTakeFirstOrThrow(); */
export type AuditEventRow = Selectable<AuditEventTable>;
