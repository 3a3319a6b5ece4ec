import { findReportExport, seedDemoPlan } from "@fivestep/db";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recomputeStatuses } from "../monitoring.ts";
import { reportTables, tablesCsv } from "../report-exports.ts";
import { createFixture, type Fixture } from "../testing/fixtures.ts";

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
});
