import type { Generated, Selectable } from "kysely";

/** Where a job is: waiting, running, or finished one of three ways. */
export type JobState = "queued" | "running" | "succeeded" | "failed" | "cancelled";

/**
 * `job`: work that outlives a request (an import's commit, …), as people see it: its kind and
 * payload, state, progress, result or error, who started it (and for which partnership), and
 * which server instance runs it with its last heartbeat.
 */
export interface JobTable {
  id: Generated<number>;
  kind: string;
  state: JobState;
  /** The kind's payload, as JSON. */
  payload_json: string;
  progress_done: Generated<number>;
  /** The amount of work in all (rows, bytes…), or null while unknown. */
  progress_total: number | null;
  /** What the job is doing now, or its last word. */
  message: string | null;
  result_json: string | null;
  error: string | null;
  partnership_id: number | null;
  started_by: number | null;
  /** The request that started it; the job's audit entries carry it. */
  request_id: string | null;
  /** How many times a runner has started it (a retried job more than once). */
  attempts: Generated<number>;
  instance: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  heartbeat_at: string | null;
}
/** @example const job: JobRow = await db.selectFrom("job").selectAll().executeTakeFirstOrThrow(); */
export type JobRow = Selectable<JobTable>;
