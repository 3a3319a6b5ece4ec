import {
  createDb,
  type Database,
  finishJob,
  jobCancelRequested,
  nowIso,
  updateJobProgress,
} from "@fivestep/db";
import type { Kysely } from "kysely";
import PgBoss from "pg-boss";
import type { JobKinds, JobProgress } from "./kinds.ts";
import { defaultInstanceName, type JobRunner, recordJob, runRecordedJob } from "./runner.ts";

/** Options for `createPgBossJobRunner`. */
export interface PgBossRunnerOptions {
  /** The database the work writes through. */
  db: Kysely<Database>;
  /** The same database's postgres:// URL: pg-boss and the progress pool connect with it. */
  url: string;
  kinds: JobKinds;
  instance?: string;
  /** pg-boss's own schema (default "pgboss"); Fivestep's tables are never in it. */
  schema?: string;
  /**
   * How long a job may stay active before the queue takes its runner for dead and retries it
   * (default 15 minutes; tests make it short).
   */
  expireInSeconds?: number;
  /** How often pg-boss looks for expired jobs (default 60 s). */
  maintenanceIntervalSeconds?: number;
  /** How many times a job whose runner died is tried again (default 2). */
  retryLimit?: number;
  /** How often an idle worker asks for work (default 2 s). */
  pollingIntervalSeconds?: number;
  /** Least time between two progress writes of one job, in ms (default 250). */
  progressEveryMs?: number;
}

/**
 * The runner for PostgreSQL, where any number of instances share the database: pg-boss queues the
 * jobs (one queue per kind, in its own schema) and hands each to one instance; Fivestep's `job`
 * row holds what people see. Progress is written to the row through a small pool of its own, so
 * other instances see it move while the job's transaction runs on the main pool. A job whose
 * instance died stays active in pg-boss until it expires; pg-boss then retries it on a live
 * instance (the dead one's transaction was rolled back), and its row counts the attempt.
 * Work that throws fails its job (no retry: a bad file stays bad).
 *
 * @example
 * const jobs = createPgBossJobRunner({ db, url: process.env.DATABASE_URL, kinds });
 * await jobs.start();
 */
export function createPgBossJobRunner(o: PgBossRunnerOptions): JobRunner {
  const instance = o.instance ?? defaultInstanceName();
  const boss = new PgBoss({
    connectionString: o.url,
    schema: o.schema ?? "pgboss",
    max: 3,
    application_name: `fivestep-jobs ${instance}`.slice(0, 63),
    supervise: true,
    schedule: false,
    maintenanceIntervalSeconds: o.maintenanceIntervalSeconds ?? 60,
  });
  // pg-boss reports connection trouble as events; without a listener Node would crash the process.
  boss.on("error", () => {});
  const progressDb = createDb(o.url, { poolSize: 2 });
  const live = new Map<number, JobProgress>();
  const running = new Set<Promise<unknown>>();
  const queued = new Set<number>();
  const cancelled = new Set<number>();
  const everyMs = o.progressEveryMs ?? 250;

  /** Writes a job's progress, at most every `everyMs`, one write at a time, the latest last. */
  function progressWriter(jobId: number) {
    let lastWrite = 0;
    let writing: Promise<unknown> = Promise.resolve();
    let waiting: JobProgress | null = null;
    let timer: NodeJS.Timeout | null = null;
    const write = (): Promise<unknown> => {
      const p = waiting;
      waiting = null;
      if (!p) return Promise.resolve();
      lastWrite = Date.now();
      return updateJobProgress(progressDb, jobId, {
        done: p.done,
        total: p.total,
        message: p.message ?? null,
        at: nowIso(),
      }).catch(() => false);
    };
    return {
      report(p: JobProgress) {
        live.set(jobId, p);
        waiting = p;
        if (timer) return;
        timer = setTimeout(
          () => {
            timer = null;
            writing = writing.then(write);
          },
          Math.max(0, everyMs - (Date.now() - lastWrite)),
        );
      },
      flush() {
        if (timer) clearTimeout(timer);
        timer = null;
        writing = writing.then(write);
        return writing;
      },
    };
  }

  /**
   * Whether a job was asked to stop: here, or (read through the progress pool, at most every
   * `everyMs`) on its row by whichever instance answered the request.
   */
  function cancelCheck(jobId: number) {
    let lastRead = 0;
    return async () => {
      if (cancelled.has(jobId)) return true;
      if (Date.now() - lastRead < everyMs) return false;
      lastRead = Date.now();
      if (await jobCancelRequested(progressDb, jobId).catch(() => false)) cancelled.add(jobId);
      return cancelled.has(jobId);
    };
  }

  async function handle(jobId: number): Promise<void> {
    const writer = progressWriter(jobId);
    try {
      await runRecordedJob({
        db: o.db,
        rowDb: progressDb,
        kinds: o.kinds,
        jobId,
        instance,
        report: (p) => writer.report(p),
        cancelRequested: cancelCheck(jobId),
      });
      await writer.flush();
    } finally {
      live.delete(jobId);
      cancelled.delete(jobId);
      queued.delete(jobId);
    }
  }

  let started = false;
  return {
    instance,
    async enqueue(job, onRecorded) {
      const id = await recordJob(o.db, o.kinds, job, onRecorded);
      queued.add(id);
      try {
        const sent = await boss.send(job.kind, { jobId: id });
        if (sent === null) throw new Error("The queue refused the job");
      } catch (error) {
        queued.delete(id);
        await finishJob(o.db, id, {
          state: "failed",
          result: null,
          error: `Could not queue the job: ${error instanceof Error ? error.message : String(error)}`,
          at: nowIso(),
        });
        throw error;
      }
      return id;
    },
    liveProgress: (jobId) => live.get(jobId) ?? null,
    cancel(jobId) {
      if (live.has(jobId)) cancelled.add(jobId);
    },
    async start() {
      if (started) return;
      started = true;
      await boss.start();
      for (const name of o.kinds.keys()) {
        await boss.createQueue(name, {
          name,
          retryLimit: o.retryLimit ?? 2,
          expireInSeconds: o.expireInSeconds ?? 15 * 60,
        });
        await boss.work<{ jobId: number }>(
          name,
          { batchSize: 1, pollingIntervalSeconds: o.pollingIntervalSeconds ?? 2 },
          async ([job]) => {
            if (!job) return;
            const done = handle(job.data.jobId);
            running.add(done);
            try {
              await done;
            } finally {
              running.delete(done);
            }
          },
        );
      }
    },
    async stop() {
      if (started) await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
      await Promise.allSettled([...running]);
      await progressDb.destroy();
    },
    async idle() {
      // Jobs this process queued may run on another instance: wait until their rows finish.
      while (queued.size > 0 || running.size > 0) {
        await Promise.allSettled([...running]);
        if (queued.size > 0) await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}
