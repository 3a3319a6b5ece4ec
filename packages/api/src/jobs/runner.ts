import { hostname } from "node:os";
import {
  createDb,
  type Database,
  failUnfinishedJobs,
  findJob,
  finishCancelledJob,
  finishJob,
  insertJob,
  markJobRunning,
  nowIso,
  updateJobProgress,
} from "@fivestep/db";
import type { Kysely, Transaction } from "kysely";
import { JobCancelledError, type JobKinds, type JobProgress, jobActor } from "./kinds.ts";

/** What starting a job asks for. */
export interface EnqueueJob {
  kind: string;
  /** Checked against the kind's payload schema. */
  payload: unknown;
  startedBy: number | null;
  /** The request that starts it (its audit entries carry this id). */
  requestId?: string;
}

/**
 * Runs inside the transaction that records the job, with its id: the caller's audit entry for
 * starting it, so the row and the entry are written together or not at all.
 */
export type OnRecorded = (trx: Transaction<Database>, jobId: number) => Promise<void>;

/**
 * Runs jobs: records each on the `job` table, queues it, runs its kind's work, and keeps its
 * progress where readers find it. Two implementations: `createInProcessJobRunner` (SQLite: one
 * instance, one writer; progress in memory, the row written at start and end) and
 * `createPgBossJobRunner` (PostgreSQL: queued by pg-boss, progress written to the row through a
 * pool of its own while the job's transaction runs).
 */
export interface JobRunner {
  /** This process's name on the rows of jobs it runs. */
  readonly instance: string;
  /** Records and queues a job; returns its id. Throws on an unknown kind or a bad payload. */
  enqueue(job: EnqueueJob, onRecorded?: OnRecorded): Promise<number>;
  /** The latest progress this process holds for a running job (SQLite keeps it only here), or null. */
  liveProgress(jobId: number): JobProgress | null;
  /**
   * Tells this process that a job was asked to stop (the caller has marked, or is marking, its row
   * "cancelled"): its work stops at its next checkpoint. Runners on other instances learn it
   * from the row.
   */
  cancel(jobId: number): void;
  /** Recovers what a dead process left and begins taking jobs. */
  start(): Promise<void>;
  /** Stops taking jobs and waits for the running ones. */
  stop(): Promise<void>;
  /** Resolves when this process has no job queued or running (tests and the CLI wait on it). */
  idle(): Promise<void>;
}

/** The error a job left by a dead process gets on SQLite. */
export const INTERRUPTED_BY_RESTART = "Interrupted by a restart: start it again";

/** A name for this process: host and process id. @example defaultInstanceName() // "web-1:4242" */
export function defaultInstanceName(): string {
  return `${hostname()}:${process.pid}`;
}

/** A job's error for people: the error's message, never its stack. */
function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.slice(0, 2000) || "The job failed";
}

/**
 * Runs one job already recorded: marks it running (false when it had finished: nothing to do),
 * runs its kind's work with `progress` reporting through `report`, and finishes the row with the
 * result or the error. Shared by both runners.
 */
export async function runRecordedJob(o: {
  db: Kysely<Database>;
  /** Where the row's start, progress and end are written (PostgreSQL: a pool of its own). */
  rowDb: Kysely<Database>;
  kinds: JobKinds;
  jobId: number;
  instance: string;
  report: (p: JobProgress) => void;
  /** Whether the job has been asked to stop (checked at the work's checkpoints). */
  cancelRequested: () => boolean | Promise<boolean>;
}): Promise<boolean> {
  const job = await findJob(o.rowDb, o.jobId);
  if (!job || !(await markJobRunning(o.rowDb, o.jobId, { instance: o.instance, at: nowIso() }))) return false;
  let last: JobProgress = { done: 0, total: null, message: null };
  const progress = (p: JobProgress) => {
    last = p;
    o.report(p);
  };
  try {
    const kind = o.kinds.get(job.kind);
    if (!kind) throw new Error(`Unknown job kind ${job.kind}`);
    const payload = kind.payload.parse(job.payload);
    const actor = await jobActor(o.db, job);
    const checkpoint = async () => {
      if (await o.cancelRequested()) throw new JobCancelledError();
    };
    await checkpoint();
    const result = await kind.run({ db: o.db, jobId: job.id, actor, progress, checkpoint }, payload);
    const failure = jobFailureOf(result);
    await finishJob(o.rowDb, o.jobId, {
      state: failure === null ? "succeeded" : "failed",
      result,
      error: failure,
      progress: { done: last.done, total: last.total },
      message: last.message ?? null,
      at: nowIso(),
    });
  } catch (error) {
    if (error instanceof JobCancelledError) {
      await finishCancelledJob(o.rowDb, o.jobId, {
        progress: { done: last.done, total: last.total },
        at: nowIso(),
      });
      return true;
    }
    await finishJob(o.rowDb, o.jobId, {
      state: "failed",
      result: null,
      error: errorText(error),
      progress: { done: last.done, total: last.total },
      at: nowIso(),
    });
  }
  return true;
}

