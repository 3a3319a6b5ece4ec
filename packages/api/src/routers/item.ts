import {
  deleteVersioned,
  type Executor,
  findItem,
  findPlan,
  findPriority,
  insertActionUpdate,
  insertGoodPractice,
  insertItem,
  listItems,
  listMemberships,
  nextPosition,
  nowIso,
  saveChangePointNote,
  searchGoodPractice,
  updateWithVersion,
} from "@fivestep/db";
import {
  type ActionStatus,
  ActionUpdateSchema,
  ChangePointNoteSchema,
  IdSchema,
  PLAN_LEVEL_KINDS,
  type PlanItem,
  PlanItemSchema,
  type PlanStatus,
  priorityIndicatorSchemaFor,
  roleAtLeast,
  VersionSchema,
} from "@fivestep/domain";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { audit } from "../audit.ts";
import { staleOrMissing } from "../errors.ts";
import { fieldError, schemaError } from "../field-error.ts";
import { recomputeStatuses } from "../monitoring.ts";
import { targetContext } from "../plan-rules.ts";
import { toItemView } from "../plan-views.ts";
import { authedProcedure, createTRPCRouter, partnershipProcedure } from "../trpc.ts";

// Once a plan is agreed its targets and choices are fixed until the annual refresh; delivery
// (actions, communications, reporting) goes on being updated.
const DELIVERY_KINDS = new Set(["action", "communication", "report"]);

function assertEditable(status: PlanStatus, kind: string) {
  if (status === "closed") throw fieldError("kind", "This plan is closed.");
  if ((status === "agreed" || status === "in-delivery") && !DELIVERY_KINDS.has(kind)) {
    throw fieldError(
      "kind",
      `This plan is ${status}: its indicators, targets, evidence and options change only in the annual refresh.`,
    );
  }
}

/**
 * Checks that an item's references are the partnership's own: an action's indicator and an
 * option's evidence in the same priority, an action's lead a member of the partnership (or the
 * lead it already had, who may since have left), a reporting schedule's recipients its active
 * members.
 */
async function checkReferences(
  db: Executor,
  scope: {
    partnershipId: number;
    planId: number;
    priorityId: number | null;
    currentLeadUserId: number | null;
  },
  item: PlanItem,
) {
  if (item.kind === "report") {
    // A schedule's pack goes only to the partnership's own active members.
    if (item.data.recipients.length === 0) return;
    const members = await listMemberships(db, { partnershipId: scope.partnershipId });
    const active = new Set(members.filter((m) => m.userStatus === "active").map((m) => m.userId));
    if (item.data.recipients.some((id) => !active.has(id)))
      throw fieldError("data.recipients", "Choose members of this partnership");
    return;
  }
  if (item.kind !== "action" && item.kind !== "option") return;
  const { partnershipId, planId, priorityId, currentLeadUserId } = scope;
  if (item.kind === "action" && item.data.leadUserId !== null && item.data.leadUserId !== currentLeadUserId) {
    const members = await listMemberships(db, { partnershipId });
    if (!members.some((m) => m.userId === item.data.leadUserId))
      throw fieldError("data.leadUserId", "Choose a member of this partnership");
  }
  const siblings = priorityId === null ? [] : await listItems(db, { planId, priorityId });
  if (item.kind === "action" && item.data.priorityIndicatorId !== null) {
    if (!siblings.some((s) => s.id === item.data.priorityIndicatorId && s.kind === "indicator")) {
      throw fieldError("data.priorityIndicatorId", "Choose one of this priority's indicators");
    }
  }
  if (item.kind === "option") {
    for (const id of item.data.evidenceIds) {
      if (!siblings.some((s) => s.id === id && s.kind === "evidence"))
        throw fieldError("data.evidenceIds", "Choose evidence from this priority");
    }
  }
}

/**
 * Checks a target against the rules that need stored data (the indicator's range, the plan's
 * years, the milestones before an annual refresh); refuses it with every broken rule at its field.
 */
