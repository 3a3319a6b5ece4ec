import { findPlan, listPartnerships, saveReportExport } from "@fivestep/db";
import { IdSchema } from "@fivestep/domain";
import { z } from "zod";
import { performanceReport } from "../report.ts";
import { EXPORT_LOCALES, REPORT_PACKS, reportTables, tablesCsv, tablesXlsx } from "../report-exports.ts";
import { defineJobKind } from "./kinds.ts";

/** How long an export's file can be downloaded: a day. */
export const REPORT_EXPORT_TTL_MS = 24 * 60 * 60 * 1000;

/** The formats an export job writes (the PDF is printed by the server's browser, on request). */
export const REPORT_EXPORT_FORMATS = ["csv", "xlsx"] as const;

/** The payload of a report export: which plan, for which audience, in which format and language. */
export const ReportExportPayloadSchema = z.object({
  partnershipId: IdSchema,
  planId: IdSchema,
  pack: z.enum(REPORT_PACKS),
  format: z.enum(REPORT_EXPORT_FORMATS),
  lang: z.enum(EXPORT_LOCALES),
});

/** @example const p: ReportExportPayload = { partnershipId: 1, planId: 2, pack: "board", format: "xlsx", lang: "hr-HR" }; */
export type ReportExportPayload = z.infer<typeof ReportExportPayloadSchema>;

/**
 * A download's file name from a plan's title and the pack: letters, digits, hyphens.
 *
 * @example exportFileName("Coventry LAA 2008–11", "board", "csv") // "Coventry-LAA-200811-board.csv"
 */
export function exportFileName(title: string, pack: string, format: string): string {
  const base =
    title
      .replace(/[^\w\- ]+/g, "")
      .trim()
      .replace(/\s+/g, "-") || "report";
  return `${base}${pack === "full" ? "" : `-${pack}`}.${format}`;
}

/**
 * The job kind "report.export": writes a plan's report for one audience as CSV or XLSX
 * (`reportTables`) and keeps the file in the database for `REPORT_EXPORT_TTL_MS`, so any
 * instance can hand it out (`GET /api/report-exports/:jobId`). It runs as the person who started
 * it, and fails if they may no longer see the plan, or (public pack) the plan is not published.
 * The result names the file, its size and when it expires.
 *
 * @example await jobs.enqueue({ kind: reportExportJob.name, payload: { partnershipId: 1, planId: 2, pack: "board", format: "csv", lang: "en-GB" }, startedBy: 5 });
 */
export const reportExportJob = defineJobKind({
  name: "report.export",
  payload: ReportExportPayloadSchema,
  partnershipOf: (p) => p.partnershipId,
  async run(ctx, p) {
    const user = ctx.actor.session?.user;
    const member = user?.isAdmin || user?.memberships.some((m) => m.partnershipId === p.partnershipId);
    if (!member) throw new Error("The person who asked for this export may no longer see the plan");
    ctx.progress({ done: 0, total: 3, message: "report.export" });
    const plan = await findPlan(ctx.db, p.partnershipId, p.planId);
    const [partnership] = await listPartnerships(ctx.db, { ids: [p.partnershipId] });
    if (!plan || !partnership) throw new Error("That plan no longer exists");
    if (p.pack === "public" && plan.published !== 1)
      throw new Error("Only a published plan has a public pack: publish the plan first");
    const report = await performanceReport(ctx.db, plan, partnership.areaCode);
    ctx.progress({ done: 1, total: 3, message: "report.export" });
    const bytes =
      p.format === "csv"
        ? Buffer.from(`\uFEFF${tablesCsv(reportTables(report, p.pack, p.lang))}`, "utf8")
        : await tablesXlsx(report, p.pack, p.lang);
    ctx.progress({ done: 2, total: 3, message: "report.export" });
    const now = new Date();
    const file = {
      jobId: ctx.jobId,
      partnershipId: p.partnershipId,
      planId: p.planId,
      fileName: exportFileName(plan.title, p.pack, p.format),
      contentType:
        p.format === "csv"
          ? "text/csv; charset=utf-8"
          : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      bytes,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + REPORT_EXPORT_TTL_MS).toISOString(),
    };
    await saveReportExport(ctx.db, file);
    ctx.progress({ done: 3, total: 3, message: "report.written" });
    return { fileName: file.fileName, size: bytes.length, expiresAt: file.expiresAt };
  },
});
