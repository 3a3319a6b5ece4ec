import type { Executor } from "../database.ts";
import type { JobRow, JobState } from "../tables/job.table.ts";

/** A job as the api shows it: JSON columns parsed, names in camelCase. */
export interface JobView {
  id: number;
  kind: string;
  state: JobState;
  payload: unknown;
  progress: { done: number; total: number | null };
  message: string | null;
  result: unknown;
  error: string | null;
  partnershipId: number | null;
  startedBy: number | null;
  requestId: string | null;
  attempts: number;
  instance: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  heartbeatAt: string | null;
}

const viewOf = (r: JobRow): JobView => ({
  id: r.id,
  kind: r.kind,
  state: r.state,
  payload: JSON.parse(r.payload_json) as unknown,
  progress: { done: r.progress_done, total: r.progress_total },
  message: r.message,
  result: r.result_json === null ? null : (JSON.parse(r.result_json) as unknown),
  error: r.error,
  partnershipId: r.partnership_id,
  startedBy: r.started_by,
  requestId: r.request_id,
  attempts: r.attempts,
  instance: r.instance,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  heartbeatAt: r.heartbeat_at,
});

/**
 * Records a new job, queued, and returns its id.
 *
 * @example const id = await insertJob(db, { kind: "import.commit", payload: { fileId: 3 }, partnershipId: null, startedBy: 1, requestId: "req-1", at: nowIso() });
 */