async function checkTarget(
  db: Executor,
  scope: { partnershipId: number; planId: number; priorityTitle: string },
  item: PlanItem,
) {
  if (item.kind !== "indicator") return;
  const plan = await findPlan(db, scope.partnershipId, scope.planId);
  if (!plan) return;
  const context = await targetContext(db, plan, scope.priorityTitle, item.data.indicatorCode);
  const result = priorityIndicatorSchemaFor(context).safeParse(item.data);
  if (!result.success) throw schemaError(result.error, ["item", "data"]);
}

/** The top-level keys of `item.data` in a call's raw input: the fields the caller gave. */
function givenDataKeys(raw: unknown): ReadonlySet<string> {
  const item = raw && typeof raw === "object" ? (raw as { item?: unknown }).item : undefined;
  const data = item && typeof item === "object" ? (item as { data?: unknown }).data : undefined;
  return new Set(data && typeof data === "object" && !Array.isArray(data) ? Object.keys(data) : []);
}

/**
 * An indicator's update keeps what it is not given: step 1 sends the indicator and its comparator
 * group, step 3 the target, and neither wipes the other's fields. Fields the caller leaves out of
 * `item.data` keep their stored values, as long as the indicator is the same one (another
 * indicator's target would not fit it). Fields sent, even empty, replace the stored ones.
 */
function keepUngivenFields(
  item: PlanItem,
  before: PlanItem | undefined,
  given: ReadonlySet<string>,
): PlanItem {
  if (item.kind !== "indicator" || before?.kind !== "indicator") return item;
  if (before.data.indicatorCode !== item.data.indicatorCode) return item;
  const kept = Object.fromEntries(Object.entries(before.data).filter(([key]) => !given.has(key)));
  return { kind: "indicator", data: { ...item.data, ...kept } };
}

/**
 * The status a progress update moves an action to, or null when it stays: a planned action with
 * work begun is in progress, and one at 100% is done; stopped and done actions stay as set.
 *
 * @example statusAfterProgress("planned", 20) // "in-progress"
 */
export function statusAfterProgress(status: ActionStatus, percentComplete: number): ActionStatus | null {
  if (status === "stopped" || status === "done") return null;
  if (percentComplete >= 100) return "done";
  if (status === "planned" && percentComplete > 0) return "in-progress";
  return null;
}

