import { THROTTLE } from "@fivestep/api";
import { type Database, deleteExpiredReportExports, pruneAuthTables } from "@fivestep/db";
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";

/**
 * How long sign-in attempts are kept: 25 hours, an hour more than the longest window the sign-in
 * throttle looks back over (24 hours).
 *
 * @example new Date(Date.now() - LOGIN_ATTEMPT_RETENTION_MS) // the oldest attempt kept
 */
export const LOGIN_ATTEMPT_RETENTION_MS = 25 * 60 * 60 * 1000;

/** How often the server prunes, by default: hourly. @example setInterval(prune, PRUNE_INTERVAL_MS) */
export const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Deletes the sessions expired by `now`, the sign-in attempts older than
 * `LOGIN_ATTEMPT_RETENTION_MS` before it, device cookies unused for longer than they are trusted,
 * and report exports' files past their expiry.
 *
 * @example await pruneAuthData(db);
 */
export async function pruneAuthData(db: Kysely<Database>, now: Date = new Date()): Promise<void> {
  await pruneAuthTables(
    db,
    now.toISOString(),
    new Date(now.getTime() - LOGIN_ATTEMPT_RETENTION_MS).toISOString(),
    new Date(now.getTime() - THROTTLE.deviceMs).toISOString(),
  );
  await deleteExpiredReportExports(db, now.toISOString());
}

/**
 * Prunes when the server is ready (before it answers), then every `intervalMs` on a timer that
 * never keeps the process alive and stops when the server closes. 0 runs no timer. A failed run
 * is logged and tried again next time; runs never overlap.
 *
 * @example startHousekeeping(app, db, PRUNE_INTERVAL_MS);
 */
export function startHousekeeping(app: FastifyInstance, db: Kysely<Database>, intervalMs: number): void {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const prune = () => {
    running ??= pruneAuthData(db)
      .catch((error: unknown) => app.log.warn({ err: error }, "pruning sessions and sign-in attempts failed"))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  app.addHook("onReady", async () => {
    await prune();
    if (intervalMs > 0) timer = setInterval(prune, intervalMs).unref();
  });
  app.addHook("onClose", async () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    await running;
  });
}
