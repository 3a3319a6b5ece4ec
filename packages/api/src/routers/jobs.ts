import { displayNamesByIds, findJob, type JobView, listJobs, nowIso, requestJobCancel } from "@fivestep/db";
import { IdSchema } from "@fivestep/domain";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { audit } from "../audit.ts";
import type { SessionInfo } from "../auth/sessions.ts";
import type { Context } from "../context.ts";
import { adminProcedure, authedProcedure, createTRPCRouter } from "../trpc.ts";

/** The states a job can be in, for filters. */
const JobStateSchema = z.enum(["queued", "running", "succeeded", "failed", "cancelled"]);

/**
 * Who may read a job: whoever started it, administrators, and for a partnership's job that
 * partnership's leads.
 *
 * @example if (!mayReadJob(ctx.session, job)) throw notFound();
 */
export function mayReadJob(session: SessionInfo, job: Pick<JobView, "startedBy" | "partnershipId">): boolean {
  const user = session.user;
  if (user.isAdmin || job.startedBy === user.id) return true;
  return (
    job.partnershipId !== null &&
    user.memberships.some((m) => m.partnershipId === job.partnershipId && m.role === "lead")
  );
}

/** A job as the apps see it: the row, with this process's fresher progress while it runs. */
function shown(ctx: Pick<Context, "jobs">, job: JobView) {
  const live = job.state === "running" ? ctx.jobs.liveProgress(job.id) : null;
  return {
    id: job.id,
    kind: job.kind,
    state: job.state,
    payload: job.payload,
    progress: live ? { done: live.done, total: live.total } : job.progress,
    message: live ? (live.message ?? null) : job.message,
    result: job.result,
    error: job.error,
    partnershipId: job.partnershipId,
    startedBy: job.startedBy,
    attempts: job.attempts,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    heartbeatAt: job.heartbeatAt,
  };
}

// The same answer for a job that does not exist and one the caller may not read, so nobody
// learns which ids exist.
const notFound = () => new TRPCError({ code: "NOT_FOUND", message: "That job does not exist" });

/** Jobs: work that outlives a request (an import's commit, …), its state, progress and result. */
export const jobsRouter = createTRPCRouter({
  /**
   * One job: kind, state, progress (done of total), its last word, result or error, and when it
   * was queued, started and finished. Only its starter, administrators and (for a partnership's
   * job) the partnership's leads may read it; anyone else gets NOT_FOUND, as for a missing id.
   */
  get: authedProcedure.input(z.object({ jobId: IdSchema })).query(async ({ ctx, input }) => {
    const job = await findJob(ctx.db, input.jobId);
    if (!job || !mayReadJob(ctx.session, job)) throw notFound();
    return shown(ctx, job);
  }),

  /**
   * Cancels a queued or running job (whoever may read it). A queued job never starts; a running
   * one stops at its work's next checkpoint, its transaction rolled back, so nothing is
   * half-written; until then its state is already "cancelled" with no finish time. A job that
   * has finished answers BAD_REQUEST. Audited as a `job` "cancel" entry.
   */
  cancel: authedProcedure.input(z.object({ jobId: IdSchema })).mutation(async ({ ctx, input }) => {
    const job = await findJob(ctx.db, input.jobId);
    if (!job || !mayReadJob(ctx.session, job)) throw notFound();
    if (job.state !== "queued" && job.state !== "running")
      throw new TRPCError({ code: "BAD_REQUEST", message: "That job has already finished" });
    // Told first: on an in-memory database this request waits for the job's transaction, which
    // this lets stop at its next checkpoint.
    ctx.jobs.cancel(job.id);
    return ctx.db.transaction().execute(async (trx) => {
      await requestJobCancel(trx, job.id, { at: nowIso() });
      const now = await findJob(trx, job.id);
      if (now?.state !== "cancelled")
        throw new TRPCError({ code: "BAD_REQUEST", message: "That job has already finished" });
      await audit(trx, ctx, {
        action: "cancel",
        entity: "job",
        entityId: job.id,
        partnershipId: job.partnershipId,
        before: { state: job.state },
        after: { state: "cancelled" },
      });
      return shown(ctx, now);
    });
  }),

  /** Recent jobs, newest first (administrators): all, or of one kind or state. */
  list: adminProcedure
    .input(
      z
        .object({
          kind: z.string().trim().min(1).max(60).optional(),
          state: JobStateSchema.optional(),
          limit: z.int().min(1).max(200).default(50),
        })
        .default({ limit: 50 }),
    )
    .query(async ({ ctx, input }) => {
      const jobs = await listJobs(ctx.db, {
        limit: input.limit,
        ...(input.kind !== undefined ? { kind: input.kind } : {}),
        ...(input.state !== undefined ? { states: [input.state] } : {}),
      });
      // Who started each, by name, for the jobs page (a removed account shows as nobody).
      const names = await displayNamesByIds(
        ctx.db,
        jobs.flatMap((j) => (j.startedBy === null ? [] : [j.startedBy])),
      );
      return jobs.map((j) => ({
        ...shown(ctx, j),
        startedByName: j.startedBy === null ? null : (names.get(j.startedBy) ?? null),
      }));
    }),
});
