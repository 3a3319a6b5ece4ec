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
  dir = mkdtempSync(join(tmpdir(), "fivestep-import-duplicates-"));
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The cells of the row whose header is `header` in `table`. */
async function rowCells(page: Page, table: string | RegExp, header: string): Promise<string[]> {
  const row = page
    .getByRole("table", { name: table })
    .getByRole("row", { name: new RegExp(`^${header}\\b`) });
  return row.locator("th, td").allTextContents();
}

describe("admin console: a file that repeats a key", () => {
  it("lists the repeated rows at preview, with the row each repeats, adds an unknown area from the file, and commits the rest", async () => {
    // A Nomis-style file: an indicator and a measure column. Row 4 gives Coventry's 2007 Q3 rate a
    // second time (another spelling of the same quarter); row 5 is a count, left out by the filter;
    // row 7 names Cardiff, which the demo areas (England's) do not have.
    const file = join(dir, "employment-measures.csv");
    writeFileSync(
      file,
      [
        "indicator,measure,area_code,area_name,period,value",
        "NI 151,Rate,E08000026,Coventry,2007 Q3,71.9",
        "NI 151,Rate,E08000031,Wolverhampton,2007 Q3,66.0",
        "NI 151,Rate,E08000026,Coventry,Jul - Sep 2007,72.0",
        "NI 151,Count,E08000026,Coventry,2007 Q3,120000",
        "NI 151,Rate,E08000026,Coventry,2007 Q4,71.5",
        "NI 151,Rate,W06000015,Cardiff,2007 Q4,70.0",
        "",
      ].join("\n"),
    );
    const { page, errors } = await freshPage(browser);
    await signIn(page, `${server.url}/admin/`, ADMIN, server.passwords.get(ADMIN) ?? "");
    await page.goto(`${server.url}/admin/import`);
    await page.getByRole("heading", { level: 1, name: "Import data" }).waitFor();
    await page.getByLabel("Data file (CSV or XLSX)").setInputFiles(file);
    await page.getByRole("button", { name: "Upload file" }).click();
    await page.getByRole("heading", { level: 1, name: "Import employment-measures.csv" }).waitFor();

    // Map the columns, the indicator from two columns, and keep only the rates.
    await page.getByLabel("Source", { exact: true }).fill("E2E employment measures");
    await page.getByLabel("Indicator", { exact: true }).selectOption("indicator");
    await page.getByLabel("Area code", { exact: true }).selectOption("area_code");
    await page.getByLabel("Area name", { exact: true }).selectOption("area_name");
    await page.getByLabel("Period", { exact: true }).selectOption("period");
    await page.getByLabel("Value", { exact: true }).selectOption("value");
    await page.getByRole("button", { name: "Add another indicator column (such as the measure)" }).click();
    await page.getByLabel("Indicator, column 2", { exact: true }).selectOption("measure");
    await page.getByLabel("Filter on a column", { exact: true }).selectOption("measure");
    await page.getByRole("button", { name: "Filter on this column" }).click();
    await page.getByLabel("Rate", { exact: true }).check();
    await page.getByLabel("Catalogue indicator for “NI 151 | Rate”").selectOption("NI 151");
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "import-duplicates-mapping");
    await page.getByRole("button", { name: "Preview the import" }).click();

    // The repeated key is listed with the row it repeats; the unknown area once, with its name.
    const problems = page.getByRole("table", { name: "Problems (2)" });
    await problems.waitFor();
    expect(await rowCells(page, "Problems (2)", "4")).toEqual([
      "4",
      "period",
      "NI 151, E08000026, 2007 Q3",
      "Repeats row 2: the same indicator, area, period and breakdown",
    ]);
    expect(await rowCells(page, "Problems (2)", "7")).toEqual([
      "7",
      "area_code",
      "W06000015",
      'Unknown area code "W06000015"',
    ]);
    expect(await rowCells(page, "Unknown area codes in the file", "W06000015")).toEqual([
      "W06000015",
      "1",
      "7",
      "Cardiff",
    ]);
    const summary = page.locator("#check-title").locator("..");
    expect(await summary.locator("dt:has-text('Rows left out by the filter') + dd").textContent()).toBe("1");
    expect(await summary.locator("dt:has-text('Rows with problems') + dd").textContent()).toBe("2");
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "import-duplicates-preview");

    // Add the unknown area, named from the file; the preview runs again and only the repeat is left.
    const add = page.getByRole("form", { name: "Add the unknown areas" });
    expect(await add.getByLabel("W06000015 Cardiff (rows in the file: 1)").isChecked()).toBe(true);
    await add.getByLabel("Area type of the areas chosen").selectOption("district");
    await add.getByLabel("Parent area").selectOption("");
    await add.getByRole("button", { name: "Add the areas chosen (1) and check again" }).click();
    await page.getByRole("table", { name: "Problems (1)" }).waitFor();
    expect(await rowCells(page, "Problems (1)", "4")).toEqual([
      "4",
      "period",
      "NI 151, E08000026, 2007 Q3",
      "Repeats row 2: the same indicator, area, period and breakdown",
    ]);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "import-duplicates-area-added");

    // Save the mapping by name, then commit the four good rows (of the repeated key, the first).
    await page.getByLabel("Name", { exact: true }).fill("E2E employment measures");
    await page.getByRole("button", { name: "Save mapping" }).click();
    await page.getByRole("status").getByText("Mapping saved as “E2E employment measures”.").waitFor();
    await page.getByRole("button", { name: "Commit only the 4 good rows" }).click();
    await page.getByRole("heading", { name: /^Import committed as batch \d+$/ }).waitFor();
    const result = page.locator("#result-title").locator("..");
    expect(await result.locator("dt:has-text('New values') + dd").textContent()).toBe("4");
    expect(await result.locator("dt:has-text('Changed values (revisions kept)') + dd").textContent()).toBe(
      "0",
    );
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "import-duplicates-committed");
    expect(errors).toEqual([]);
  });
});
