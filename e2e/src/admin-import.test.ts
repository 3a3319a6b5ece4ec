import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
let dir: string;
const ADMIN = "admin@fivestep.example";

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  dir = mkdtempSync(join(tmpdir(), "fivestep-admin-import-"));
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function adminPage(): Promise<{ page: Page; errors: string[] }> {
  const fresh = await freshPage(browser);
  await signIn(fresh.page, `${server.url}/admin/`, ADMIN, server.passwords.get(ADMIN) ?? "");
  return fresh;
}

/** The cells of the row whose header is `header` in `table`. */
async function rowCells(page: Page, table: string | RegExp, header: string): Promise<string[]> {
  const row = page
    .getByRole("table", { name: table })
    .getByRole("row", { name: new RegExp(`^${header}\\b`) });
  return row.locator("th, td").allTextContents();
}

describe("admin console: importing data", () => {
  it("uploads a CSV with bad rows, shows each problem, fixes the mapping, commits, and the planner shows the values", async () => {
    // Two good Coventry rows for NI 151, one naming the indicator by its title (unknown until
    // mapped), one with a period nobody can read.
    const file = join(dir, "coventry-employment.csv");
    writeFileSync(
      file,
      [
        "indicator,area_code,period,value",
        "NI 151,E08000026,2007 Q3,71.9",
        "NI 151,E08000026,2007 Q4,71.5",
        "Employment rate,E08000026,2008 Q1,70.8",
        "NI 151,E08000026,Spring 2007,70.1",
        "",
      ].join("\n"),
    );
    const { page, errors } = await adminPage();

    await page.getByRole("navigation").getByRole("link", { name: "Import data" }).click();
    await page.getByRole("heading", { level: 1, name: "Import data" }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "admin-import-upload");

    // Uploading with no file chosen says so beside the field.
    await page.getByRole("button", { name: "Upload file" }).click();
    await page.getByRole("alert").getByRole("link", { name: "Choose a file to upload" }).waitFor();
    await page.getByLabel("Data file (CSV or XLSX)").setInputFiles(file);
    await page.getByRole("button", { name: "Upload file" }).click();
    await page.getByRole("heading", { level: 1, name: "Import coventry-employment.csv" }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/admin\/import\/\d+$/);

    // The first rows as uploaded.
    const sample = page.getByRole("table", { name: "The first 4 rows" });
    expect(await sample.getByRole("columnheader").allTextContents()).toEqual([
      "indicator",
      "area_code",
      "period",
      "value",
    ]);

    // Map the columns.
    await page.getByLabel("Source", { exact: true }).fill("E2E employment file");
    await page.getByLabel("Indicator", { exact: true }).selectOption("indicator");
    await page.getByLabel("Area code", { exact: true }).selectOption("area_code");
    await page.getByLabel("Period", { exact: true }).selectOption("period");
    await page.getByLabel("Value", { exact: true }).selectOption("value");
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Preview the import" }).click();

    // Each problem with its row, column, value and reason.
    const problems = page.getByRole("table", { name: "Problems (2)" });
    await problems.waitFor();
    expect(await rowCells(page, "Problems (2)", "4")).toEqual([
      "4",
      "indicator",
      "Employment rate",
      'Unknown indicator "Employment rate": map it to a catalogue code',
    ]);
    expect(await rowCells(page, "Problems (2)", "5")).toEqual([
      "5",
      "period",
      "Spring 2007",
      "Not a period Fivestep can read",
    ]);
    expect(await rowCells(page, "Unknown indicators in the file", "Employment rate")).toEqual([
      "Employment rate",
      "1",
      "4",
    ]);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "admin-import-preview-problems");

    // Fix the mapping: the title means NI 151. Preview again: only the unreadable period is left.
    await page.getByLabel("Catalogue indicator for “Employment rate”").selectOption("NI 151");
    await page.getByRole("button", { name: "Preview the import" }).click();
    await page.getByRole("table", { name: "Problems (1)" }).waitFor();
    expect(await rowCells(page, "Problems (1)", "5")).toEqual([
      "5",
      "period",
      "Spring 2007",
      "Not a period Fivestep can read",
    ]);
    expect(await rowCells(page, "Indicators the accepted rows belong to", "NI 151")).toEqual([
      "NI 151",
      "3",
      "2007 Q3",
      "2008 Q1",
    ]);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "admin-import-preview-fixed");

    // Commit the three good rows.
    await page.getByRole("button", { name: "Commit only the 3 good rows" }).click();
    await page.getByRole("heading", { name: /^Import committed as batch \d+$/ }).waitFor();
    const result = page.locator("#result-title").locator("..");
    expect(await result.locator("dt").allTextContents()).toContain("New values");
    expect(await result.locator("dt:has-text('New values') + dd").textContent()).toBe("3");
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "admin-import-committed");

    // The planner's indicator page, in the same browser, shows the new 2007 Q3 value.
    await page.getByRole("link", { name: "NI 151 in the planner" }).click();
    await page.waitForURL(/\/indicators\/NI%20151$/);
    if (await page.getByRole("heading", { level: 1, name: "Sign in to Fivestep" }).isVisible()) {
      await signIn(page, `${server.url}/indicators/NI%20151`, ADMIN, server.passwords.get(ADMIN) ?? "");
    }
    await page.getByRole("heading", { level: 1, name: "Employment rate (four-quarter average)" }).waitFor();
    const table = page.getByRole("table", { name: /Employment rate/ });
    const q3 = await table
      .getByRole("row", { name: /^2007 Q3/ })
      .getByRole("cell")
      .allTextContents();
    expect(q3[0]).toBe("71.9");
    const q1 = await table
      .getByRole("row", { name: /^2008 Q1/ })
      .getByRole("cell")
      .allTextContents();
    expect(q1[0]).toBe("70.8");
    await screenshot(page, "admin-import-planner-ni151");

    // The batch is listed, shows its values, and rolls back after confirming.
    await page.goto(`${server.url}/admin/batches`);
    await page.getByRole("heading", { level: 1, name: "Imports" }).waitFor();
    // The demo start imported Trafford's six files before this one; the newest is listed first.
    const batches = page.getByRole("table", { name: "7 imports" });
    await batches.waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "admin-batches");
    await batches
      .getByRole("link", { name: /^Batch \d+$/ })
      .first()
      .click();
    await page.getByRole("heading", { level: 1, name: /^Batch \d+$/ }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Roll back this import" }).click();
    const dialog = page.getByRole("dialog", { name: /^Roll back batch \d+\?$/ });
    await dialog.waitFor();
    await screenshot(page, "admin-batch-rollback-confirm");
    await dialog.getByRole("button", { name: "Roll back this import" }).click();
    await page.getByText("Rolled back: 3 values removed, 0 restored.").waitFor();
    await page.getByText("Rolled back", { exact: true }).first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "admin-batch-rolled-back");
    expect(errors).toEqual([]);
  });
});

