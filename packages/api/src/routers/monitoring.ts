import {
  countPendingReturns,
  findAreaByCode,
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
  lockedChanges,
  markNotificationsRead,
  nowIso,
  type PlanRow,
  queueReminder,
  saveCommentary,
  unreadNotificationIds,
  updateWithVersion,
} from "@fivestep/db";
import {
  assigneeViolation,
  dueDateViolation,
  IdSchema,
  isPublishable,
  lockViolation,
  PeriodKeySchema,
  RevisionReasonSchema,
  reportIssueViolations,
  roleAtLeast,
  ScheduleReturnsSchema,
  SubmitReturnSchema,
  VersionSchema,
  valueViolation,
} from "@fivestep/domain";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { audit } from "../audit.ts";
import type { Context } from "../context.ts";
import { staleOrMissing } from "../errors.ts";
import { fieldError, ruleError, rulesError } from "../field-error.ts";
import { recomputeJob } from "../jobs/recompute.ts";
import { ReportExportPayloadSchema, reportExportJob } from "../jobs/report-export.ts";
import { startAuditedJob } from "../jobs/start.ts";
import { inAppNotifier, recomputeStatuses } from "../monitoring.ts";
import { toPlanView } from "../plan-views.ts";
import { performanceReport, publicView } from "../report.ts";
import { approveDataReturns, notifyApprovers, rejectDataReturns } from "../services/data-returns.ts";
import {
  adminProcedure,
  authedProcedure,
  createTRPCRouter,
  partnershipProcedure,
  publicProcedure,
} from "../trpc.ts";

/** Today (YYYY-MM-DD, UTC) by the request's clock. */
const todayOf = (ctx: Pick<Context, "clock">) => new Date(ctx.clock()).toISOString().slice(0, 10);

