import {
  countPriorities,
  deleteVersioned,
  type Executor,
  findItem,
  findPlan,
  findPriority,
  insertPriority,
  listActionUpdates,
  listChangePointNotes,
  listItems,
  listMemberships,
  listPartnerships,
  listPriorities,
  nextPriorityPosition,
  nowIso,
  recordPriorityRemoval,
  setPriorityOrder,
  updateWithVersion,
} from "@fivestep/db";
import {
  completedStepViolations,
  IdSchema,
  MAX_PRIORITIES,
  PriorityFieldsSchema,
  priorityOwnerProblem,
  VersionSchema,
} from "@fivestep/domain";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { audit } from "../audit.ts";
import { staleOrMissing } from "../errors.ts";
import { fieldError, rulesError } from "../field-error.ts";
import { analyseIndicator, cachedAnalyseIndicator } from "../plan-analysis.ts";
import { areaProfile } from "../plan-overview.ts";
import { previousMilestones } from "../plan-rules.ts";
import { toItemView, toPlanView, toPriorityView } from "../plan-views.ts";
import { heatMap, indicatorBreakdowns } from "../step1-views.ts";
import { createTRPCRouter, partnershipProcedure } from "../trpc.ts";

const LOCKED = new Set(["agreed", "in-delivery", "closed"]);

function splitFields(fields: z.infer<typeof PriorityFieldsSchema>) {
  const { theme, title, ownerName, ownerUserId, ...rest } = fields;
  return {
    theme,
    title,
    owner_name: ownerName,
    owner_user_id: ownerUserId,
    fields_json: JSON.stringify(rest),
  };
}

/**
 * A priority's fields with its owner checked: a member owner must be a member of the partnership
 * (or the owner it already had, who may since have left) and their name is saved with it;
 * without a member, the name of someone outside the system is needed.
 */
async function withOwner(
  db: Executor,
  partnershipId: number,
  fields: z.infer<typeof PriorityFieldsSchema>,
  current: number | null,
): Promise<z.infer<typeof PriorityFieldsSchema>> {
  const problem = priorityOwnerProblem(fields);
  if (problem) throw fieldError(problem.field, problem.message);
  if (fields.ownerUserId === null) return fields;
  const member = (await listMemberships(db, { partnershipId })).find((m) => m.userId === fields.ownerUserId);
  if (!member && fields.ownerUserId !== current)
    throw fieldError("ownerUserId", "Choose a member of this partnership");
  return { ...fields, ownerName: member?.displayName ?? fields.ownerName };
}

