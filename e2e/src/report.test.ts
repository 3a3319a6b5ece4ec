import ExcelJS from "exceljs";
import { PDFParse } from "pdf-parse";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  axeViolations,
  freshPage,
  launchBrowser,
  type RunningServer,
  screenshot,
  signIn,
  startServer,
} from "./harness.ts";

let server: RunningServer;
let browser: Browser;
const password = (email: string) => server.passwords.get(email) ?? "";

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Signs in as the Coventry lead and opens the demo plan; returns its report's address parts. */
async function leadOnDemoPlan(): Promise<{
  page: Page;
  errors: string[];
  partnershipId: string;
  planId: string;
}> {
  const fresh = await freshPage(browser);
  await signIn(fresh.page, `${server.url}/`, "lead@coventry.example", password("lead@coventry.example"));
  await fresh.page.getByRole("link", { name: "Coventry Partnership" }).click();
  await fresh.page.getByRole("link", { name: "Coventry Local Area Agreement 2008–11" }).click();
  await fresh.page
    .getByRole("heading", { level: 1, name: "Coventry Local Area Agreement 2008–11" })
    .waitFor();
  const m = /\/partnerships\/(\d+)\/plans\/(\d+)/.exec(new URL(fresh.page.url()).pathname);
  return { ...fresh, partnershipId: m?.[1] ?? "", planId: m?.[2] ?? "" };
}