/** The parts of the five steps: one save and one remove for every kind, progress updates and change-point notes. */
export const itemRouter = createTRPCRouter({
  /**
   * Creates (without `id`) or updates (with `id` and `version`) one part of a priority's steps, or
   * a plan-level part (the reporting schedule) with `planId`.
   */
  save: partnershipProcedure("editor")
    .input(
      z.object({
        item: PlanItemSchema,
        priorityId: IdSchema.nullable().default(null),
        planId: IdSchema.nullable().default(null),
        id: IdSchema.nullable().default(null),
        version: VersionSchema.nullable().default(null),
      }),
    )
    .use(async ({ getRawInput, next }) =>
      next({ ctx: { givenDataKeys: givenDataKeys(await getRawInput()) } }),
    )
    .mutation(({ ctx, input }) =>
      ctx.db.transaction().execute(async (trx) => {
        const planLevel = (PLAN_LEVEL_KINDS as readonly string[]).includes(input.item.kind);
        let planId: number;
        let planStatus: PlanStatus;
        let priorityId: number | null = null;
        let priorityTitle = "";
        if (planLevel) {
          const plan =
            input.planId === null ? undefined : await findPlan(trx, input.partnershipId, input.planId);
          if (!plan) throw fieldError("planId", "Choose a plan of this partnership");
          planId = plan.id;
          planStatus = plan.status;
        } else {
          const priority =
            input.priorityId === null
              ? undefined
              : await findPriority(trx, input.partnershipId, input.priorityId);
          if (!priority) throw fieldError("priorityId", "Choose a priority of this partnership");
          planId = priority.plan_id;
          planStatus = priority.plan_status;
          priorityId = priority.id;
          priorityTitle = priority.title;
        }
        assertEditable(planStatus, input.item.kind);
        const before = input.id === null ? undefined : await findItem(trx, input.partnershipId, input.id);
        const item = keepUngivenFields(input.item, before && toItemView(before), ctx.givenDataKeys);
        await checkReferences(
          trx,
          {
            partnershipId: input.partnershipId,
            planId,
            priorityId,
            currentLeadUserId: before?.lead_user_id ?? null,
          },
          item,
        );
        await checkTarget(trx, { partnershipId: input.partnershipId, planId, priorityTitle }, item);
        const now = nowIso();
        const leadUserId = item.kind === "action" ? item.data.leadUserId : null;
        if (input.id === null) {
          const row = await insertItem(trx, {
            plan_id: planId,
            priority_id: priorityId,
            kind: item.kind,
            position: await nextPosition(trx, planId, priorityId, item.kind),
            data_json: JSON.stringify(item.data),
            lead_user_id: leadUserId,
            created_at: now,
            updated_at: now,
          });
          const view = toItemView(row);
          await audit(trx, ctx, {
            action: "create",
            entity: "plan_item",
            entityId: row.id,
            partnershipId: input.partnershipId,
            before: null,
            after: view,
          });
          if (item.kind === "indicator") {
            // Judge the new target now, so the stored status never lags the overview.
            await recomputeStatuses(trx, {
              indicatorCodes: [item.data.indicatorCode],
              itemIds: [row.id],
              cause: `Target added by ${ctx.session.user.displayName}`,
            });
          }
          return view;
        }
        if (before && before.kind !== item.kind)
          throw fieldError("item.kind", "An item cannot change its kind");
        const row =
          before && input.version !== null
            ? await updateWithVersion(trx, "plan_item", before.id, input.version, {
                data_json: JSON.stringify(item.data),
                lead_user_id: leadUserId,
                updated_at: now,
              })
            : undefined;
        if (!before || !row) throw staleOrMissing(item.kind, before && toItemView(before));
        await audit(trx, ctx, {
          action: "update",
          entity: "plan_item",
          entityId: row.id,
          partnershipId: input.partnershipId,
          before: toItemView(before),
          after: toItemView(row),
        });
        if (item.kind === "indicator") {
          // Judge the target again against its new path, in this transaction.
          await recomputeStatuses(trx, {
            indicatorCodes: [item.data.indicatorCode],
            itemIds: [row.id],
            cause: `Target changed by ${ctx.session.user.displayName}`,
          });
        }
        return toItemView(row);
      }),
    ),

  /** Removes one part of a step. */
  remove: partnershipProcedure("editor")
    .input(z.object({ id: IdSchema, version: VersionSchema }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction().execute(async (trx) => {
        const before = await findItem(trx, input.partnershipId, input.id);
        if (before) assertEditable(before.plan_status, before.kind);
        if (!before || !(await deleteVersioned(trx, "plan_item", input.id, input.version))) {
          throw staleOrMissing("item", before && toItemView(before));
        }
        await audit(trx, ctx, {
          action: "delete",
          entity: "plan_item",
          entityId: before.id,
          partnershipId: input.partnershipId,
          before: toItemView(before),
          after: null,
        });
        return { removed: true };
      }),
    ),

  /** A dated progress update on an action: by its lead (a contributor) or any editor. */
  addActionUpdate: partnershipProcedure("contributor")
    .input(ActionUpdateSchema.extend({ actionId: IdSchema }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction().execute(async (trx) => {
        const item = await findItem(trx, input.partnershipId, input.actionId);
        if (!item || item.kind !== "action")
          throw new TRPCError({ code: "NOT_FOUND", message: "No such action in this partnership" });
        if (!roleAtLeast(ctx.role, "editor") && item.lead_user_id !== ctx.session.user.id) {
          throw new TRPCError({
            code: "FORBIDDEN",
            message: "Contributors update only the actions they lead.",
          });
        }
        if (item.plan_status === "closed") throw fieldError("note", "This plan is closed.");
        const row = await insertActionUpdate(trx, {
          item_id: item.id,
          update_date: input.date,
          note: input.note,
          percent_complete: input.percentComplete,
          author_user_id: ctx.session.user.id,
          created_at: nowIso(),
        });
        await audit(trx, ctx, {
          action: "create",
          entity: "action_update",
          entityId: row.id,
          partnershipId: input.partnershipId,
          before: null,
          after: {
            actionId: item.id,
            date: row.update_date,
            note: row.note,
            percentComplete: row.percent_complete,
          },
        });
        // Progress moves the status: begun work is in progress, 100% is done. A stopped or done
        // action keeps what its editor set.
        const before = toItemView(item);
        const status =
          before.kind === "action" ? statusAfterProgress(before.data.status, input.percentComplete) : null;
        if (before.kind === "action" && status !== null) {
          const data = { ...before.data, status };
          const moved = await updateWithVersion(trx, "plan_item", item.id, item.version, {
            data_json: JSON.stringify(data),
            updated_at: nowIso(),
          });
          if (!moved) throw staleOrMissing("action", before);
          await audit(trx, ctx, {
            action: "update",
            entity: "plan_item",
            entityId: item.id,
            partnershipId: input.partnershipId,
            before,
            after: toItemView(moved),
          });
        }
        return { id: row.id, status: status ?? (before.kind === "action" ? before.data.status : null) };
      }),
    ),

  /** Explains a change point in an indicator's series ("what happened between 2002 and 2004?"); an empty note clears it. */
  saveChangePointNote: partnershipProcedure("editor")
    .input(ChangePointNoteSchema.extend({ itemId: IdSchema }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction().execute(async (trx) => {
        const item = await findItem(trx, input.partnershipId, input.itemId);
        if (!item || item.kind !== "indicator")
          throw new TRPCError({
            code: "NOT_FOUND",
            message: "No such indicator in this partnership's plans",
          });
        const before = await saveChangePointNote(trx, item.id, input.period, input.note, nowIso());
        await audit(trx, ctx, {
          action: "update",
          entity: "change_point_note",
          entityId: item.id,
          partnershipId: input.partnershipId,
          before: before === null ? null : { period: input.period, note: before },
          after: input.note === "" ? null : { period: input.period, note: input.note },
        });
        return { saved: true };
      }),
    ),

  /** Publishes an option the partnership tried to the good-practice library, with the outcome it saw. */
  publishPractice: partnershipProcedure("editor")
    .input(
      z.object({
        optionId: IdSchema,
        outcome: z.string().trim().min(1, "Say what happened to the indicators").max(4000),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.db.transaction().execute(async (trx) => {
        const item = await findItem(trx, input.partnershipId, input.optionId);
        if (!item || item.kind !== "option" || item.priority_id === null)
          throw new TRPCError({ code: "NOT_FOUND", message: "No such option in this partnership" });
        const option = toItemView(item);
        if (option.kind !== "option") throw new TRPCError({ code: "NOT_FOUND", message: "Not an option" });
        const siblings = (await listItems(trx, { planId: item.plan_id, priorityId: item.priority_id })).map(
          toItemView,
        );
        const priority = await findPriority(trx, input.partnershipId, item.priority_id);
        const codes = siblings.flatMap((s) => (s.kind === "indicator" ? [s.data.indicatorCode] : []));
        const evidence = siblings
          .flatMap((s) =>
            s.kind === "evidence" && option.data.evidenceIds.includes(s.id)
              ? [`${s.data.title}: ${s.data.summary}`]
              : [],
          )
          .join("\n");
        const row = await insertGoodPractice(trx, {
          partnership_id: input.partnershipId,
          source_item_id: item.id,
          title: option.data.title,
          theme: priority?.theme ?? "",
          indicator_codes: codes.map((c) => `|${c}|`).join(""),
          summary: [option.data.description, option.data.practice].filter(Boolean).join("\n\n"),
          evidence,
          outcome: input.outcome,
          published_by: ctx.session.user.id,
          published_at: nowIso(),
        });
        await audit(trx, ctx, {
          action: "publish",
          entity: "good_practice",
          entityId: row.id,
          partnershipId: input.partnershipId,
          before: null,
          after: { title: row.title, theme: row.theme, indicatorCodes: codes },
        });
        return { id: row.id };
      }),
    ),

  /** The good-practice library shared by every partnership, searched by indicator, theme and words. */
  searchPractice: authedProcedure
    .input(
      z.object({
        indicatorCode: z.string().trim().max(40).optional(),
        theme: z.string().trim().max(100).optional(),
        text: z.string().trim().max(100).optional(),
      }),
    )
    .query(({ ctx, input }) => searchGoodPractice(ctx.db, input)),
});
