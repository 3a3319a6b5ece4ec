import {
  type Database,
  lastReportIssue,
  listActionUpdates,
  listCommentary,
  listItems,
  listPriorities,
  listStatusChanges,
  type PlanRow,
} from "@fivestep/db";
import type { Kysely } from "kysely";
import { planOverview } from "./plan-overview.ts";
import { toItemView } from "./plan-views.ts";

/**
 * The performance report of a plan: exceptions first (off-track and at-risk targets, each with the
 * owner's commentary for the latest period), then every priority with its indicators (series for
 * the chart, trend, benchmark, status) and the progress of its actions; and what changed since the
 * report was last issued.
 *
 * @example const report = await performanceReport(db, plan, "E08000026");
 */
export async function performanceReport(
  db: Kysely<Database>,
  plan: PlanRow,
  areaCode: string,
  now = new Date(),
) {
  const overview = await planOverview(db, plan, areaCode, now);
  const items = (await listItems(db, { planId: plan.id })).map(toItemView);
  const actions = items.filter((i) => i.kind === "action");
  const updates = await listActionUpdates(
    db,
    actions.map((a) => a.id),
  );
  const commentary = await listCommentary(
    db,
    items.filter((i) => i.kind === "indicator").map((i) => i.id),
  );
  const since = await lastReportIssue(db, plan.id);
  const changes = await listStatusChanges(db, plan.id, since);
  const priorities = overview.priorities.map((p) => ({
    id: p.priority.id,
    title: p.priority.fields.title,
    theme: p.priority.fields.theme,
    owner: p.priority.fields.ownerName,
    indicators: p.indicators.map((i) => ({
      ...i,
      commentary: commentary.find((c) => c.itemId === i.itemId && c.period === i.latest?.period) ?? null,
    })),
    actions: actions
      .filter((a) => a.priorityId === p.priority.id)
      .flatMap((a) => (a.kind === "action" ? [a] : []))
      .map((a) => {
        const latest = updates.find((u) => u.itemId === a.id);
        return {
          id: a.id,
          what: a.data.what,
          lead: a.data.leadPerson,
          organisation: a.data.leadOrganisation,
          dueDate: a.data.dueDate,
          status: a.data.status,
          percentComplete: latest?.percentComplete ?? null,
          lastUpdate: latest ? { date: latest.date, note: latest.note } : null,
          milestones: a.data.milestones.map((m) => ({ title: m.title, dueDate: m.dueDate, done: m.done })),
        };
      }),
  }));
  const exceptions = priorities.flatMap((p) =>
    p.indicators
      .filter((i) => i.status === "off-track" || i.status === "at-risk")
      .map((i) => ({ priority: p.title, owner: p.owner, ...i })),
  );
  return {
    plan: overview.plan,
    counts: overview.counts,
    warnings: overview.warnings,
    exceptions,
    priorities,
    since,
    changes,
    generatedAt: now.toISOString(),
  };
}

/** @example const r: PerformanceReport = await performanceReport(db, plan, areaCode); */
export type PerformanceReport = Awaited<ReturnType<typeof performanceReport>>;

/** The public community view of a plan: priorities, targets and statuses, no personal data. @example const view = await publicView(db, plan, areaCode); */
export async function publicView(db: Kysely<Database>, plan: PlanRow, areaCode: string, now = new Date()) {
  const overview = await planOverview(db, plan, areaCode, now);
  const priorities = await listPriorities(db, plan.id);
  return {
    plan: {
      title: overview.plan.title,
      vision: overview.plan.vision,
      periodLabel: overview.plan.periodLabel,
      status: overview.plan.status,
    },
    counts: overview.counts,
    priorities: overview.priorities.map((p) => ({
      title: p.priority.fields.title,
      theme: p.priority.fields.theme,
      indicators: p.indicators.map((i) => ({
        code: i.code,
        title: i.title,
        unit: i.unit,
        latest: i.latest,
        expected: i.expected,
        status: i.status,
        trend: i.trend.marker,
      })),
      actionCount: p.actionCount,
    })),
    priorityCount: priorities.length,
  };
}
