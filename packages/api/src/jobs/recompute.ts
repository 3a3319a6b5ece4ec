import { findPlan } from "@fivestep/db";
import { IdSchema } from "@fivestep/domain";
import { z } from "zod";
import { audit } from "../audit.ts";
import { recomputeStatuses } from "../monitoring.ts";
import { defineJobKind } from "./kinds.ts";

/**
 * The payload of a recompute job: one partnership's plan (started by its lead), or every target
 * in the database (started by an administrator, after a catalogue or trajectory change that
 * touches them all).
 */
export const RecomputePayloadSchema = z.union([
  z.object({ scope: z.literal("plan"), partnershipId: IdSchema, planId: IdSchema }),
  z.object({ scope: z.literal("all") }),
]);
/** A recompute job's payload. */
export type RecomputePayload = z.infer<typeof RecomputePayloadSchema>;

/** What a finished recompute job keeps: how many targets were judged and how many statuses changed. */
export interface RecomputeResult {
  targetsJudged: number;
  statusesChanged: number;
}

/**
 * The job kind "monitoring.recompute": judges the targets again through `recomputeStatuses`
 * (what `monitoring.recompute` does within a request), in one transaction. Progress counts
 * indicators judged (the statements grow with them); the work checks for a cancel after each
 * one, and a cancel rolls the transaction back, so no status is half-written. Audited as a
 * `plan` (or, for everything, `job`) "recompute" entry, as the person who started it.
 *
 * @example await jobs.enqueue({ kind: recomputeJob.name, payload: { scope: "all" }, startedBy: 1 });
 */
export const recomputeJob = defineJobKind({
  name: "monitoring.recompute",
  payload: RecomputePayloadSchema,
  partnershipOf: (p) => (p.scope === "plan" ? p.partnershipId : null),
  async run(ctx, payload): Promise<RecomputeResult> {
    const who = ctx.actor.session?.user.displayName ?? "the system";
    return ctx.db.transaction().execute(async (trx) => {
      let planId: number | null = null;
      if (payload.scope === "plan") {
        const plan = await findPlan(trx, payload.partnershipId, payload.planId);
        if (!plan) throw new Error("That plan no longer exists");
        planId = plan.id;
      }
      let targetsJudged = 0;
      const changes = await recomputeStatuses(trx, {
        ...(planId !== null ? { planIds: [planId] } : {}),
        cause: `Recomputed by ${who}`,
        onProgress: async (p) => {
          targetsJudged = p.targets;
          ctx.progress({ done: p.done, total: p.total, message: "monitoring.recompute" });
          await ctx.checkpoint();
        },
      });
      const result = { targetsJudged, statusesChanged: changes.length };
      await audit(trx, ctx.actor, {
        action: "recompute",
        entity: planId !== null ? "plan" : "job",
        entityId: planId ?? ctx.jobId,
        partnershipId: payload.scope === "plan" ? payload.partnershipId : null,
        before: null,
        after: { changed: changes.length, judged: targetsJudged },
      });
      return result;
    });
  },
});