describe("monitoring and reporting", () => {
  it("opens the report with exceptions first, prepares its PDF and spreadsheet as jobs, and the dashboard", {
    timeout: 120_000,
  }, async () => {
    const { page, errors } = await leadOnDemoPlan();
    // Step 5's reporting schedule: the board's pack, emailed to two members on its next date.
    await page.getByRole("button", { name: "Change Coventry Partnership board" }).click();
    const schedule = page.getByRole("form", { name: "Change the schedule for Coventry Partnership board" });
    await schedule.getByLabel("Next due").fill("2099-01-15");
    await schedule.getByLabel("Pack", { exact: true }).selectOption("board");
    await schedule.getByLabel("Cara Lead (Coventry)").check();
    await schedule.getByLabel("Vi Viewer (Coventry)").check();
    await schedule.getByRole("button", { name: "Save" }).click();
    await page.getByText("Sends the Board pack to 2 people; next due 15 January 2099").waitFor();
    await page.getByRole("table", { name: "Sent to Coventry Partnership board" }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "planner-plan-reporting");
    await page.getByRole("link", { name: /Performance report for the board/ }).click();
    await page.getByRole("heading", { level: 1, name: "Performance report" }).waitFor();
    await page.locator("[data-report-ready]").waitFor();
    const headings = await page.getByRole("heading", { level: 2 }).allTextContents();
    expect(headings[0]).toBe("Exceptions: off track and at risk");
    expect(headings).toContain("To promote job creation");
    expect(
      await page.getByText("Missing — the owner must explain this before the report is issued.").count(),
    ).toBe(2);
    await page.getByLabel("Commentary on NI 151").fill("Two large employers closed in 2006.");
    await page.getByRole("button", { name: "Save commentary" }).first().click();
    await page.getByText("Two large employers closed in 2006.", { exact: false }).first().waitFor();
    // The spreadsheet prepared as a job: its link arrives once the job has written the file.
    await page.getByRole("button", { name: "Prepare this pack as a spreadsheet (XLSX) to download" }).click();
    const ready = page.getByRole("link", { name: "Download Coventry-Local-Area-Agreement-200811.xlsx" });
    await ready.waitFor();
    const file = await page.request.get(
      new URL((await ready.getAttribute("href")) ?? "", server.url).toString(),
    );
    expect(file.status()).toBe(200);
    expect(file.headers()["content-type"]).toContain("spreadsheetml");
    // The PDF too: printed by the server's browser as a job, then offered the same way.
    await page.getByRole("button", { name: "Prepare this pack as a PDF to download" }).click();
    const pdfReady = page.getByRole("link", { name: "Download Coventry-Local-Area-Agreement-200811.pdf" });
    await pdfReady.waitFor({ timeout: 60_000 });
    const printed = await page.request.get(
      new URL((await pdfReady.getAttribute("href")) ?? "", server.url).toString(),
    );
    expect(printed.headers()["content-type"]).toBe("application/pdf");
    const printedParser = new PDFParse({ data: new Uint8Array(await printed.body()) });
    const printedText = (await printedParser.getText()).text;
    await printedParser.destroy();
    expect(printedText).toContain("Exceptions: off track and at risk");
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "planner-report");
    await page.getByRole("button", { name: "Board" }).click();
    await page.getByRole("heading", { level: 1, name: "Strategic summary for the board" }).waitFor();
    await page.getByRole("link", { name: "Dashboard" }).click();
    await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
    await page.getByRole("rowheader", { name: "To promote job creation" }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "planner-dashboard");
    expect(errors).toEqual([]);
  });

  it("exports the report as a PDF with its headings and figures, and as XLSX and CSV with the same figures", async () => {
    const { page, partnershipId, planId } = await leadOnDemoPlan();
    const base = `${server.url}/api/reports/${partnershipId}/${planId}`;
    const pdf = await page.request.get(`${base}.pdf`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
    const parser = new PDFParse({ data: new Uint8Array(await pdf.body()) });
    const text = (await parser.getText()).text;
    await parser.destroy();
    for (const expected of [
      "Performance report",
      "Exceptions: off track and at risk",
      "To promote job creation",
      "NI 151",
      "72.4",
      "Off track",
    ]) {
      expect(text, `PDF text contains ${expected}`).toContain(expected);
    }
    const xlsx = await page.request.get(`${base}.xlsx`);
    expect(xlsx.status()).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await xlsx.body()) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet("Indicators");
    const rows = (sheet?.getSheetValues() ?? []).filter(Boolean) as unknown[][];
    const ni151 = rows.find((r) => r.includes("NI 151"));
    expect(ni151).toBeDefined();
    expect(ni151).toContain(72.4);
    expect(ni151).toContain("Off track");
    const csv = await (await page.request.get(`${base}.csv`)).text();
    expect(csv).toContain("NI 151,Employment rate (four-quarter average),2007 Q2,72.4,");
    // Someone from another partnership gets nothing.
    const other = await freshPage(browser);
    await signIn(
      other.page,
      `${server.url}/`,
      "lead@wolverhampton.example",
      password("lead@wolverhampton.example"),
    );
    expect((await other.page.request.get(`${base}.csv`)).status()).toBe(403);
    expect((await other.page.request.get(`${base}.pdf`)).status()).toBe(403);
  });

  it("makes each audience's downloads its own, in the reader's language, free of screen instructions", async () => {
    const { page, partnershipId, planId } = await leadOnDemoPlan();
    const base = `${server.url}/api/reports/${partnershipId}/${planId}`;
    const pdfText = async (query: string) => {
      const res = await page.request.get(`${base}.pdf?${query}`);
      expect(res.status(), query).toBe(200);
      const parser = new PDFParse({ data: new Uint8Array(await res.body()) });
      const text = (await parser.getText()).text;
      await parser.destroy();
      // Table cells wrap across lines in the PDF: compare words, not lines.
      return text.replace(/\s+/g, " ");
    };
    const board = await pdfText("pack=board&lang=en-GB");
    expect(board).toContain("Strategic summary for the board");
    expect(board).not.toContain("Commission the enterprise coaching");
    const operational = await pdfText("pack=operational&lang=en-GB");
    expect(operational).toContain("Operational view for service managers");
    expect(operational).toContain("Commission the enterprise coaching");
    const croatian = await pdfText("pack=full&lang=hr-HR");
    expect(croatian).toContain("Izvješće o uspješnosti");
    expect(croatian).toContain("Izvan putanje");
    expect(croatian).not.toMatch(/Choose a comparator group|Odaberite usporednu skupinu/);

    // Nothing runs off the right edge of an A4 page: the print view laid out at the PDF's content
    // width (210 mm less 12 mm margins each side, 703 CSS px) holds every element within it.
    for (const pack of ["full", "operational"]) {
      await page.setViewportSize({ width: 703, height: 1000 });
      await page.goto(
        `${server.url}/partnerships/${partnershipId}/plans/${planId}/report?print=1&pack=${pack}`,
      );
      await page.locator("[data-report-ready]").waitFor();
      await page.emulateMedia({ media: "print" });
      const overflowing = await page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        return Array.from(document.querySelectorAll("body *"))
          .filter((el) => {
            const box = el.getBoundingClientRect();
            return box.width > 0 && box.right > width + 0.5;
          })
          .map((el) => `${el.tagName.toLowerCase()}.${el.className} ${(el.textContent ?? "").slice(0, 40)}`);
      });
      expect(overflowing, pack).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), pack).toBeLessThanOrEqual(703);
      // The text as laid out for print, without what print hides.
      // biome-ignore lint/performance/useDomNodeTextContent: what print hides must not count
      const printed = (await page.locator("main").innerText()).replace(/\s+/g, " ");
      expect(printed, pack).not.toMatch(/Choose |Scroll |Save commentary|Publish for the community/);
      await page.emulateMedia({ media: "screen" });
    }

    const csv = async (query: string) => (await page.request.get(`${base}.csv?${query}`)).text();
    const boardCsv = await csv("pack=board");
    expect(boardCsv.split("\r\n")[0]).toBe("\uFEFFExceptions");
    expect(boardCsv).not.toEqual(await csv("pack=full"));
    expect(await csv("pack=full&lang=hr-HR")).toContain("Izvan putanje");
    // The public pack exists only for a published plan; an unknown audience is refused.
    expect((await page.request.get(`${base}.csv?pack=public`)).status()).toBe(409);
    expect((await page.request.get(`${base}.csv?pack=everyone`)).status()).toBe(400);
  });

  it("publishes the plan for the community, readable without signing in and without personal data", async () => {
    const { page, partnershipId, planId } = await leadOnDemoPlan();
    await page.getByRole("link", { name: /Performance report for the board/ }).click();
    await page.getByRole("button", { name: "Publish for the community" }).click();
    await page.getByRole("button", { name: "Stop publishing" }).waitFor();
    // Published, the report offers the public pack: the plan's figures with nobody's name.
    const publicCsv = await page.request.get(
      `${server.url}/api/reports/${partnershipId}/${planId}.csv?pack=public&lang=en-GB`,
    );
    expect(publicCsv.status()).toBe(200);
    const publicText = await publicCsv.text();
    expect(publicText).toContain("NI 151,Employment rate (four-quarter average)");
    expect(publicText).not.toMatch(/Cory|Head of Economic Development|Two large employers/);
    const publicPdf = await page.request.get(
      `${server.url}/api/reports/${partnershipId}/${planId}.pdf?pack=public&lang=en-GB`,
    );
    expect(publicPdf.status()).toBe(200);
    const parser = new PDFParse({ data: new Uint8Array(await publicPdf.body()) });
    const pdfText = (await parser.getText()).text.replace(/\s+/g, " ");
    await parser.destroy();
    expect(pdfText).toContain("Employment rate (four-quarter average) 72.4 (2007 Q2)");
    expect(pdfText).not.toMatch(
      /Cory|Ed Editor|Cara Lead|Head of Economic Development|Two large employers|Jobcentre Plus district manager/,
    );
    const anonymous = await freshPage(browser);
    await anonymous.page.goto(`${server.url}/public/plans/${planId}`);
    await anonymous.page
      .getByRole("heading", { level: 1, name: "Coventry Local Area Agreement 2008–11" })
      .waitFor();
    await anonymous.page.getByRole("heading", { level: 2, name: "To promote job creation" }).waitFor();
    const body = (await anonymous.page.locator("main").textContent()) ?? "";
    expect(body).not.toContain("Cory");
    expect(body).not.toContain("Head of Economic Development");
    expect(await anonymous.page.getByRole("button", { name: "Sign out" }).count()).toBe(0);
    expect(await axeViolations(anonymous.page)).toEqual([]);
    await screenshot(anonymous.page, "planner-public-plan");
    expect(anonymous.errors).toEqual([]);
  });

  it("schedules a data return that the contributor submits, and it waits for the lead's approval", async () => {
    const { page, partnershipId, planId } = await leadOnDemoPlan();
    await page.goto(`${server.url}/partnerships/${partnershipId}/plans/${planId}/dashboard`);
    await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
    await page.getByLabel("Indicator", { exact: true }).selectOption("NI 151");
    await page.getByLabel("Who").selectOption({ label: "Cory Contributor (Coventry)" });
    await page.getByLabel("Periods and due dates").fill("2008 Q4, 2099-02-28\n2009 Q1, 2099-05-31");
    await page.getByRole("button", { name: "Schedule data returns" }).click();
    await page.getByText("2 returns scheduled; the person has been notified.").waitFor();
    await page.getByRole("rowheader", { name: "NI 151 2008 Q4" }).waitFor();
    await screenshot(page, "planner-dashboard-returns");

    const contributor = await freshPage(browser);
    await signIn(
      contributor.page,
      `${server.url}/`,
      "contributor@coventry.example",
      password("contributor@coventry.example"),
    );
    await contributor.page.getByRole("link", { name: "Data returns" }).click();
    await contributor.page.getByRole("heading", { level: 1, name: "Your data returns" }).waitFor();
    // One inbox entry per return (and no second one when the reminders run).
    await contributor.page
      .getByText(/You have been asked for the value of NI 151 for 2008 Q4, due by /)
      .waitFor();
    expect(await contributor.page.getByText(/You have been asked for the value of NI 151 for /).count()).toBe(
      2,
    );
    const form = contributor.page.getByRole("form", { name: "Return for NI 151, 2008 Q4" });
    await form.getByLabel("Value").fill("74.7");
    await form.getByRole("button", { name: "Submit" }).click();
    await contributor.page
      .getByRole("form", { name: "Return for NI 151, 2008 Q4" })
      .waitFor({ state: "detached" });
    expect(await axeViolations(contributor.page)).toEqual([]);
    await screenshot(contributor.page, "planner-returns");
    expect(contributor.errors).toEqual([]);

    await contributor.page
      .getByRole("row", { name: /NI 151 2008 Q4/ })
      .getByText("Waiting for approval")
      .waitFor();

    // Approval is the lead's (see returns-approval.test.ts); until then the dashboard counts it.
    await page.reload();
    await page.getByRole("rowheader", { name: "To promote job creation" }).waitFor();
    await page.getByText("1 value waits for a lead's approval before it counts.").waitFor();
  });
});
