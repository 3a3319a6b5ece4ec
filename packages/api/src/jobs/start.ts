import { audit } from "../audit.ts";
import type { Context } from "../context.ts";

/**
 * Queues a job for the signed-in person and records a `job` "start" audit entry in the same
 * transaction as the job's row (so a job nobody can trace never exists); answers the job's id.
 * `after` is what the audit trail keeps of the request (never a secret).
 *
 * @example
 * const jobId = await startAuditedJob(ctx, {
 *   kind: recomputeJob.name,
 *   payload: { scope: "all" },
 *   partnershipId: null,
 *   after: { kind: recomputeJob.name, scope: "all" },
 * });
 */
export function startAuditedJob(
  ctx: Pick<Context, "jobs" | "session" | "requestId"> & Partial<Pick<Context, "token">>,
  job: { kind: string; payload: unknown; partnershipId: number | null; after: Record<string, unknown> },
): Promise<number> {
  return ctx.jobs.enqueue(
    {
      kind: job.kind,
      payload: job.payload,
      startedBy: ctx.session?.user.id ?? null,
      requestId: ctx.requestId,
    },
    (trx, id) =>
      audit(trx, ctx, {
        action: "start",
        entity: "job",
        entityId: id,
        partnershipId: job.partnershipId,
        before: null,
        after: job.after,
      }),
  );
}