/** Priorities and the five steps of each. */
export const priorityRouter = createTRPCRouter({
  /**
   * Everything the five step pages show for one priority; in an annual refresh, `previousTargets`
   * holds each indicator's milestones before it (for the step-3 form's rule on reasons).
   */
  byId: partnershipProcedure("viewer")
    .input(z.object({ priorityId: IdSchema }))
    .query(async ({ ctx, input }) => {
      const priority = await findPriority(ctx.db, input.partnershipId, input.priorityId);
      if (!priority)
        throw new TRPCError({ code: "NOT_FOUND", message: "No such priority in this partnership" });
      const plan = await findPlan(ctx.db, input.partnershipId, priority.plan_id);
      if (!plan) throw new TRPCError({ code: "NOT_FOUND", message: "No such plan in this partnership" });
      const items = (await listItems(ctx.db, { planId: plan.id, priorityId: priority.id })).map(toItemView);
      const actionIds = items.filter((i) => i.kind === "action").map((i) => i.id);
      const indicatorIds = items.filter((i) => i.kind === "indicator").map((i) => i.id);
      const [updates, notes, previousTargets] = await Promise.all([
        listActionUpdates(ctx.db, actionIds),
        listChangePointNotes(ctx.db, indicatorIds),
        Promise.all(
          items.flatMap((i) =>
            i.kind === "indicator"
              ? [
                  previousMilestones(ctx.db, plan, priority.title, i.data.indicatorCode).then(
                    (milestones) => ({
                      itemId: i.id,
                      milestones,
                    }),
                  ),
                ]
              : [],
          ),
        ),
      ]);
      return {
        previousTargets,
        plan: toPlanView(plan),
        priority: toPriorityView(priority),
        items,
        updates,
        notes,
        role: ctx.role,
      };
    }),

  /** Adds a priority to a draft plan; a plan holds at most 35. */
  create: partnershipProcedure("editor")
    .input(PriorityFieldsSchema.extend({ planId: IdSchema }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction().execute(async (trx) => {
        const plan = await findPlan(trx, input.partnershipId, input.planId);
        if (!plan) throw new TRPCError({ code: "NOT_FOUND", message: "No such plan in this partnership" });
        if (LOCKED.has(plan.status))
          throw fieldError("title", `This plan is ${plan.status}; refresh it to add priorities.`);
        const n = await countPriorities(trx, plan.id);
        if (n >= MAX_PRIORITIES) {
          throw fieldError(
            "title",
            `A plan holds at most ${MAX_PRIORITIES} designated priorities, and this one has ${n}. Remove or merge one first.`,
          );
        }
        const { partnershipId, planId, ...given } = input;
        const fields = await withOwner(trx, partnershipId, given, null);
        // A new priority holds nothing yet: none of its steps can be completed.
        const gaps = completedStepViolations(fields.steps, [], { priority: fields.title });
        if (gaps.length > 0) throw rulesError(gaps);
        const now = nowIso();
        const row = await insertPriority(trx, {
          plan_id: planId,
          position: await nextPriorityPosition(trx, plan.id),
          ...splitFields(fields),
          created_at: now,
          updated_at: now,
        });
        const view = toPriorityView(row);
        await audit(trx, ctx, {
          action: "create",
          entity: "priority",
          entityId: row.id,
          partnershipId,
          before: null,
          after: view,
        });
        return view;
      }),
    ),

  /** Saves a priority's fields (theme, title, owner, step 2's findings, the steps' progress). */
  update: partnershipProcedure("editor")
    .input(PriorityFieldsSchema.extend({ priorityId: IdSchema, version: VersionSchema }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction().execute(async (trx) => {
        const before = await findPriority(trx, input.partnershipId, input.priorityId);
        if (before && before.plan_status === "closed") throw fieldError("title", "This plan is closed.");
        const { partnershipId, priorityId, version, ...given } = input;
        const fields = await withOwner(trx, partnershipId, given, before?.owner_user_id ?? null);
        if (before) {
          // A step newly marked completed must hold what it needs; one completed before stays so.
          const items = (await listItems(trx, { planId: before.plan_id, priorityId })).map(toItemView);
          const gaps = completedStepViolations(fields.steps, items, {
            priority: fields.title,
            before: toPriorityView(before).fields.steps,
          });
          if (gaps.length > 0) throw rulesError(gaps);
        }
        const row = before
          ? await updateWithVersion(trx, "priority", priorityId, version, {
              ...splitFields(fields),
              updated_at: nowIso(),
            })
          : undefined;
        if (!before || !row) throw staleOrMissing("priority", before && toPriorityView(before));
        await audit(trx, ctx, {
          action: "update",
          entity: "priority",
          entityId: row.id,
          partnershipId,
          before: toPriorityView(before),
          after: toPriorityView(row),
        });
        return toPriorityView(row);
      }),
    ),

  /**
   * Puts a draft plan's priorities in a new order: `priorityIds` must be exactly the plan's
   * priorities (CONFLICT when the screen was stale: one added or removed meanwhile).
   */
  reorder: partnershipProcedure("editor")
    .input(
      z.object({
        planId: IdSchema,
        priorityIds: z
          .array(IdSchema)
          .min(1)
          .max(MAX_PRIORITIES)
          .refine((ids) => new Set(ids).size === ids.length, "Each priority appears once"),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.db.transaction().execute(async (trx) => {
        const plan = await findPlan(trx, input.partnershipId, input.planId);
        if (!plan) throw new TRPCError({ code: "NOT_FOUND", message: "No such plan in this partnership" });
        if (LOCKED.has(plan.status))
          throw fieldError("priorityIds", `This plan is ${plan.status}; refresh it to reorder priorities.`);
        const before = await listPriorities(trx, plan.id);
        const ids = new Set(before.map((p) => p.id));
        if (before.length !== input.priorityIds.length || input.priorityIds.some((id) => !ids.has(id)))
          throw fieldError(
            "priorityIds",
            "The plan's priorities have changed since this page was opened; reload it and try again.",
          );
        await setPriorityOrder(trx, plan.id, input.priorityIds);
        const titleOf = new Map(before.map((p) => [p.id, p.title]));
        await audit(trx, ctx, {
          action: "reorder",
          entity: "plan",
          entityId: plan.id,
          partnershipId: input.partnershipId,
          before: { priorities: before.map((p) => p.title) },
          after: { priorities: input.priorityIds.map((id) => titleOf.get(id)) },
        });
        return { priorityIds: input.priorityIds };
      }),
    ),

  /**
   * Removes a priority from a draft plan, with everything in its steps. In a refreshed plan (a
   * revision after the first) the reason is required, and kept with the revision.
   */
  remove: partnershipProcedure("editor")
    .input(
      z.object({
        priorityId: IdSchema,
        version: VersionSchema,
        reason: z.string().trim().max(1000).default(""),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.db.transaction().execute(async (trx) => {
        const before = await findPriority(trx, input.partnershipId, input.priorityId);
        if (before && LOCKED.has(before.plan_status))
          throw fieldError(
            "priorityId",
            `This plan is ${before.plan_status}; refresh it to remove priorities.`,
          );
        const plan = before && (await findPlan(trx, input.partnershipId, before.plan_id));
        const refreshed = plan !== undefined && plan.revision > 1;
        if (before && refreshed && input.reason === "")
          throw fieldError("reason", "Say why this priority is dropped in the refresh");
        if (!before || !(await deleteVersioned(trx, "priority", input.priorityId, input.version))) {
          throw staleOrMissing("priority", before && toPriorityView(before));
        }
        await audit(trx, ctx, {
          action: "delete",
          entity: "priority",
          entityId: before.id,
          partnershipId: input.partnershipId,
          before: toPriorityView(before),
          after: null,
        });
        if (refreshed) {
          const removal = await recordPriorityRemoval(trx, {
            plan_id: before.plan_id,
            title: before.title,
            theme: before.theme,
            reason: input.reason,
            removed_by: ctx.session.user.id,
            removed_at: nowIso(),
          });
          await audit(trx, ctx, {
            action: "create",
            entity: "priority_removal",
            entityId: removal.id,
            partnershipId: input.partnershipId,
            before: null,
            after: { title: removal.title, reason: removal.reason },
          });
        }
        return { removed: true };
      }),
    ),

  /** Steps 1 and 3 for one of a priority's indicators: comparisons, trend, rank, change points, forecast, realism, status. */
  analysis: partnershipProcedure("viewer")
    .input(z.object({ itemId: IdSchema }))
    .query(({ ctx, input }) =>
      // Remembered per partnership and item until the next audited change; the item is read (and
      // checked to be this partnership's) only when the answer is not remembered.
      cachedAnalyseIndicator(ctx.db, input, async () => {
        const item = await findItem(ctx.db, input.partnershipId, input.itemId);
        if (!item || item.kind !== "indicator")
          throw new TRPCError({
            code: "NOT_FOUND",
            message: "No such indicator in this partnership's plans",
          });
        const [partnership] = await listPartnerships(ctx.db, { ids: [input.partnershipId] });
        if (!partnership) throw new TRPCError({ code: "NOT_FOUND", message: "No such partnership" });
        const view = toItemView(item);
        if (view.kind !== "indicator")
          throw new TRPCError({ code: "NOT_FOUND", message: "Not an indicator" });
        return analyseIndicator(ctx.db, { areaCode: partnership.areaCode, itemId: item.id, data: view.data });
      }),
    ),

  /**
   * Step 1's heat map: the priority's indicators × the area, its comparator areas and England,
   * each cell its value and judgement against England; only what the map and its table show.
   */
  heatMap: partnershipProcedure("viewer")
    .input(z.object({ priorityId: IdSchema }))
    .query(async ({ ctx, input }) => {
      const priority = await findPriority(ctx.db, input.partnershipId, input.priorityId);
      if (!priority)
        throw new TRPCError({ code: "NOT_FOUND", message: "No such priority in this partnership" });
      const [partnership] = await listPartnerships(ctx.db, { ids: [input.partnershipId] });
      if (!partnership) throw new TRPCError({ code: "NOT_FOUND", message: "No such partnership" });
      const items = (await listItems(ctx.db, { planId: priority.plan_id, priorityId: priority.id }))
        .map(toItemView)
        .flatMap((i) => (i.kind === "indicator" ? [i.data] : []));
      return heatMap(ctx.db, partnership.areaCode, items);
    }),

  /** Step 1's breakdowns of one of a priority's indicators (by sex, age band…) and the gap between them. */
  breakdowns: partnershipProcedure("viewer")
    .input(z.object({ itemId: IdSchema }))
    .query(async ({ ctx, input }) => {
      const item = await findItem(ctx.db, input.partnershipId, input.itemId);
      const view = item ? toItemView(item) : null;
      if (!view || view.kind !== "indicator")
        throw new TRPCError({ code: "NOT_FOUND", message: "No such indicator in this partnership's plans" });
      const [partnership] = await listPartnerships(ctx.db, { ids: [input.partnershipId] });
      if (!partnership) throw new TRPCError({ code: "NOT_FOUND", message: "No such partnership" });
      return indicatorBreakdowns(ctx.db, partnership.areaCode, view.data.indicatorCode);
    }),

  /** The area profile: every indicator for the partnership's area against region and nation. */
  areaProfile: partnershipProcedure("viewer").query(async ({ ctx, input }) => {
    const [partnership] = await listPartnerships(ctx.db, { ids: [input.partnershipId] });
    if (!partnership) throw new TRPCError({ code: "NOT_FOUND", message: "No such partnership" });
    return areaProfile(ctx.db, partnership.areaCode);
  }),
});