/** Returns named by id at the version seen: one, or a whole schedule at once. */
const ReturnRefs = z
  .array(z.object({ id: IdSchema, version: VersionSchema }))
  .min(1, "Choose at least one return")
  .max(100, "Review at most 100 returns at once");

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
  /** Priorities × status at a glance, what changed since the report was last issued, returns due, and values awaiting approval. */
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
        awaitingApproval: await countPendingReturns(ctx.db, input.partnershipId),
      };
    }),

  /** The performance report: exceptions first, then every priority. */
  report: partnershipProcedure("viewer")
    .input(z.object({ planId: IdSchema }))
    .query(async ({ ctx, input }) => {
      const { plan, areaCode } = await planAndArea(ctx, input.partnershipId, input.planId);
      return performanceReport(ctx.db, plan, areaCode);
    }),

  /**
   * Starts a report export as a job ("report.export"): the plan's report for an audience as CSV
   * or XLSX in a language. Anyone who may read the report may export it; the public pack only for
   * a published plan. Answers the job's id: `jobs.get` shows its progress and, once done, the
   * file's name; the file is at `/api/report-exports/:jobId` for a day.
   */
  startExport: partnershipProcedure("viewer")
    .input(ReportExportPayloadSchema.omit({ partnershipId: true }))
    .mutation(async ({ ctx, input }) => {
      const { plan } = await planAndArea(ctx, input.partnershipId, input.planId);
      if (input.pack === "public" && plan.published !== 1)
        throw fieldError("pack", "Only a published plan has a public pack: publish the plan first");
      const payload = { ...input, partnershipId: input.partnershipId };
      const jobId = await startAuditedJob(ctx, {
        kind: reportExportJob.name,
        payload,
        partnershipId: input.partnershipId,
        after: { kind: reportExportJob.name, planId: plan.id, pack: input.pack, format: input.format },
      });
      return { jobId };
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

  /** The partnership's data returns: due (late when past their date), pending approval, approved. */
  returns: partnershipProcedure("viewer").query(async ({ ctx, input }) => {
    const today = todayOf(ctx);
    return (await listDataReturns(ctx.db, { partnershipId: input.partnershipId })).map((r) => ({
      ...r,
      late: r.status === "due" && r.due_date < today,
    }));
  }),

  /** The caller's own returns across partnerships that are due or wait for approval. */
  myReturns: authedProcedure.query(async ({ ctx }) => {
    const today = todayOf(ctx);
    return (
      await listDataReturns(ctx.db, { assigneeUserId: ctx.session.user.id, status: ["due", "pending"] })
    ).map((r) => ({ ...r, late: r.status === "due" && r.due_date < today }));
  }),

  /**
   * Schedules data returns for a local indicator: someone who may submit them (a contributor or
   * above in this partnership) owes a value per period, each by a due date today or later.
   */
  scheduleReturns: partnershipProcedure("lead")
    .input(ScheduleReturnsSchema)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction().execute(async (trx) => {
        const members = await listMemberships(trx, { partnershipId: input.partnershipId });
        const assignee = members.find((m) => m.userId === input.assigneeUserId);
        if (!assignee) throw fieldError("assigneeUserId", "Choose a member of this partnership");
        const cannot = assigneeViolation({ name: assignee.displayName, role: assignee.role });
        if (cannot) throw ruleError("assigneeUserId", cannot);
        const indicator = await findIndicatorByCode(trx, input.indicatorCode);
        if (!indicator) throw fieldError("indicatorCode", `No indicator with code "${input.indicatorCode}"`);
        const today = todayOf(ctx);
        input.returns.forEach((r, i) => {
          const late = dueDateViolation(r.dueDate, today);
          if (late) throw ruleError(`returns.${i}.dueDate`, late);
        });
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
        // Each return in the assignee's inbox once, coded; its "assigned" reminder is queued in
        // the same transaction so the reminders job only emails it.
        const at = nowIso();
        for (const [i, id] of ids.entries()) {
          const r = input.returns[i];
          if (!r) continue;
          await inAppNotifier.notify(trx, input.assigneeUserId, {
            kind: "reminder",
            code: "reminder.dataReturn.assigned",
            params: { indicator: input.indicatorCode, period: r.period, due: r.dueDate },
            link: "/returns",
          });
          await queueReminder(
            trx,
            {
              kind: "data-return.assigned",
              subjectId: id,
              periodKey: "assigned",
              userId: input.assigneeUserId,
            },
            at,
          );
        }
        return { ids };
      }),
    ),

  /**
   * Submits a data return's value: by its assignee or an editor. The value must fit its indicator;
   * it waits on the return (pending) for a lead's approval and reaches no status, report or
   * public view until then. A value that would change a locked period needs a revision reason.
   */
  submitReturn: partnershipProcedure("contributor")
    .input(SubmitReturnSchema.extend({ id: IdSchema, version: VersionSchema }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction().execute(async (trx) => {
        const before = await findDataReturn(trx, input.partnershipId, input.id);
        if (before && !roleAtLeast(ctx.role, "editor") && before.assignee_user_id !== ctx.session.user.id) {
          throw new TRPCError({
            code: "FORBIDDEN",
            message: "Contributors submit only the returns assigned to them.",
          });
        }
        if (!before || before.version !== input.version) throw staleOrMissing("data return", before);
        const indicator = await findIndicatorByCode(trx, before.indicator_code);
        if (!indicator)
          throw new TRPCError({
            code: "NOT_FOUND",
            message: `No indicator with code "${before.indicator_code}"`,
          });
        const wrong = valueViolation(indicator, input.value);
        if (wrong) throw ruleError("value", wrong);
        const [partnership] = await listPartnerships(trx, { ids: [input.partnershipId] });
        const area = partnership && (await findAreaByCode(trx, partnership.areaCode));
        if (!area) throw new TRPCError({ code: "NOT_FOUND", message: "No such partnership" });
        const [locked] = await lockedChanges(trx, [
          {
            indicatorId: indicator.id,
            areaId: area.id,
            period: before.period,
            breakdown: "",
            value: input.value,
          },
        ]);
        const mustExplain =
          locked &&
          lockViolation({
            indicator: before.indicator_code,
            period: before.period,
            locked: true,
            current: locked.current.value,
            value: input.value,
            reason: input.revisionReason,
          });
        if (mustExplain) throw ruleError("revisionReason", mustExplain);
        const row = await updateWithVersion(trx, "data_return", before.id, input.version, {
          status: "pending",
          value: input.value,
          note: input.note,
          revision_reason: input.revisionReason || null,
          submitted_at: nowIso(),
          submitted_by: ctx.session.user.id,
          review_note: null,
          reviewed_by: null,
          reviewed_at: null,
        });
        if (!row) throw staleOrMissing("data return", before);
        await audit(trx, ctx, {
          action: "submit",
          entity: "data_return",
          entityId: row.id,
          partnershipId: input.partnershipId,
          before: { version: before.version, status: before.status, value: before.value },
          after: { version: row.version, status: row.status, value: row.value },
        });
        await notifyApprovers(trx, row, ctx.session.user.displayName);
        return { id: row.id, version: row.version, status: row.status };
      }),
    ),

  /** The values that wait for a lead's approval; `mine` marks those the caller sent (someone else must approve them). */
  approvalQueue: partnershipProcedure("lead").query(async ({ ctx, input }) =>
    (await listDataReturns(ctx.db, { partnershipId: input.partnershipId, status: "pending" })).map((r) => ({
      ...r,
      mine: r.submitted_by === ctx.session.user.id,
    })),
  ),

  /**
   * Approves pending values — one, or a whole schedule at once, in one transaction: each goes into
   * the data (a replaced value kept as a revision) and the targets it moves are judged again with
   * the approval as the cause. Nobody approves a value they sent. A value that would change a
   * locked period needs a reason: `revisionReason`, or the one sent with it.
   */
  approveReturns: partnershipProcedure("lead")
    .input(z.object({ returns: ReturnRefs, revisionReason: RevisionReasonSchema.default("") }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction().execute((trx) =>
        approveDataReturns(trx, ctx, {
          partnershipId: input.partnershipId,
          returns: input.returns,
          revisionReason: input.revisionReason,
          at: nowIso(),
        }),
      ),
    ),

  /** Sends pending values back to their contributors with a reason; the returns are due again. */
  rejectReturns: partnershipProcedure("lead")
    .input(
      z.object({
        returns: ReturnRefs,
        reason: z
          .string()
          .trim()
          .min(1, "Say why the value is sent back")
          .max(1000, "Use at most 1,000 characters"),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.db.transaction().execute((trx) =>
        rejectDataReturns(trx, ctx, {
          partnershipId: input.partnershipId,
          returns: input.returns,
          reason: input.reason,
          at: nowIso(),
        }),
      ),
    ),

  /** The caller's notifications, newest first: a message code and its parameters (worded by the
   * client in the reader's language) or, for those written before codes, the English `text`. */
  notifications: authedProcedure.query(async ({ ctx }) =>
    (await listNotifications(ctx.db, ctx.session.user.id)).map(({ paramsJson, ...n }) => ({
      ...n,
      params: paramsJson === null ? null : (JSON.parse(paramsJson) as Record<string, string | number>),
    })),
  ),

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

  /**
   * Starts `recompute` as a job (kind "monitoring.recompute", leads) and answers its id at once;
   * `jobs.get` follows its progress (indicators judged) and its result (targets judged,
   * statuses changed). Audited as a `job` "start" entry; the job's `plan` "recompute" entry
   * follows with this request's id.
   */
  startRecompute: partnershipProcedure("lead")
    .input(z.object({ planId: IdSchema }))
    .mutation(async ({ ctx, input }) => {
      const plan = await findPlan(ctx.db, input.partnershipId, input.planId);
      if (!plan) throw new TRPCError({ code: "NOT_FOUND", message: "No such plan in this partnership" });
      const payload = { scope: "plan" as const, partnershipId: input.partnershipId, planId: plan.id };
      const jobId = await startAuditedJob(ctx, {
        kind: recomputeJob.name,
        payload,
        partnershipId: input.partnershipId,
        after: { kind: recomputeJob.name, planId: plan.id },
      });
      return { jobId };
    }),

  /**
   * Starts a recompute of every target in the database as a job (administrators), as after a
   * change to the catalogue; answers its id at once. Audited as a `job` "start" entry.
   */
  startRecomputeAll: adminProcedure.input(z.object({}).default({})).mutation(async ({ ctx }) => {
    const jobId = await startAuditedJob(ctx, {
      kind: recomputeJob.name,
      payload: { scope: "all" },
      partnershipId: null,
      after: { kind: recomputeJob.name, scope: "all" },
    });
    return { jobId };
  }),
});