/**
 * Work that finished without throwing but refused (an import with problems) says so by answering
 * `{ failed: "why" }` beside its result: the job is then "failed" with that error, its result kept.
 */
function jobFailureOf(result: unknown): string | null {
  if (result !== null && typeof result === "object" && "failed" in result) {
    const why = (result as { failed: unknown }).failed;
    return typeof why === "string" ? why : null;
  }
  return null;
}

/**
 * Checks a job against its kind and records it queued, with `onRecorded` in the same transaction.
 *
 * @example const id = await recordJob(db, kinds, { kind: "import.commit", payload, startedBy: 1 });
 */
export async function recordJob(
  db: Kysely<Database>,
  kinds: JobKinds,
  job: EnqueueJob,
  onRecorded?: OnRecorded,
): Promise<number> {
  const kind = kinds.get(job.kind);
  if (!kind) throw new Error(`Unknown job kind ${job.kind}`);
  const payload = kind.payload.parse(job.payload);
  return db.transaction().execute(async (trx) => {
    const id = await insertJob(trx, {
      kind: job.kind,
      payload,
      partnershipId: kind.partnershipOf(payload),
      startedBy: job.startedBy,
      requestId: job.requestId ?? null,
      at: nowIso(),
    });
    if (onRecorded) await onRecorded(trx, id);
    return id;
  });
}

/**
 * The runner for one instance on SQLite (one writer): jobs run one at a time in this process, in
 * the order queued (on a connection of their own when `workUrl` names the file); progress stays
 * in memory (`liveProgress`, which `jobs.get` shows) and the row is written when a job starts
 * and ends. On start it fails every job a previous process left queued or running,
 * with `INTERRUPTED_BY_RESTART`, since nothing else will ever run them.
 *
 * @example
 * const jobs = createInProcessJobRunner({ db, kinds: jobKinds([importCommitJob]) });
 * await jobs.start();
 * const id = await jobs.enqueue({ kind: "import.commit", payload: { fileId: 3 }, startedBy: 1 });
 */
export function createInProcessJobRunner(o: {
  db: Kysely<Database>;
  kinds: JobKinds;
  instance?: string;
  /**
   * A SQLite file's path: the jobs' work then runs on a connection of its own to it, so that
   * while a job's long transaction writes, requests on `db` still read (WAL lets readers go on
   * beside the one writer) and the job's page can be answered. Without it (an in-memory
   * database) the work shares `db`'s one connection and requests wait for the job's transaction.
   */
  workUrl?: string;
}): JobRunner {
  const instance = o.instance ?? defaultInstanceName();
  const separate = o.workUrl !== undefined && !/^(file:)?:memory:$/.test(o.workUrl);
  const workDb = separate && o.workUrl !== undefined ? createDb(o.workUrl) : o.db;
  const live = new Map<number, JobProgress>();
  // One instance runs every job, so a cancel is known here as soon as it is asked for.
  const cancelled = new Set<number>();
  let chain: Promise<void> = Promise.resolve();
  let pending = 0;
  let stopped = false;
  return {
    instance,
    async enqueue(job, onRecorded) {
      if (stopped) throw new Error("The job runner has stopped");
      const id = await recordJob(o.db, o.kinds, job, onRecorded);
      pending++;
      chain = chain.then(async () => {
        try {
          await runRecordedJob({
            db: workDb,
            rowDb: o.db,
            kinds: o.kinds,
            jobId: id,
            instance,
            report: (p) => live.set(id, p),
            cancelRequested: () => cancelled.has(id),
          });
        } catch {
          // The row could not be written (the database closed): nothing more to do here.
        } finally {
          live.delete(id);
          cancelled.delete(id);
          pending--;
        }
      });
      return id;
    },
    liveProgress: (jobId) => live.get(jobId) ?? null,
    cancel(jobId) {
      // Only queued or running jobs are cancelled, and each of those passes through `chain`,
      // which forgets the id when the job ends.
      cancelled.add(jobId);
    },
    async start() {
      await failUnfinishedJobs(o.db, { error: INTERRUPTED_BY_RESTART, at: nowIso() });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await chain;
      if (workDb !== o.db) await workDb.destroy();
    },
    async idle() {
      while (pending > 0) await chain;
    },
  };
}

// One in-process runner per database for contexts made without one (tests, the CLI's callers).
const defaults = new WeakMap<Kysely<Database>, JobRunner>();

/**
 * The in-process runner shared by every context on `db` that was given no runner of its own.
 *
 * @example const jobs = defaultJobRunner(db, kinds);
 */
export function defaultJobRunner(db: Kysely<Database>, kinds: JobKinds): JobRunner {
  let runner = defaults.get(db);
  if (!runner) {
    runner = createInProcessJobRunner({ db, kinds });
    defaults.set(db, runner);
  }
  return runner;
}
