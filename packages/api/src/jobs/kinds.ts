import { type Database, findUserById } from "@fivestep/db";
import type { Kysely } from "kysely";
import type { z } from "zod";
import { currentUser } from "../auth/sessions.ts";
import type { Actor } from "../services/save-import-mapping.ts";

/** How far a job has got: `done` of `total` (null while the total is unknown). */
export interface JobProgress {
  done: number;
  total: number | null;
  /** A short code the client words, such as "import.commit"; or null. */
  message?: string | null;
}

/** What a job's work gets from the runner. */
export interface JobRunContext {
  /** The database the work writes through (its transactions run here). */
  db: Kysely<Database>;
  jobId: number;
  /** Who started the job, as audit entries name them, with the starting request's id. */
  actor: Actor;
  /** Reports progress; cheap to call often (the runner keeps or writes the latest now and then). */
  progress(p: JobProgress): void;
  /**
   * Throws `JobCancelledError` when someone has asked the job to stop. Work calls it between its
   * batches, inside its transaction, so that a cancel rolls everything back: nothing half-written.
   */
  checkpoint(): Promise<void>;
}

/**
 * What `checkpoint` throws when a job was cancelled; the runner then records it "cancelled".
 *
 * @example if (cancelRequested) throw new JobCancelledError();
 */
export class JobCancelledError extends Error {
  constructor() {
    super("The job was cancelled");
    this.name = "JobCancelledError";
  }
}

/**
 * One kind of job: its name, the zod schema of its payload (checked when it is queued and again
 * when it runs), and the work. The result is stored as JSON on the job row. Scheduled emails,
 * report exports and recomputes are added as further kinds.
 */
export interface JobKind<P> {
  name: string;
  payload: z.ZodType<P>;
  /** The partnership a job of this payload belongs to (its leads may read it), or null. */
  partnershipOf(payload: P): number | null;
  run(ctx: JobRunContext, payload: P): Promise<unknown>;
}

/**
 * Declares a job kind, keeping its payload's type.
 *
 * @example
 * const ping = defineJobKind({ name: "ping", payload: z.object({}), partnershipOf: () => null, run: async () => ({ pong: true }) });
 */
export function defineJobKind<P>(kind: JobKind<P>): JobKind<P> {
  return kind;
}

/** The kinds a runner knows, by name. */
export type JobKinds = ReadonlyMap<string, JobKind<unknown>>;

/**
 * A registry of job kinds for a runner.
 *
 * @example const kinds = jobKinds([importCommitJob]);
 */
export function jobKinds(kinds: ReadonlyArray<JobKind<unknown>>): JobKinds {
  return new Map(kinds.map((k) => [k.name, k]));
}

/**
 * The actor a job acts as: the user who started it (as their session would show them), or the
 * system when nobody did; its audit entries carry the id of the request that started it.
 *
 * @example const actor = await jobActor(db, job);
 */
export async function jobActor(
  db: Kysely<Database>,
  job: { id: number; startedBy: number | null; requestId: string | null },
): Promise<Actor> {
  const jobId = job.id;
  const userId = job.startedBy;
  const requestId = job.requestId ?? `job-${jobId}`;
  if (userId === null) return { session: null, requestId };
  const user = await findUserById(db, userId);
  if (!user) return { session: null, requestId };
  return { session: { user: await currentUser(db, user), idHash: `job-${jobId}` }, requestId };
}
