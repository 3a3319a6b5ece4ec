import { findPlan, listPartnerships, saveReportExport } from "@fivestep/db";
import { IdSchema } from "@fivestep/domain";
import { z } from "zod";
import { performanceReport } from "../report.ts";
import {
  EXPORT_LOCALES,
  type ExportLocale,
  REPORT_PACKS,
  type ReportPack,
  reportTables,
  tablesCsv,
  tablesXlsx,
} from "../report-exports.ts";
import { defineJobKind, type JobKind } from "./kinds.ts";

/** How long an export's file can be downloaded: a day. */
export const REPORT_EXPORT_TTL_MS = 24 * 60 * 60 * 1000;

/** The formats an export job writes (the PDF through the server's `ReportPdfRenderer`). */
export const REPORT_EXPORT_FORMATS = ["csv", "xlsx", "pdf"] as const;

/** What a PDF rendering asks for: a plan's pack in a language, as the person who asked sees it. */
export interface ReportPdfRequest {
  partnershipId: number;
  planId: number;
  pack: ReportPack;
  lang: ExportLocale;
  /** Whose view of the report is printed (the job's starter). */
  userId: number;
}

/**
 * Prints a plan's report as an A4 PDF (the server's headless Chromium, in `apps/server`): given
 * to `jobKindsWithMail` so this package never loads a browser. It throws `ReportPdfUnavailable`
 * when it cannot render at all (no browser on this machine, the server not listening).
 *
 * @example const kinds = jobKindsWithMail(mailer, { pdfRenderer: async (r) => printReport(r) });
 */
export type ReportPdfRenderer = (request: ReportPdfRequest) => Promise<Uint8Array>;

/** The code a PDF export fails with when this instance cannot render PDFs; the apps word it. */
export const PDF_UNAVAILABLE = "report.pdfUnavailable";

/**
 * What a `ReportPdfRenderer` throws when it cannot render here at all (as opposed to one report
 * failing): the export job then fails with the code `PDF_UNAVAILABLE` and this message.
 *
 * @example throw new ReportPdfUnavailable("Chromium could not be started: spawn /usr/bin/chromium ENOENT");
 */
export class ReportPdfUnavailable extends Error {
  readonly code = PDF_UNAVAILABLE;
  constructor(reason: string) {
    super(`PDF export is not available on this server: ${reason}`);
    this.name = "ReportPdfUnavailable";
  }
}

const CONTENT_TYPES: Record<(typeof REPORT_EXPORT_FORMATS)[number], string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pdf: "application/pdf",
};

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
 * (`reportTables`), or as a PDF printed by `pdfRenderer` (outside any transaction: the job holds
 * none while the browser prints), and keeps the file in the database for `REPORT_EXPORT_TTL_MS`,
 * so any instance can hand it out (`GET /api/report-exports/:jobId`). It runs as the person who
 * started it, and fails if they may no longer see the plan, or (public pack) the plan is not
 * published. The result names the file, its size and when it expires. Without a renderer (or
 * when it cannot render here) a PDF export fails with the code `PDF_UNAVAILABLE` in its result.
 *
 * @example const kind = reportExportJobWith(async (r) => printReport(r));
 */
export function reportExportJobWith(pdfRenderer: ReportPdfRenderer | null): JobKind<ReportExportPayload> {
  return defineJobKind({
    name: "report.export",
    payload: ReportExportPayloadSchema,
    partnershipOf: (p) => p.partnershipId,
    async run(ctx, p) {
      const user = ctx.actor.session?.user;
      const member = user?.isAdmin || user?.memberships.some((m) => m.partnershipId === p.partnershipId);
      if (!user || !member)
        throw new Error("The person who asked for this export may no longer see the plan");
      ctx.progress({ done: 0, total: 3, message: "report.export" });
      const plan = await findPlan(ctx.db, p.partnershipId, p.planId);
      const [partnership] = await listPartnerships(ctx.db, { ids: [p.partnershipId] });
      if (!plan || !partnership) throw new Error("That plan no longer exists");
      if (p.pack === "public" && plan.published !== 1)
        throw new Error("Only a published plan has a public pack: publish the plan first");
      let bytes: Uint8Array;
      if (p.format === "pdf") {
        const unavailable = (error: ReportPdfUnavailable) => ({ failed: error.message, code: error.code });
        if (!pdfRenderer) return unavailable(new ReportPdfUnavailable("it has no browser to print with"));
        ctx.progress({ done: 1, total: 3, message: "report.render" });
        try {
          bytes = await pdfRenderer({
            partnershipId: p.partnershipId,
            planId: p.planId,
            pack: p.pack,
            lang: p.lang,
            userId: user.id,
          });
        } catch (error) {
          if (error instanceof ReportPdfUnavailable) return unavailable(error);
          throw error;
        }
      } else {
        const report = await performanceReport(ctx.db, plan, partnership.areaCode);
        ctx.progress({ done: 1, total: 3, message: "report.export" });
        bytes =
          p.format === "csv"
            ? Buffer.from(`\uFEFF${tablesCsv(reportTables(report, p.pack, p.lang))}`, "utf8")
            : await tablesXlsx(report, p.pack, p.lang);
      }
      ctx.progress({ done: 2, total: 3, message: "report.export" });
      const now = new Date();
      const file = {
        jobId: ctx.jobId,
        partnershipId: p.partnershipId,
        planId: p.planId,
        fileName: exportFileName(plan.title, p.pack, p.format),
        contentType: CONTENT_TYPES[p.format],
        bytes,
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + REPORT_EXPORT_TTL_MS).toISOString(),
      };
      await saveReportExport(ctx.db, file);
      ctx.progress({ done: 3, total: 3, message: "report.written" });
      return { fileName: file.fileName, size: bytes.length, expiresAt: file.expiresAt };
    },
  });
}

/**
 * The "report.export" kind without a PDF renderer (CSV and XLSX; a PDF export fails with
 * `PDF_UNAVAILABLE`): what tests and a server without a browser run.
 *
 * @example await jobs.enqueue({ kind: reportExportJob.name, payload: { partnershipId: 1, planId: 2, pack: "board", format: "csv", lang: "en-GB" }, startedBy: 5 });
 */
export const reportExportJob = reportExportJobWith(null);
