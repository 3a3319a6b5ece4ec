import type { Database } from "@fivestep/db";
import type { Kysely } from "kysely";
import type { SessionInfo } from "./auth/sessions.ts";
import type { TokenInfo } from "./auth/tokens.ts";
import { JOB_KINDS } from "./jobs/registry.ts";
import { defaultJobRunner, type JobRunner } from "./jobs/runner.ts";

/** The few logger methods procedures use; pino's logger satisfies it. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** How procedures set and clear the session cookie; the HTTP adapter supplies it. */
export interface CookieJar {
  setSession(token: string, maxAgeMs: number): void;
  clearSession(): void;
  /** Sets the long-lived device cookie that marks a browser as one that has signed in before. */
  setDevice(token: string, maxAgeMs: number): void;
}

/** What every procedure can reach. */
export interface Context {
  db: Kysely<Database>;
  log: Logger;
  requestId: string;
  /** The signed-in session, or null for anonymous requests. */
  session: SessionInfo | null;
  /**
   * The API token the request was authenticated with (`Authorization: Bearer`), or null. With a
   * token, `session` is the one it acts through: its creator, narrowed to the token's partnership.
   */
  token: TokenInfo | null;
  /** The client's address (for sign-in rate limits). */
  ip: string;
  userAgent: string | null;
  cookies: CookieJar;
  /** The browser's device cookie (see `CookieJar.setDevice`), or null. */
  deviceToken: string | null;
  /** The time now in milliseconds; tests pass their own clock so throttling needs no waiting. */
  clock: () => number;
  /** Runs work that outlives the request (see `JobRunner`). */
  jobs: JobRunner;
}

const silent: Logger = { info() {}, warn() {}, error() {} };
const noCookies: CookieJar = { setSession() {}, clearSession() {}, setDevice() {} };

/**
 * The part of the context that does not depend on HTTP, so tests build it directly and call the
 * real router with `createCaller`.
 *
 * @example
 * const caller = createCaller(createContextInner({ db: await createTestDb({ demo: true }) }));
 */
export function createContextInner(opts: {
  db: Kysely<Database>;
  log?: Logger;
  requestId?: string;
  session?: SessionInfo | null;
  token?: TokenInfo | null;
  ip?: string;
  userAgent?: string | null;
  cookies?: CookieJar;
  deviceToken?: string | null;
  clock?: () => number;
  /** Default: one in-process runner per database (what tests and single-instance SQLite use). */
  jobs?: JobRunner;
}): Context {
  return {
    db: opts.db,
    log: opts.log ?? silent,
    requestId: opts.requestId ?? "internal",
    session: opts.session ?? null,
    token: opts.token ?? null,
    ip: opts.ip ?? "127.0.0.1",
    userAgent: opts.userAgent ?? null,
    cookies: opts.cookies ?? noCookies,
    deviceToken: opts.deviceToken ?? null,
    clock: opts.clock ?? Date.now,
    jobs: opts.jobs ?? defaultJobRunner(opts.db, JOB_KINDS),
  };
}
