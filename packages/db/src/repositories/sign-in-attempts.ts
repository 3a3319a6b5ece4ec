import { type Kysely, sql } from "kysely";
import type { Database, Executor } from "../database.ts";
import { isPostgres } from "../migrations/helpers.ts";

/** Who is trying: the account (an email address, or a fixed key such as "invitation"), from where. */
export interface AttemptKey {
  account: string;
  ip: string;
  /** The hash of the browser's device cookie when it is trusted for this account, else null. */
  deviceHash: string | null;
}

/**
 * What the throttle judges an attempt by. "Failures" include attempts still being checked, so
 * concurrent attempts count at once.
 */
export interface AttemptHistory {
  /**
   * Failures for this account from this address (or, for a trusted device, from this device)
   * since the last success of the same pair and since `pairSince`.
   */
  pairFailures: number;
  /** When the newest of those was made. */
  pairLastFailureAt: string | null;
  /** Failures for this account from anywhere since `accountSince`, counted up to `accountLimit`. */
  accountFailures: number;
  /** With `accountLimit` reached, the time of the oldest failure counted (when it ages out, one more may try). */
  accountOldestCounted: string | null;
  /** Failures from this address for any account since `addressSince`, counted up to `addressLimit`. */
  addressFailures: number;
  /** As `accountOldestCounted`, for the address. */
  addressOldestCounted: string | null;
}

/** The windows and ceilings the history is read for. */
export interface HistoryWindows {
  pairSince: string;
  accountSince: string;
  accountLimit: number;
  addressSince: string;
  addressLimit: number;
}

// Advisory lock classes on PostgreSQL: one for accounts, one for addresses. Every claim takes the
// account's lock before the address's, so two claims can never wait on each other in a cycle.
const ACCOUNT_LOCK = 1;
const ADDRESS_LOCK = 2;

async function history(trx: Executor, key: AttemptKey, w: HistoryWindows): Promise<AttemptHistory> {
  const pair = trx
    .selectFrom("login_attempt")
    .where("account", "=", key.account)
    .where((eb) => (key.deviceHash ? eb("device_hash", "=", key.deviceHash) : eb("ip", "=", key.ip)));
  const lastSuccess = await pair
    .select((eb) => eb.fn.max("at").as("at"))
    .where("outcome", "=", "succeeded")
    .executeTakeFirst();
  const since =
    lastSuccess?.at && (lastSuccess.at as string) > w.pairSince ? (lastSuccess.at as string) : w.pairSince;
  const failures = await pair
    .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.max("at").as("last")])
    .where("outcome", "!=", "succeeded")
    .where("at", ">", since)
    .executeTakeFirstOrThrow();
  // The newest `limit` failures; the last of them is the one that must age out first.
  const newest = async (column: "account" | "ip", value: string, after: string, limit: number) => {
    const rows = await trx
      .selectFrom("login_attempt")
      .select("at")
      .where(column, "=", value)
      .where("outcome", "!=", "succeeded")
      .where("at", ">", after)
      .orderBy("at", "desc")
      .limit(limit)
      .execute();
    return { n: rows.length, oldest: rows.length >= limit ? (rows.at(-1)?.at ?? null) : null };
  };
  const account = await newest("account", key.account, w.accountSince, w.accountLimit);
  const address = await newest("ip", key.ip, w.addressSince, w.addressLimit);
  return {
    pairFailures: Number(failures.n),
    pairLastFailureAt: (failures.last as string | null) ?? null,
    accountFailures: account.n,
    accountOldestCounted: account.oldest,
    addressFailures: address.n,
    addressOldestCounted: address.oldest,
  };
}

/**
 * Records an attempt as "pending" *before* its password is checked, if `decide` allows it given
 * the history: one transaction holding the account's and the address's locks (advisory locks on
 * PostgreSQL; SQLite runs one transaction at a time), so concurrent attempts — batched or from
 * several server instances — are counted one after another and never exceed the limits. A refused
 * attempt is not recorded.
 *
 * @example
 * const claim = await claimLoginAttempt(db, key, now, windows, (h) => judge(h));
 * if ("refused" in claim) throw tooMany(claim.refused);
 * // …check the password, then:
 * await settleLoginAttempt(db, claim.id, ok);
 */
export async function claimLoginAttempt<R>(
  db: Kysely<Database>,
  key: AttemptKey,
  at: string,
  windows: HistoryWindows,
  decide: (history: AttemptHistory) => R | null,
): Promise<{ id: number } | { refused: R }> {
  return db.transaction().execute(async (trx) => {
    if (isPostgres(trx)) {
      await sql`select pg_advisory_xact_lock(${ACCOUNT_LOCK}, hashtext(${key.account}))`.execute(trx);
      await sql`select pg_advisory_xact_lock(${ADDRESS_LOCK}, hashtext(${key.ip}))`.execute(trx);
    }
    const refused = decide(await history(trx, key, windows));
    if (refused !== null) return { refused };
    const row = await trx
      .insertInto("login_attempt")
      .values({ account: key.account, ip: key.ip, device_hash: key.deviceHash, at, outcome: "pending" })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { id: Number(row.id) };
  });
}

/** Marks a claimed attempt as failed or succeeded. @example await settleLoginAttempt(db, claim.id, false); */
export async function settleLoginAttempt(db: Executor, id: number, succeeded: boolean): Promise<void> {
  await db
    .updateTable("login_attempt")
    .set({ outcome: succeeded ? "succeeded" : "failed" })
    .where("id", "=", id)
    .execute();
}

/**
 * Remembers that the browser holding this device cookie (by its hash) has signed in to the user's
 * account, or refreshes when it last did.
 *
 * @example await trustDevice(db, sha256(deviceToken), user.id, nowIso());
 */
export async function trustDevice(
  db: Executor,
  tokenHash: string,
  userId: number,
  now: string,
): Promise<void> {
  await db
    .insertInto("trusted_device")
    .values({ token_hash: tokenHash, user_id: userId, created_at: now, last_used_at: now })
    .onConflict((oc) => oc.columns(["token_hash", "user_id"]).doUpdateSet({ last_used_at: now }))
    .execute();
}

/**
 * True when the browser with this device cookie (by its hash) has signed in to the account with
 * this email address since `since`.
 *
 * @example if (await isTrustedDevice(db, sha256(cookie), "lead@coventry.example", yearAgo)) …
 */
export async function isTrustedDevice(
  db: Executor,
  tokenHash: string,
  email: string,
  since: string,
): Promise<boolean> {
  const row = await db
    .selectFrom("trusted_device")
    .innerJoin("app_user", "app_user.id", "trusted_device.user_id")
    .select("trusted_device.user_id")
    .where("trusted_device.token_hash", "=", tokenHash)
    .where("app_user.email", "=", email)
    .where("trusted_device.last_used_at", ">", since)
    .executeTakeFirst();
  return row !== undefined;
}
