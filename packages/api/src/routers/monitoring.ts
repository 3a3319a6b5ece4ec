import {
  findDataReturn,
  findDataReturnFor,
  findIndicatorByCode,
  findItem,
  findPlan,
  findPublishedPlan,
  insertDataReturn,
  insertReportIssue,
  listDataReturns,
  listMemberships,
  listNotifications,
  listPartnerships,
  markNotificationsRead,
  nowIso,
  type PlanRow,
  saveCommentary,
  unreadNotificationIds,
  updateWithVersion,
  upsertObservations,
} from "@fivestep/db";
import {
  IdSchema,
  IndicatorCodeSchema,
  isPublishable,
  PeriodKeySchema,
  reportIssueViolations,
  roleAtLeast,
  VersionSchema,
} from "@fivestep/domain";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { audit } from "../audit.ts";
import type { Context } from "../context.ts";
import { staleOrMissing } from "../errors.ts";
import { fieldError, rulesError } from "../field-error.ts";
import { inAppNotifier, recomputeStatuses } from "../monitoring.ts";
import { toPlanView } from "../plan-views.ts";
import { performanceReport, publicView } from "../report.ts";
import { authedProcedure, createTRPCRouter, partnershipProcedure, publicProcedure } from "../trpc.ts";

const isoDate = z.iso.date({ message: "Enter a real date, like 2008-07-15" });

async function planAndArea(
  ctx: Pick<Context, "db">,
  partnershipId: number,
  planId: number,
): Promise<{ plan: PlanRow; areaCode: string }> {
  const plan = await findPlan(ctx.db, partnershipId, planId);
  if (!plan) throw new TRPCError({ code: "NOT_FOUND", message: "No such plan in this partnership" });
  const [partnership] = await listPartnerships(ctx.db, { ids: [partnershipId] });
  if (!partnership) throw new TRPCError({ code: "NOT_FOUND", message: "No such partnership" });
  return { plan, areaCode: partnership.areaCode };
}

