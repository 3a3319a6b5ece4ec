import {
  type AttemptHistory,
  type AttemptKey,
  claimLoginAttempt,
  type Database,
  isTrustedDevice,
  settleLoginAttempt,
} from "@fivestep/db";
import { TRPCError } from "@trpc/server";
import type { Kysely } from "kysely";
import { sha256 } from "./password.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The limits on password attempts (sign-in, password change, invitation acceptance):
 * - **pair** (this account from this address, or from this trusted browser): `free` failures in a
 *   row, then each further attempt waits `baseDelayMs`, doubling with each failure up to
 *   `maxDelayMs`; a success starts the count again. A guesser elsewhere never slows the owner.
 * - **account**: at most `ceiling` failures a day from all addresses together, except from a
 *   browser that has signed in to the account before (its device cookie).
 * - **address**: at most `ceiling` failures an hour from one address across all accounts (one
 *   address spraying many accounts), again except from a trusted browser.
 *
 * @example THROTTLE.pair.free // 5
 */
export const THROTTLE = {
  pair: { free: 5, baseDelayMs: 30_000, maxDelayMs: 15 * MINUTE, memoryMs: DAY },
  account: { ceiling: 100, windowMs: DAY },
  address: { ceiling: 100, windowMs: HOUR },
  /** How long a device cookie is kept and trusted without use. */
  deviceMs: 365 * DAY,
} as const;

/** Which limit refused an attempt. */
export type ThrottleScope = "pair" | "account" | "address";

/** Why an attempt was refused and when the next one may be made. */
export interface ThrottleRefusal {
  scope: ThrottleScope;
  retryAfterSeconds: number;
}

/**
 * How long the pair must wait after its `failures`-th failure in a row: nothing for the first
 * `free`, then 30 s, 1 min, 2 min … up to 15 min.
 *
 * @example pairDelayMs(5) // 30_000
 */
export function pairDelayMs(failures: number): number {
  const { free, baseDelayMs, maxDelayMs } = THROTTLE.pair;
  if (failures < free) return 0;
  return Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(failures - free, 20));
}

/**
 * Judges one attempt against its history at time `now` (ms): null to let it through, else the
 * refusal with the seconds to wait. Pure, so the limits are tested without waiting.
 *
 * @example judgeAttempt(history, Date.now(), { trustedDevice: false }) // null, or { scope: "pair", retryAfterSeconds: 30 }
 */
export function judgeAttempt(
  h: AttemptHistory,
  now: number,
  o: { trustedDevice: boolean; accountCeiling?: boolean },
): ThrottleRefusal | null {
  const wait = (until: number, scope: ThrottleScope): ThrottleRefusal | null =>
    until > now ? { scope, retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) } : null;
  if (h.pairFailures >= THROTTLE.pair.free && h.pairLastFailureAt) {
    const refused = wait(Date.parse(h.pairLastFailureAt) + pairDelayMs(h.pairFailures), "pair");
    if (refused) return refused;
  }
  if (o.trustedDevice) return null;
  if (o.accountCeiling !== false && h.accountFailures >= THROTTLE.account.ceiling && h.accountOldestCounted) {
    const refused = wait(Date.parse(h.accountOldestCounted) + THROTTLE.account.windowMs, "account");
    if (refused) return refused;
  }
  if (h.addressFailures >= THROTTLE.address.ceiling && h.addressOldestCounted) {
    const refused = wait(Date.parse(h.addressOldestCounted) + THROTTLE.address.windowMs, "address");
    if (refused) return refused;
  }
  return null;
}

/** The cause of a TOO_MANY_REQUESTS answer: the error formatter and the Retry-After header read it. */
export class ThrottledError extends Error {
  constructor(readonly refusal: ThrottleRefusal) {
    super("Too many failed attempts");
    this.name = "ThrottledError";
  }
}

function waitWords(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

const MESSAGES: Record<ThrottleScope, string> = {
  pair: "Too many failed attempts. Try again in {wait}.",
  account:
    "Too many failed sign-in attempts for this account today. Sign in from a browser you have used before, try again in {wait}, or ask an administrator to help.",
  address: "Too many failed sign-in attempts from your network address. Try again in {wait}.",
};

/**
 * The TOO_MANY_REQUESTS error for a refusal; its cause carries the scope and seconds to wait.
 *
 * @example throw throttled({ scope: "pair", retryAfterSeconds: 30 });
 */
export function throttled(refusal: ThrottleRefusal): TRPCError {
  return new TRPCError({
    code: "TOO_MANY_REQUESTS",
    message: MESSAGES[refusal.scope].replace("{wait}", waitWords(refusal.retryAfterSeconds)),
    cause: new ThrottledError(refusal),
  });
}

/** A claimed attempt: settle it once the password has been checked. */
export interface ClaimedAttempt {
  settle(succeeded: boolean): Promise<void>;
}

/**
 * Claims one password attempt for an account from an address (and browser): recorded before the
 * password is checked, or refused with TOO_MANY_REQUESTS and the time to wait.
 *
 * @example
 * const attempt = await claimAttempt(ctx.db, { account: email, ip: ctx.ip, deviceToken, now: ctx.clock() });
 * const ok = await verifyPassword(hash, password);
 * await attempt.settle(ok);
 */
export async function claimAttempt(
  db: Kysely<Database>,
  a: { account: string; ip: string; deviceToken: string | null; now: number; accountCeiling?: boolean },
): Promise<ClaimedAttempt> {
  const iso = (ms: number) => new Date(ms).toISOString();
  const deviceHash = a.deviceToken ? sha256(a.deviceToken) : null;
  const trustedDevice =
    deviceHash !== null && (await isTrustedDevice(db, deviceHash, a.account, iso(a.now - THROTTLE.deviceMs)));
  const key: AttemptKey = { account: a.account, ip: a.ip, deviceHash: trustedDevice ? deviceHash : null };
  const claim = await claimLoginAttempt(
    db,
    key,
    iso(a.now),
    {
      pairSince: iso(a.now - THROTTLE.pair.memoryMs),
      accountSince: iso(a.now - THROTTLE.account.windowMs),
      accountLimit: THROTTLE.account.ceiling,
      addressSince: iso(a.now - THROTTLE.address.windowMs),
      addressLimit: THROTTLE.address.ceiling,
    },
    (h) =>
      judgeAttempt(h, a.now, {
        trustedDevice,
        ...(a.accountCeiling === undefined ? {} : { accountCeiling: a.accountCeiling }),
      }),
  );
  if ("refused" in claim) throw throttled(claim.refused);
  return { settle: (succeeded) => settleLoginAttempt(db, claim.id, succeeded) };
}
