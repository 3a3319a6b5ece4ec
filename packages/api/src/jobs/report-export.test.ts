import { findReportExport, seedDemoPlan } from "@fivestep/db";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recomputeStatuses } from "../monitoring.ts";
import { reportTables, tablesCsv } from "../report-exports.ts";
import { ACTORS, createFixture, type Fixture } from "../testing/fixtures.ts";
import { jobKindsWithMail } from "./registry.ts";
import { PDF_UNAVAILABLE, type ReportPdfRequest, ReportPdfUnavailable } from "./report-export.ts";
import { createInProcessJobRunner } from "./runner.ts";

let fx: Fixture;
let planId: number;

beforeAll(async () => {
  fx = await createFixture();
  ({ planId } = await seedDemoPlan(fx.db));
  await fx.db.transaction().execute((trx) => recomputeStatuses(trx, { cause: "Demo data loaded" }));
});
afterAll(() => fx.db.destroy());

describe("report exports as jobs", () => {
  it("writes the pack's CSV as a job, with its progress, and keeps the file for a day", async () => {
    const viewer = await fx.caller("viewer");
    const { jobId } = await viewer.monitoring.startExport({
      partnershipId: fx.coventryId,
      planId,
      pack: "board",
      format: "csv",
      lang: "hr-HR",
    });
    await fx.jobs.idle();
    const job = await viewer.jobs.get({ jobId });
    expect(job).toMatchObject({
      kind: "report.export",
      state: "succeeded",
      partnershipId: fx.coventryId,
      progress: { done: 3, total: 3 },
      message: "report.written",
    });
    const result = job.result as { fileName: string; size: number; expiresAt: string };
    expect(result.fileName).toBe("Coventry-Local-Area-Agreement-200811-board.csv");
    const file = await findReportExport(fx.db, jobId);
    const report = await viewer.monitoring.report({ partnershipId: fx.coventryId, planId });
    const expected = `\uFEFF${tablesCsv(reportTables(report, "board", "hr-HR"))}`;
    // The same tables as the direct download; only the "generated" moment may differ, and the CSV has none.
    expect(Buffer.from(file?.bytes ?? []).toString("utf8")).toBe(expected);
    expect(result.size).toBe(Buffer.byteLength(expected));
    const ttl = Date.parse(file?.expiresAt ?? "") - Date.parse(file?.createdAt ?? "");
    expect(ttl).toBe(24 * 60 * 60 * 1000);
  });

  it("writes the service managers' XLSX with its sheet of actions", async () => {
    const editor = await fx.caller("editor");
    const { jobId } = await editor.monitoring.startExport({
      partnershipId: fx.coventryId,
      planId,
      pack: "operational",
      format: "xlsx",
      lang: "en-GB",
    });
    await fx.jobs.idle();
    const file = await findReportExport(fx.db, jobId);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(file?.bytes ?? []) as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(["Summary", "Indicators", "Actions"]);
    expect(file?.contentType).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  });

  it("refuses the public pack of an unpublished plan before any job starts, and hides the job from other partnerships", async () => {
    const lead = await fx.caller("lead");
    await expect(
      lead.monitoring.startExport({
        partnershipId: fx.coventryId,
        planId,
        pack: "public",
        format: "csv",
        lang: "en-GB",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const { jobId } = await lead.monitoring.startExport({
      partnershipId: fx.coventryId,
      planId,
      pack: "full",
      format: "csv",
      lang: "en-GB",
    });
    await fx.jobs.idle();
    const other = await fx.caller("otherLead");
    await expect(other.jobs.get({ jobId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("fails a PDF export with the code PDF_UNAVAILABLE when this server has no renderer, storing nothing", async () => {
    const viewer = await fx.caller("viewer");
    const { jobId } = await viewer.monitoring.startExport({
      partnershipId: fx.coventryId,
      planId,
      pack: "board",
      format: "pdf",
      lang: "hr-HR",
    });
    await fx.jobs.idle();
    const job = await viewer.jobs.get({ jobId });
    expect(job).toMatchObject({
      kind: "report.export",
      state: "failed",
      result: { code: PDF_UNAVAILABLE },
      error: "PDF export is not available on this server: it has no browser to print with",
    });
    expect(await findReportExport(fx.db, jobId)).toBeNull();
  });

  it("prints a PDF through the renderer it was given, as the person who started it, and keeps the file", async () => {
    const asked: ReportPdfRequest[] = [];
    const printed = Buffer.from("%PDF-1.7 a printed pack");
    let unavailable = false;
    const jobs = createInProcessJobRunner({
      db: fx.db,
      kinds: jobKindsWithMail(null, {
        pdfRenderer: async (request) => {
          asked.push(request);
          if (unavailable) throw new ReportPdfUnavailable("its browser (Chromium) could not be started");
          return printed;
        },
      }),
    });
    const payload = {
      partnershipId: fx.coventryId,
      planId,
      pack: "operational",
      format: "pdf",
      lang: "hr-HR",
    };
    const editorId = await fx.userId(ACTORS.editor);
    const jobId = await jobs.enqueue({ kind: "report.export", payload, startedBy: editorId });
    await jobs.idle();
    const editor = await fx.caller("editor");
    expect(await editor.jobs.get({ jobId })).toMatchObject({
      state: "succeeded",
      result: { fileName: "Coventry-Local-Area-Agreement-200811-operational.pdf", size: printed.length },
    });
    expect(asked).toEqual([
      { partnershipId: fx.coventryId, planId, pack: "operational", lang: "hr-HR", userId: editorId },
    ]);
    const file = await findReportExport(fx.db, jobId);
    expect(file?.contentType).toBe("application/pdf");
    expect(Buffer.from(file?.bytes ?? []).equals(printed)).toBe(true);

    // A renderer that cannot print here fails the job with the same code and its reason.
    unavailable = true;
    const failed = await jobs.enqueue({ kind: "report.export", payload, startedBy: editorId });
    await jobs.idle();
    expect(await editor.jobs.get({ jobId: failed })).toMatchObject({
      state: "failed",
      result: { code: PDF_UNAVAILABLE },
      error: "PDF export is not available on this server: its browser (Chromium) could not be started",
    });
    await jobs.stop();
  });
});