/** Delivery: data returns, notifications, the performance report and its packs, the dashboard and the public view. */
export const monitoringRouter = createTRPCRouter({
  /** Priorities × status at a glance, and what changed since the report was last issued. */
  dashboard: partnershipProcedure("viewer")
    .input(z.object({ planId: IdSchema }))
    .query(async ({ ctx, input }) => {
      const { plan, areaCode } = await planAndArea(ctx, input.partnershipId, input.planId);
      const report = await performanceReport(ctx.db, plan, areaCode);
      return {
        plan: report.plan,
        counts: report.counts,
        grid: report.priorities.map((p) => ({
          id: p.id,
          title: p.title,
          statuses: p.indicators.map((i) => ({ code: i.code, status: i.status })),
        })),
        since: report.since,
        changes: report.changes,
        due: (await listDataReturns(ctx.db, { partnershipId: input.partnershipId, status: "due" })).map(
          (r) => ({
            id: r.id,
            indicatorCode: r.indicator_code,
            period: r.period,
            dueDate: r.due_date,
            assignee: r.assigneeName,
          }),
        ),
      };
    }),

  /** The performance report: exceptions first, then every priority. */
  report: partnershipProcedure("viewer")
    .input(z.object({ planId: IdSchema }))
    .query(async ({ ctx, input }) => {
      const { plan, areaCode } = await planAndArea(ctx, input.partnershipId, input.planId);
      return performanceReport(ctx.db, plan, areaCode);
    }),

  /** The owner's commentary on a target for its latest period (required for exceptions). */
  saveCommentary: partnershipProcedure("editor")
    .input(
      z.object({
        itemId: IdSchema,
        period: PeriodKeySchema,
        text: z.string().trim().min(1, "Write the commentary").max(4000),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.db.transaction().execute(async (trx) => {
        const item = await findItem(trx, input.partnershipId, input.itemId);
        if (!item || item.kind !== "indicator")
          throw new TRPCError({ code: "NOT_FOUND", message: "No such target in this partnership" });
        const before = await saveCommentary(
          trx,
          item.id,
          input.period,
          input.text,
          ctx.session.user.id,
          nowIso(),
        );
        await audit(trx, ctx, {
          action: "update",
          entity: "report_commentary",
          entityId: item.id,
          partnershipId: input.partnershipId,
          before: before === null ? null : { period: input.period, text: before },
          after: { period: input.period, text: input.text },
        });
        return { saved: true };
      }),
    ),

  /**
   * Records that a report pack was issued to an audience; "what changed" then counts from here.
   * The board's pack only once every exception carries the owner's commentary.
   */
  issue: partnershipProcedure("lead")
    .input(z.object({ planId: IdSchema, audience: z.enum(["board", "operational", "public"]) }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction().execute(async (trx) => {
        const plan = await findPlan(trx, input.partnershipId, input.planId);
        if (!plan) throw new TRPCError({ code: "NOT_FOUND", message: "No such plan in this partnership" });
        if (input.audience === "board") {
          const { areaCode } = await planAndArea({ db: trx }, input.partnershipId, plan.id);
          const { exceptions } = await performanceReport(trx, plan, areaCode);
          const found = reportIssueViolations(
            exceptions.map((e) => ({
              itemId: e.itemId,
              indicatorCode: e.code,
              period: e.latest?.period ?? null,
              hasCommentary: e.commentary !== null,
            })),
          );
          if (found.length > 0) throw rulesError(found);
        }
        const row = await insertReportIssue(trx, {
          plan_id: plan.id,
          audience: input.audience,
          issued_at: nowIso(),
          issued_by: ctx.session.user.id,
        });
        await audit(trx, ctx, {
          action: "issue",
          entity: "report_issue",
          entityId: row.id,
          partnershipId: input.partnershipId,
          before: null,
          after: { planId: plan.id, audience: input.audience },
        });
        return { id: row.id, issuedAt: row.issued_at };
      }),
    ),

  /** Turns the public community view of a plan on or off (opt-in per plan). */
  setPublished: partnershipProcedure("lead")
    .input(z.object({ planId: IdSchema, version: VersionSchema, published: z.boolean() }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction().execute(async (trx) => {
        const before = await findPlan(trx, input.partnershipId, input.planId);
        // Only an agreed plan is shown to the public; taking one off the public view is always allowed.
        if (before && input.published && !isPublishable(before.status)) {
          throw fieldError(
            "published",
            `Only an agreed plan can be published. This plan is ${before.status === "draft" ? "a draft" : "submitted for agreement but not yet agreed"}.`,
          );
        }
        const row = before
          ? await updateWithVersion(trx, "plan", before.id, input.version, {
              published: input.published ? 1 : 0,
              updated_at: nowIso(),
            })
          : undefined;
        if (!before || !row) throw staleOrMissing("plan", before && toPlanView(before));
        await audit(trx, ctx, {
          action: "set-published",
          entity: "plan",
          entityId: row.id,
          partnershipId: input.partnershipId,
          before: { version: before.version, published: before.published === 1 },
          after: { version: row.version, published: row.published === 1 },
        });
        return { ...toPlanView(row), published: row.published === 1 };
      }),
    ),

  /** A published plan for the public: priorities, targets and statuses; no personal data, no sign-in. */
  publicPlan: publicProcedure.input(z.object({ planId: IdSchema })).query(async ({ ctx, input }) => {
    const plan = await findPublishedPlan(ctx.db, input.planId);
    if (!plan) throw new TRPCError({ code: "NOT_FOUND", message: "This plan is not published" });
    const [partnership] = await listPartnerships(ctx.db, { ids: [plan.partnership_id] });
    if (!partnership) throw new TRPCError({ code: "NOT_FOUND", message: "This plan is not published" });
    return {
      partnership: { name: partnership.name, areaName: partnership.areaName },
      ...(await publicView(ctx.db, plan, partnership.areaCode)),
    };
  }),

  /** The partnership's data returns (due, late and submitted). */
  returns: partnershipProcedure("viewer").query(async ({ ctx, input }) =>
    (await listDataReturns(ctx.db, { partnershipId: input.partnershipId })).map((r) => ({
      ...r,
      late: r.status === "due" && r.due_date < nowIso().slice(0, 10),
    })),
  ),

  /** The caller's own due returns across partnerships. */
  myReturns: authedProcedure.query(async ({ ctx }) =>
    (await listDataReturns(ctx.db, { assigneeUserId: ctx.session.user.id, status: "due" })).map((r) => ({
      ...r,
      late: r.due_date < nowIso().slice(0, 10),
    })),
  ),

  /** Schedules data returns for a local indicator: a contributor owes a value per period by a due date. */
  scheduleReturns: partnershipProcedure("lead")
    .input(
      z.object({
        indicatorCode: IndicatorCodeSchema,
        assigneeUserId: IdSchema,
        returns: z
          .array(z.object({ period: PeriodKeySchema, dueDate: isoDate }))
          .min(1, "Add at least one period")
          .max(60),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.db.transaction().execute(async (trx) => {
        const members = await listMemberships(trx, { partnershipId: input.partnershipId });
        if (!members.some((m) => m.userId === input.assigneeUserId))
          throw fieldError("assigneeUserId", "Choose a member of this partnership");
        const indicator = await findIndicatorByCode(trx, input.indicatorCode);
        if (!indicator) throw fieldError("indicatorCode", `No indicator with code "${input.indicatorCode}"`);
        const ids: number[] = [];
        for (const r of input.returns) {
          const exists = await findDataReturnFor(trx, input.partnershipId, input.indicatorCode, r.period);
          if (exists)
            throw fieldError(
              "returns",
              `A return for ${input.indicatorCode} ${r.period} is already scheduled`,
            );
          const row = await insertDataReturn(trx, {
            partnership_id: input.partnershipId,
            indicator_code: input.indicatorCode,
            period: r.period,
            due_date: r.dueDate,
            assignee_user_id: input.assigneeUserId,
            status: "due",
            note: "",
            created_at: nowIso(),
          });
          ids.push(row.id);
          await audit(trx, ctx, {
            action: "create",
            entity: "data_return",
            entityId: row.id,
            partnershipId: input.partnershipId,
            before: null,
            after: {
              indicatorCode: row.indicator_code,
              period: row.period,
              dueDate: row.due_date,
              assigneeUserId: row.assignee_user_id,
            },
          });
        }
        await inAppNotifier.notify(trx, input.assigneeUserId, {
          kind: "data-return",
          text: `You have ${input.returns.length} data return(s) to make for ${input.indicatorCode}, the first due ${input.returns[0]?.dueDate}.`,
          link: "/returns",
        });
        return { ids };
      }),
    ),

  /** Submits a data return's value: by its assignee or an editor; the value is stored and every affected target is judged again. */
  submitReturn: partnershipProcedure("contributor")
    .input(
      z.object({
        id: IdSchema,
        version: VersionSchema,
        value: z.number().refine(Number.isFinite, "Enter a number"),
        note: z.string().trim().max(1000).default(""),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.db.transaction().execute(async (trx) => {
        const before = await findDataReturn(trx, input.partnershipId, input.id);
        if (before && !roleAtLeast(ctx.role, "editor") && before.assignee_user_id !== ctx.session.user.id) {
          throw new TRPCError({
            code: "FORBIDDEN",
            message: "Contributors submit only the returns assigned to them.",
          });
        }
        const now = nowIso();
        const row = before
          ? await updateWithVersion(trx, "data_return", before.id, input.version, {
              status: "submitted",
              value: input.value,
              note: input.note,
              submitted_at: now,
              submitted_by: ctx.session.user.id,
            })
          : undefined;
        if (!before || !row) throw staleOrMissing("data return", before);
        const [partnership] = await listPartnerships(trx, { ids: [input.partnershipId] });
        if (!partnership) throw new TRPCError({ code: "NOT_FOUND", message: "No such partnership" });
        await upsertObservations(trx, [
          {
            indicatorCode: row.indicator_code,
            areaCode: partnership.areaCode,
            period: row.period,
            value: input.value,
            numerator: null,
            denominator: null,
            lower: null,
            upper: null,
            note: input.note || null,
          },
        ]);
        await audit(trx, ctx, {
          action: "submit",
          entity: "data_return",
          entityId: row.id,
          partnershipId: input.partnershipId,
          before: { version: before.version, status: before.status, value: before.value },
          after: { version: row.version, status: row.status, value: row.value },
        });
        const changes = await recomputeStatuses(trx, {
          indicatorCodes: [row.indicator_code],
          // The value is the partnership's area's: only targets for that area can have moved.
          areaCodes: [partnership.areaCode],
          cause: `Data return ${row.indicator_code} ${row.period} by ${ctx.session.user.displayName}`,
          at: now,
        });
        return { id: row.id, changes };
      }),
    ),

  /** The caller's notifications, newest first. */
  notifications: authedProcedure.query(({ ctx }) => listNotifications(ctx.db, ctx.session.user.id)),

  /** Marks some of the caller's notifications read. */
  markRead: authedProcedure.input(z.object({ ids: z.array(IdSchema).max(100) })).mutation(({ ctx, input }) =>
    ctx.db.transaction().execute(async (trx) => {
      const unread = await unreadNotificationIds(trx, ctx.session.user.id, input.ids);
      const at = nowIso();
      const marked = await markNotificationsRead(trx, ctx.session.user.id, unread, at);
      for (const id of unread) {
        await audit(trx, ctx, {
          action: "read",
          entity: "notification",
          entityId: id,
          partnershipId: null,
          before: { readAt: null },
          after: { readAt: at },
        });
      }
      return { marked };
    }),
  ),

  /** Judges every target of the plan again now (leads, after changing a trajectory); records the changes. */
  recompute: partnershipProcedure("lead")
    .input(z.object({ planId: IdSchema }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction().execute(async (trx) => {
        const plan = await findPlan(trx, input.partnershipId, input.planId);
        if (!plan) throw new TRPCError({ code: "NOT_FOUND", message: "No such plan in this partnership" });
        const mine = await recomputeStatuses(trx, {
          planIds: [plan.id],
          cause: `Recomputed by ${ctx.session.user.displayName}`,
        });
        await audit(trx, ctx, {
          action: "recompute",
          entity: "plan",
          entityId: plan.id,
          partnershipId: input.partnershipId,
          before: null,
          after: { changed: mine.length },
        });
        return { changes: mine };
      }),
    ),
});