describe("admin console: an import runs as a job", () => {
  it("commits a large file as a job: its page shows a progress bar, keeps following it after a reload, and shows the finished job", async () => {
    // 2 areas × 40 quarters × 2,500 breakdowns = 200,000 rows: long enough to watch it run.
    const file = join(dir, "coventry-breakdowns.csv");
    const lines = ["area_code,period,breakdown,value"];
    for (let b = 0; b < 2500; b++)
      for (const area of ["E08000026", "E08000031"])
        for (let year = 2000; year < 2010; year++)
          for (let q = 1; q <= 4; q++)
            lines.push(`${area},${year} Q${q},Group ${b},${(60 + (b % 30)).toFixed(1)}`);
    writeFileSync(file, `${lines.join("\n")}\n`);
    const { page, errors } = await adminPage();
    await page.goto(`${server.url}/admin/import`);
    await page.getByLabel("Data file (CSV or XLSX)").setInputFiles(file);
    await page.getByRole("button", { name: "Upload file" }).click();
    await page.getByRole("heading", { level: 1, name: "Import coventry-breakdowns.csv" }).waitFor();
    await page.getByLabel("Source", { exact: true }).fill("E2E breakdowns");
    await page.getByLabel("One indicator for the whole file").selectOption("NI 151");
    await page.getByLabel("Area code", { exact: true }).selectOption("area_code");
    await page.getByLabel("Period", { exact: true }).selectOption("period");
    await page.getByLabel("Breakdown", { exact: true }).selectOption("breakdown");
    await page.getByLabel("Value", { exact: true }).selectOption("value");
    await page.getByRole("button", { name: "Preview the import" }).click();
    await page.getByRole("button", { name: "Commit 200,000 rows" }).click({ timeout: 120_000 });

    // The job's page, its id in the address: the state in words and a progress bar that moves.
    await page.waitForURL(/\/admin\/jobs\/\d+$/);
    const progress = page.getByRole("progressbar", { name: "Progress of the import" });
    await progress.waitFor();
    await page.getByText(/^[\d,]+ of about [\d,]+ rows written \(\d+%\)$/).waitFor();
    expect(await page.getByRole("status").filter({ hasText: "Running" }).count()).toBe(1);
    expect(Number(await progress.getAttribute("value"))).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "admin-import-job-running");

    // Cancelling a running import asks first, saying what is thrown away; keeping it changes nothing.
    await page.getByRole("button", { name: "Cancel job" }).click();
    const confirm = page.getByRole("dialog", { name: "Cancel this job?" });
    await confirm.waitFor();
    expect(await confirm.getByText(/none of the file's rows are kept/).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "admin-import-job-cancel-confirm");
    await confirm.getByRole("button", { name: "Keep it running" }).click();
    await confirm.waitFor({ state: "hidden" });

    // A reload keeps following the same job to its end.
    const address = page.url();
    await page.reload();
    expect(page.url()).toBe(address);
    await page.getByRole("heading", { level: 1, name: /^Job \d+$/ }).waitFor();
    await page
      .getByRole("heading", { name: /^Import committed as batch \d+$/ })
      .waitFor({ timeout: 180_000 });
    await page.getByRole("status").filter({ hasText: "Finished" }).waitFor();
    expect(await progress.count()).toBe(0);
    const result = page.locator("#result-title").locator("..");
    expect(await result.locator("dt:has-text('New values') + dd").textContent()).toBe("200,000");
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "admin-import-job-finished");

    // The jobs page lists it, finished, with who started it; from there a recompute of every
    // target runs as a job of its own and ends with its counts.
    const jobId = address.split("/").pop() ?? "";
    await page.getByRole("link", { name: "Jobs", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Jobs" }).waitFor();
    const row = page
      .getByRole("row")
      .filter({ has: page.getByRole("link", { name: `Job ${jobId}`, exact: true }) });
    await row.getByText("Finished").first().waitFor();
    expect(await row.getByText("Writes an uploaded file's values into the data").count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "admin-jobs");
    await page.getByRole("button", { name: "Recompute every target's status" }).click();
    await page.waitForURL(/\/admin\/jobs\/\d+$/);
    await page.getByRole("status").filter({ hasText: "Finished" }).waitFor({ timeout: 60_000 });
    expect(await page.getByText("Judges targets again against their trajectories").count()).toBe(1);
    expect(
      Number((await page.locator("dt:has-text('Targets judged') + dd").textContent())?.replace(/,/g, "")),
    ).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "admin-recompute-job-finished");
    expect(errors).toEqual([]);
  }, 300_000);
});

describe("admin console: catalogue, areas, groups and quality", () => {
  it("renders each page without accessibility violations", async () => {
    const { page, errors } = await adminPage();
    const pages: Array<[string, string, string]> = [
      ["/admin/", "Indicator catalogue", "admin-catalogue"],
      ["/admin/indicators/NI%20151", "Employment rate (four-quarter average)", "admin-indicator-ni151"],
      ["/admin/indicators/new", "New indicator", "admin-indicator-new"],
      ["/admin/areas", "Areas", "admin-areas"],
      ["/admin/groups", "Comparator groups", "admin-groups"],
      ["/admin/quality", "Data quality", "admin-quality"],
    ];
    for (const [path, heading, shot] of pages) {
      await page.goto(`${server.url}${path}`);
      await page.getByRole("heading", { level: 1, name: heading }).waitFor();
      await page
        .getByRole("status", { name: /Loading/ })
        .waitFor({ state: "detached" })
        .catch(() => {});
      await page.waitForLoadState("networkidle");
      expect({ path, violations: await axeViolations(page) }).toEqual({ path, violations: [] });
      await screenshot(page, shot);
    }

    // The catalogue keeps its table and filters it by status.
    await page.goto(`${server.url}/admin/`);
    const table = page.getByRole("table", { name: "11 indicators" });
    await table.waitFor();
    expect(await table.getByRole("rowheader").allTextContents()).toEqual([
      "CLAIMANT-COUNT",
      "CLAIMANT-RATE",
      "EMP-16-64",
      "INACTIVE-16-64",
      "KS4-EM-GRADE5",
      "LE-FEMALE",
      "LE-MALE",
      "NI 151",
      "NI 152",
      "NI 171",
      "SMOKING-APS",
    ]);
    await page.getByLabel("Status", { exact: true }).selectOption("retired");
    await page.getByRole("table", { name: "0 indicators" }).waitFor();
    await page.getByText("No indicators match these filters.").waitFor();

    // An indicator's definition change is kept in its history.
    await page.goto(`${server.url}/admin/indicators/NI%20151`);
    await page.getByRole("button", { name: "Edit the definition" }).click();
    await page.getByLabel("Owner", { exact: true }).fill("Coventry economy team");
    await page.getByLabel("Why did the definition change? (optional)").fill("Named the owner");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Your changes have been saved.").waitFor();
    const history = page.getByRole("list", { name: "Definition history" });
    await history.getByText("Changed: Owner.").waitFor();
    await history.getByText("Note: Named the owner").waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "admin-indicator-history");

    // A comparator group: create it with codes, then remove an area after confirming.
    await page.goto(`${server.url}/admin/groups`);
    await page.getByLabel("Name", { exact: true }).fill("West Midlands test group");
    await page.getByLabel("Area codes").fill("E08000026\nE08000031");
    await page.getByRole("button", { name: "Create group" }).click();
    await page.getByRole("heading", { level: 1, name: "West Midlands test group" }).waitFor();
    await page.getByRole("table", { name: "Areas in West Midlands test group (2)" }).waitFor();
    await page.getByRole("button", { name: "Remove Coventry" }).click();
    const dialog = page.getByRole("dialog", { name: "Remove Coventry from West Midlands test group?" });
    await dialog.getByRole("button", { name: "Remove" }).click();
    await page.getByRole("table", { name: "Areas in West Midlands test group (1)" }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "admin-group");

    // An ONS lookup adds Cardiff under Wales, the country it names (the demo has England's areas only).
    const lookup = join(dir, "lad-rgn-lookup.csv");
    writeFileSync(lookup, "LAD24CD,LAD24NM,CTRY24CD,CTRY24NM\nW06000015,Cardiff,W92000004,Wales\n");
    await page.getByRole("navigation").getByRole("link", { name: "Areas" }).click();
    await page.getByRole("heading", { level: 1, name: "Areas" }).waitFor();
    await page.getByLabel("Lookup file (CSV)").setInputFiles(lookup);
    await page.getByRole("button", { name: "Upload and import areas" }).click();
    await page.getByRole("heading", { name: "Imported lad-rgn-lookup.csv" }).waitFor();
    expect(await page.locator("dt:has-text('New values') + dd").textContent()).toBe("2");
    await page.getByLabel("Search by name or code").fill("Cardiff");
    expect(await rowCells(page, "1 area", "Cardiff")).toEqual([
      "Cardiff",
      "W06000015",
      "district",
      "Wales (W92000004)",
    ]);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "admin-areas-imported");
    expect(errors).toEqual([]);
  });
});
