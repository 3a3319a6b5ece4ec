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
import ExcelJS from "exceljs";
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

/**
 * The report as rows for CSV and spreadsheets: one row per indicator with its priority, latest
 * value, expectation, status, trend and benchmark.
 *
 * @example const rows = reportRows(report); rows[0] // ["Priority", "Indicator", …]
 */
export function reportRows(report: PerformanceReport): Array<Array<string | number | null>> {
  const header = [
    "Priority",
    "Owner",
    "Indicator code",
    "Indicator",
    "Period",
    "Latest value",
    "Trajectory expects",
    "Status",
    "Trend",
    "Against the region",
    "Actions",
    "Commentary",
  ];
  const rows = report.priorities.flatMap((p) =>
    p.indicators.map((i) => [
      p.title,
      p.owner,
      i.code,
      i.title,
      i.latest?.period ?? null,
      i.latest?.value ?? null,
      i.expected === null ? null : Math.round(i.expected * 1000) / 1000,
      i.status,
      i.trend.mannKendall?.trend ?? i.trend.marker,
      i.benchmark.region,
      i.actions,
      i.commentary?.text ?? "",
    ]),
  );
  return [header, ...rows];
}

/**
 * RFC 4180 CSV of rows (quotes doubled; cells beginning with = + - @ prefixed with ' so
 * spreadsheets do not run them as formulas).
 *
 * @example toCsv([["a", 1], ["b,c", null]]) // "a,1\r\n\"b,c\",\r\n"
 */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  const cell = (v: string | number | null) => {
    if (v === null) return "";
    let s = String(v);
    if (typeof v === "string" && /^[=+\-@]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return rows.map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}

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
        trend: i.trend.mannKendall?.trend ?? i.trend.marker,
      })),
      actionCount: p.actionCount,
    })),
    priorityCount: priorities.length,
  };
}

/**
 * The report as an XLSX workbook: a summary sheet with the counts, and an indicators sheet with
 * the same rows as the CSV (numbers stored as numbers).
 *
 * @example const bytes = await reportXlsx(report); // a Buffer to send as a download
 */
export async function reportXlsx(report: PerformanceReport): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = "Fivestep";
  book.created = new Date(report.generatedAt);
  const summary = book.addWorksheet("Summary");
  summary.addRows([
    ["Plan", report.plan.title],
    ["Period", report.plan.periodLabel],
    ["Generated", report.generatedAt],
    ["On track", report.counts["on-track"]],
    ["At risk", report.counts["at-risk"]],
    ["Off track", report.counts["off-track"]],
    ["No data", report.counts["no-data"]],
  ]);
  summary.getColumn(1).width = 14;
  summary.getColumn(2).width = 50;
  const sheet = book.addWorksheet("Indicators");
  const [header, ...rows] = reportRows(report);
  sheet.addRow(header ?? []);
  sheet.getRow(1).font = { bold: true };
  for (const r of rows) sheet.addRow(r);
  sheet.columns.forEach((c) => {
    c.width = 18;
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}
