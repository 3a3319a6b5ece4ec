import {
  copyPlan,
  findPlan,
  findPlanWithChangeCounter,
  insertPlan,
  listItems,
  listPartnerships,
  listPlanRevisions,
  listPlans,
  listPriorities,
  listReportSendings,
  nowIso,
  updateWithVersion,
} from "@fivestep/db";
import {
  canMovePlan,
  IdSchema,
  PlanFieldsSchema,
  PlanStatusSchema,
  planSubmissionViolations,
  priorityGaps,
  VersionSchema,
} from "@fivestep/domain";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { audit } from "../audit.ts";
import { staleOrMissing } from "../errors.ts";
import { fieldError, rulesError } from "../field-error.ts";
import { recomputeStatuses } from "../monitoring.ts";
import { cachedPlanOverview, comparePlans } from "../plan-overview.ts";
import { prioritiesWithItems } from "../plan-rules.ts";
import { toItemView, toPlanView, toPriorityView } from "../plan-views.ts";
import { createTRPCRouter, partnershipProcedure } from "../trpc.ts";

const PlanRef = z.object({ planId: IdSchema });

/** A partnership's plans: create, edit, agree, refresh each year, compare revisions, overview. */
export const planRouter = createTRPCRouter({
  /** The partnership's plans, newest first. */
  list: partnershipProcedure("viewer").query(async ({ ctx, input }) =>
    (await listPlans(ctx.db, input.partnershipId)).map(toPlanView),
  ),

  /**
   * One plan with its priorities (the task list of each priority's five steps), and what each
   * priority still lacks before the plan can go for agreement (`missing`, the "check your answers"
   * list), and what its reporting schedules have sent (`sendings`, newest first).
   */
  byId: partnershipProcedure("viewer")
    .input(PlanRef)
    .query(async ({ ctx, input }) => {
      const plan = await findPlan(ctx.db, input.partnershipId, input.planId);
      if (!plan) throw new TRPCError({ code: "NOT_FOUND", message: "No such plan in this partnership" });
      const [priorities, reports, revisions, readiness, sendings] = await Promise.all([
        listPriorities(ctx.db, plan.id),
        listItems(ctx.db, { planId: plan.id, kind: "report" }),
        listPlanRevisions(ctx.db, input.partnershipId, plan.id),
        prioritiesWithItems(ctx.db, plan.id),
        listReportSendings(ctx.db, plan.id),
      ]);
      return {
        plan: toPlanView(plan),
        priorities: priorities.map(toPriorityView),
        missing: readiness.map((p) => ({ priorityId: p.id, missing: priorityGaps(p, p.items) })),
        reports: reports.map(toItemView),
        sendings,
        revisions: revisions.map(toPlanView),
      };
    }),

  /** Starts a draft plan. */
  create: partnershipProcedure("editor")
    .input(PlanFieldsSchema)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction().execute(async (trx) => {
        const now = nowIso();
        const row = await insertPlan(trx, {
          partnership_id: input.partnershipId,
          title: input.title,
          vision: input.vision,
          start_year: input.startYear,
          status: "draft",
          revision: 1,
          previous_plan_id: null,
          created_at: now,
          updated_at: now,
        });
        const view = toPlanView(row);
        await audit(trx, ctx, {
          action: "create",
          entity: "plan",
          entityId: row.id,
          partnershipId: input.partnershipId,
          before: null,
          after: view,
        });
        return view;
      }),
    ),

  /** Changes title, vision or period, against the version the editor saw. */
  update: partnershipProcedure("editor")
    .input(PlanFieldsSchema.extend({ planId: IdSchema, version: VersionSchema }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction().execute(async (trx) => {
        const before = await findPlan(trx, input.partnershipId, input.planId);
        if (before?.status === "closed")
          throw fieldError("title", "This plan is closed. Refresh it to make a new version.");
        const row = before
          ? await updateWithVersion(trx, "plan", before.id, input.version, {
              title: input.title,
              vision: input.vision,
              start_year: input.startYear,
              updated_at: nowIso(),
            })
          : undefined;
        if (!before || !row) throw staleOrMissing("plan", before && toPlanView(before));
        await audit(trx, ctx, {
          action: "update",
          entity: "plan",
          entityId: row.id,
          partnershipId: input.partnershipId,
          before: toPlanView(before),
          after: toPlanView(row),
        });
        return toPlanView(row);
      }),
    ),

  /** Moves a plan along draft → submitted → agreed → in delivery → closed (or back to draft from submitted). */
  setStatus: partnershipProcedure("lead")
    .input(PlanRef.extend({ version: VersionSchema, status: PlanStatusSchema }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction().execute(async (trx) => {
        const before = await findPlan(trx, input.partnershipId, input.planId);
        if (before && !canMovePlan(before.status, input.status)) {
          throw fieldError("status", `A ${before.status} plan cannot become ${input.status}`);
        }
        // Submitted for agreement, and agreed, only with every priority's five steps done.
        if (before && (input.status === "submitted" || input.status === "agreed")) {
          const found = planSubmissionViolations(await prioritiesWithItems(trx, before.id));
          if (found.length > 0) throw rulesError(found);
        }
        const row = before
          ? await updateWithVersion(trx, "plan", before.id, input.version, {
              status: input.status,
              updated_at: nowIso(),
            })
          : undefined;
        if (!before || !row) throw staleOrMissing("plan", before && toPlanView(before));
        await audit(trx, ctx, {
          action: "set-status",
          entity: "plan",
          entityId: row.id,
          partnershipId: input.partnershipId,
          before: toPlanView(before),
          after: toPlanView(row),
        });
        return toPlanView(row);
      }),
    ),

  /** The annual refresh: copies the plan into a new draft revision, leaving this one as it was. */
  refresh: partnershipProcedure("lead")
    .input(PlanRef)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction().execute(async (trx) => {
        const plan = await findPlan(trx, input.partnershipId, input.planId);
        if (!plan) throw new TRPCError({ code: "NOT_FOUND", message: "No such plan in this partnership" });
        if (plan.status === "draft")
          throw fieldError("planId", "A draft can be edited directly; refresh an agreed plan");
        const next = await copyPlan(trx, plan, nowIso());
        await audit(trx, ctx, {
          action: "refresh",
          entity: "plan",
          entityId: next.id,
          partnershipId: input.partnershipId,
          before: null,
          after: toPlanView(next),
        });
        // The copies are new targets: judge them now, as saving one does.
        await recomputeStatuses(trx, {
          planIds: [next.id],
          cause: `Plan refreshed by ${ctx.session.user.displayName}`,
        });
        return toPlanView(next);
      }),
    ),

  /** What changed between two revisions of a plan: priorities added or removed, targets changed and why. */
  compare: partnershipProcedure("viewer")
    .input(z.object({ fromPlanId: IdSchema, toPlanId: IdSchema }))
    .query(async ({ ctx, input }) => {
      const [from, to] = await Promise.all([
        findPlan(ctx.db, input.partnershipId, input.fromPlanId),
        findPlan(ctx.db, input.partnershipId, input.toPlanId),
      ]);
      if (!from || !to)
        throw new TRPCError({ code: "NOT_FOUND", message: "No such plan in this partnership" });
      return comparePlans(ctx.db, from, to);
    }),

  /** Every priority's indicators with latest value, target status, trend and benchmark, and the warnings. */
  overview: partnershipProcedure("viewer")
    .input(PlanRef)
    .query(async ({ ctx, input }) => {
      // One query: the plan, its partnership's area and the change counter the cache is keyed by.
      const found = await findPlanWithChangeCounter(ctx.db, input.partnershipId, input.planId);
      if (!found) throw new TRPCError({ code: "NOT_FOUND", message: "No such plan in this partnership" });
      return cachedPlanOverview(ctx.db, found.plan, found.areaCode, found.changeCounter);
    }),
});