export async function insertJob(
  db: Executor,
  j: {
    kind: string;
    payload: unknown;
    partnershipId: number | null;
    startedBy: number | null;
    requestId?: string | null;
    at: string;
  },
): Promise<number> {
  const row = await db
    .insertInto("job")
    .values({
      kind: j.kind,
      state: "queued",
      payload_json: JSON.stringify(j.payload),
      progress_total: null,
      message: null,
      result_json: null,
      error: null,
      partnership_id: j.partnershipId,
      started_by: j.startedBy,
      request_id: j.requestId ?? null,
      instance: null,
      created_at: j.at,
      started_at: null,
      finished_at: null,
      heartbeat_at: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * One job, or undefined.
 *
 * @example const job = await findJob(db, 7); job?.state // "running"
 */
export async function findJob(db: Executor, id: number): Promise<JobView | undefined> {
  const r = await db.selectFrom("job").selectAll().where("id", "=", id).executeTakeFirst();
  return r && viewOf(r);
}

/**
 * Jobs, newest first: all, or those one user started, of one kind or in some states.
 *
 * @example const mine = await listJobs(db, { startedBy: 1, limit: 20 });
 */
export async function listJobs(
  db: Executor,
  filter: { startedBy?: number; kind?: string; states?: JobState[]; limit: number },
): Promise<JobView[]> {
  let q = db.selectFrom("job").selectAll();
  if (filter.startedBy !== undefined) q = q.where("started_by", "=", filter.startedBy);
  if (filter.kind !== undefined) q = q.where("kind", "=", filter.kind);
  if (filter.states !== undefined) q = q.where("state", "in", filter.states);
  const rows = await q.orderBy("created_at", "desc").orderBy("id", "desc").limit(filter.limit).execute();
  return rows.map(viewOf);
}

/**
 * Marks a queued job (or one a queue retries after its runner died) as running on `instance`,
 * counting the attempt and clearing any earlier progress. False when the job is gone or already
 * finished, so a runner never starts finished work again.
 *
 * @example if (!(await markJobRunning(db, 7, { instance: "web-1", at: nowIso() }))) return;
 */
export async function markJobRunning(
  db: Executor,
  id: number,
  o: { instance: string; at: string },
): Promise<boolean> {
  const result = await db
    .updateTable("job")
    .set((eb) => ({
      state: "running",
      instance: o.instance,
      started_at: o.at,
      heartbeat_at: o.at,
      attempts: eb("attempts", "+", 1),
      progress_done: 0,
      progress_total: null,
      message: null,
      error: null,
    }))
    .where("id", "=", id)
    .where("state", "in", ["queued", "running"])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Writes a running job's progress and heartbeat (on PostgreSQL through a connection of its own,
 * while the job's transaction runs on another). False when the job is no longer running.
 *
 * @example await updateJobProgress(progressDb, 7, { done: 5000, total: 100000, message: null, at: nowIso() });
 */
export async function updateJobProgress(
  db: Executor,
  id: number,
  p: { done: number; total: number | null; message: string | null; at: string },
): Promise<boolean> {
  const result = await db
    .updateTable("job")
    .set({ progress_done: p.done, progress_total: p.total, message: p.message, heartbeat_at: p.at })
    .where("id", "=", id)
    .where("state", "=", "running")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Finishes a job: succeeded with its result, or failed (or cancelled) with an error, keeping the
 * last progress given. False when it had already finished.
 *
 * @example await finishJob(db, 7, { state: "succeeded", result: { inserted: 10 }, error: null, progress: { done: 10, total: 10 }, at: nowIso() });
 */
export async function finishJob(
  db: Executor,
  id: number,
  f: {
    state: "succeeded" | "failed" | "cancelled";
    result: unknown;
    error: string | null;
    progress?: { done: number; total: number | null };
    message?: string | null;
    at: string;
  },
): Promise<boolean> {
  const result = await db
    .updateTable("job")
    .set({
      state: f.state,
      result_json: f.result === null || f.result === undefined ? null : JSON.stringify(f.result),
      error: f.error,
      finished_at: f.at,
      heartbeat_at: f.at,
      ...(f.progress ? { progress_done: f.progress.done, progress_total: f.progress.total } : {}),
      ...(f.message !== undefined ? { message: f.message } : {}),
    })
    .where("id", "=", id)
    // A cancel asked for after the work's last checkpoint came too late: the work committed, and
    // the row says what happened rather than "cancelled".
    .where((eb) =>
      eb.or([
        eb("state", "in", ["queued", "running"]),
        eb.and([eb("state", "=", "cancelled"), eb("finished_at", "is", null)]),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Asks a queued or running job to stop: its state becomes "cancelled" at once. A queued job is
 * finished there and then (no runner will start it); a running one keeps `finished_at` empty
 * until its runner, at the work's next checkpoint, has rolled its transaction back and calls
 * `finishCancelledJob`. False when the job had already finished.
 *
 * @example if (!(await requestJobCancel(trx, 7, { at: nowIso() }))) throw alreadyFinished();
 */
export async function requestJobCancel(db: Executor, id: number, o: { at: string }): Promise<boolean> {
  const result = await db
    .updateTable("job")
    .set((eb) => ({
      state: "cancelled",
      finished_at: eb.case().when("state", "=", "queued").then(o.at).else(null).end(),
      error: null,
    }))
    .where("id", "=", id)
    .where("state", "in", ["queued", "running"])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Records that a job's runner stopped it on a cancel request (its transaction rolled back),
 * keeping the progress it had reached. False when the job had finished otherwise.
 *
 * @example await finishCancelledJob(db, 7, { progress: { done: 40, total: 200 }, at: nowIso() });
 */
export async function finishCancelledJob(
  db: Executor,
  id: number,
  o: { progress: { done: number; total: number | null }; at: string },
): Promise<boolean> {
  const result = await db
    .updateTable("job")
    .set({
      state: "cancelled",
      error: null,
      result_json: null,
      finished_at: o.at,
      heartbeat_at: o.at,
      progress_done: o.progress.done,
      progress_total: o.progress.total,
    })
    .where("id", "=", id)
    .where((eb) =>
      eb.or([
        eb("state", "in", ["queued", "running"]),
        eb.and([eb("state", "=", "cancelled"), eb("finished_at", "is", null)]),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Whether someone has asked a job to stop (its row says "cancelled"): how a runner on another
 * instance learns of a cancel.
 *
 * @example if (await jobCancelRequested(progressDb, 7)) throw new JobCancelledError();
 */
export async function jobCancelRequested(db: Executor, id: number): Promise<boolean> {
  const r = await db.selectFrom("job").select("state").where("id", "=", id).executeTakeFirst();
  return r?.state === "cancelled";
}

/**
 * Fails every job still queued or running (optionally only those of one instance) with `error`:
 * at the start of a single-instance server, whatever its last process left unfinished. Returns
 * their ids.
 *
 * @example const failed = await failUnfinishedJobs(db, { error: "Interrupted by a restart", at: nowIso() });
 */
export async function failUnfinishedJobs(
  db: Executor,
  o: { error: string; at: string; instance?: string },
): Promise<number[]> {
  // One left cancelling was rolled back with its process: it stays cancelled, now finished.
  let c = db
    .updateTable("job")
    .set({ finished_at: o.at })
    .where("state", "=", "cancelled")
    .where("finished_at", "is", null);
  if (o.instance !== undefined) c = c.where("instance", "=", o.instance);
  await c.execute();
  let q = db
    .updateTable("job")
    .set({ state: "failed", error: o.error, finished_at: o.at })
    .where("state", "in", ["queued", "running"]);
  if (o.instance !== undefined) q = q.where("instance", "=", o.instance);
  const rows = await q.returning("id").execute();
  return rows.map((r) => r.id).sort((a, b) => a - b);
}
