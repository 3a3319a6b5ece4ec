import { seedDemoPlan } from "@fivestep/db";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recomputeStatuses } from "./monitoring.ts";
import type { PerformanceReport } from "./report.ts";
import { reportTables, tablesCsv, tablesXlsx, toCsv } from "./report-exports.ts";
import { createFixture, type Fixture } from "./testing/fixtures.ts";

let fx: Fixture;
let report: PerformanceReport;
const OWNER = "Head of Economic Development, Coventry City Council";
const COMMENT = "Two large employers closed in 2006.";

beforeAll(async () => {
  fx = await createFixture();
  const { planId } = await seedDemoPlan(fx.db);
  await fx.db.transaction().execute((trx) => recomputeStatuses(trx, { cause: "Demo data loaded" }));
  const editor = await fx.caller("editor");
  const first = await editor.monitoring.report({ partnershipId: fx.coventryId, planId });
  const ni151 = first.exceptions.find((e) => e.code === "NI 151");
  await editor.monitoring.saveCommentary({
    partnershipId: fx.coventryId,
    itemId: ni151?.itemId ?? 0,
    period: ni151?.latest?.period ?? "",
    text: COMMENT,
  });
  report = await editor.monitoring.report({ partnershipId: fx.coventryId, planId });
});
afterAll(() => fx.db.destroy());

const lines = (csv: string) => csv.split("\r\n");

describe("report downloads per audience", () => {
  it("the board pack: the exceptions with their commentary, then one line per priority; no actions", () => {
    const csv = tablesCsv(reportTables(report, "board"));
    const [exceptions, priorities] = reportTables(report, "board");
    expect(exceptions?.rows.map((r) => r[2])).toEqual(report.exceptions.map((e) => e.code));
    expect(csv).toContain(COMMENT);
    expect(priorities?.rows).toHaveLength(report.priorities.length);
    const job = priorities?.rows.find((r) => r[0] === "To promote job creation");
    const mine = report.priorities.find((p) => p.title === "To promote job creation");
    const count = (s: string) => mine?.indicators.filter((i) => i.status === s).length;
    expect(job).toEqual([
      "To promote job creation",
      OWNER,
      mine?.indicators.length,
      count("on-track"),
      count("at-risk"),
      count("off-track"),
      count("no-data"),
    ]);
    expect(lines(csv)[0]).toBe("Exceptions");
    expect(csv).not.toContain("Commission the enterprise coaching");
  });

  it("the service managers' pack adds actions with lead, status, progress and milestones", () => {
    const tables = reportTables(report, "operational");
    expect(tables.map((t) => t.name)).toEqual(["Indicators", "Actions"]);
    const coaching = tables[1]?.rows.find((r) =>
      String(r[1]).startsWith("Commission the enterprise coaching"),
    );
    expect(coaching).toEqual([
      "To promote job creation",
      "Commission the enterprise coaching and peer-mentoring programme",
      "Cory Contributor",
      "Coventry City Council",
      "2009-03-31",
      "In progress",
      null,
      "",
      "Tender awarded (2008-07-31) – done; First 50 participants (2008-12-31)",
    ]);
  });

  it("the public pack names nobody and shows no commentary or actions", () => {
    const csv = tablesCsv(reportTables(report, "public"));
    for (const personal of [OWNER, COMMENT, "Cory Contributor", "Ed Editor", "Commission the enterprise"])
      expect(csv).not.toContain(personal);
    expect(lines(csv)[0]).toBe(
      "Priority,Indicator code,Indicator,Period,Latest value,Trajectory expects,Status,Trend",
    );
    expect(csv).toContain("NI 151,Employment rate (four-quarter average)");
  });

  it("the public XLSX names nobody either, in any sheet", async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await tablesXlsx(report, "public")) as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(["Summary", "Indicators"]);
    const text: string[] = [];
    for (const sheet of book.worksheets)
      sheet.eachRow((row) => {
        row.eachCell((cell) => {
          text.push(String(cell.value));
        });
      });
    const all = text.join("\n");
    expect(all).toContain("NI 151");
    const names = [
      OWNER,
      COMMENT,
      ...report.priorities.flatMap((p) => [p.owner, ...p.actions.flatMap((a) => [a.lead, a.what])]),
    ].filter((n): n is string => Boolean(n));
    expect(names.length).toBeGreaterThan(3);
    for (const personal of names) expect(all).not.toContain(personal);
  });

  it("uses plain words and figures as on screen, in either language, with '.' as the decimal point", () => {
    const en = tablesCsv(reportTables(report, "full"));
    expect(en).toContain("Off track");
    expect(en).not.toMatch(/off-track|on-track|at-risk|no-data|in-progress/);
    expect(en).toContain("NI 151,Employment rate (four-quarter average),2007 Q2,72.4,");
    const hr = tablesCsv(reportTables(report, "full", "hr-HR"));
    expect(lines(hr).slice(0, 2)).toEqual([
      "Pokazatelji",
      "Prioritet,Nositelj,Oznaka pokazatelja,Pokazatelj,Razdoblje,Najnovija vrijednost,Putanja očekuje,Status,Trend,U odnosu na regiju,Aktivnosti,Komentar",
    ]);
    expect(hr).toContain("Izvan putanje");
    expect(hr).toContain(",72.4,");
    expect(
      toCsv([[{ value: 2.456, decimals: 1 }, { value: 3, decimals: 2 }, "=SUM(A1)", 'a "b"', null]]),
    ).toBe('2.5,3.00,\'=SUM(A1),"a ""b""",\r\n');
  });

  it("the XLSX keeps figures numeric, formatted to the indicator's decimal places, with a sheet of actions", async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await tablesXlsx(report, "operational")) as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(["Summary", "Indicators", "Actions"]);
    expect(book.getWorksheet("Summary")?.getCell("B3").value).toBe("Service managers' pack");
    const sheet = book.getWorksheet("Indicators");
    let found = false;
    sheet?.eachRow((row) => {
      if (row.getCell(3).value !== "NI 151") return;
      found = true;
      expect(row.getCell(6).value).toBe(72.4);
      expect(row.getCell(6).numFmt).toBe("0.0");
      expect(row.getCell(8).value).toBe("Off track");
    });
    expect(found).toBe(true);
    const actions = book.getWorksheet("Actions");
    expect(actions?.getCell("B1").value).toBe("Action");
    expect(actions?.rowCount).toBe(1 + report.priorities.flatMap((p) => p.actions).length);
  });
});
