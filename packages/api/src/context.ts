import type { Database } from "@fivestep/db";
import type { Kysely } from "kysely";

/** The few logger methods procedures use; pino's logger satisfies it. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** What every procedure can reach. */
export interface Context {
  db: Kysely<Database>;
  log: Logger;
  requestId: string;
}

const silent: Logger = { info() {}, warn() {}, error() {} };

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
}): Context {
  return { db: opts.db, log: opts.log ?? silent, requestId: opts.requestId ?? "internal" };
}
