import { findJob, type JobView, listJobs } from "@fivestep/db";
import { IdSchema } from "@fivestep/domain";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
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
    .query(async ({ ctx, input }) =>
      (
        await listJobs(ctx.db, {
          limit: input.limit,
          ...(input.kind !== undefined ? { kind: input.kind } : {}),
          ...(input.state !== undefined ? { states: [input.state] } : {}),
        })
      ).map((j) => shown(ctx, j)),
    ),
});
