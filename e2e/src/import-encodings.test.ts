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
  dir = mkdtempSync(join(tmpdir(), "fivestep-import-encodings-"));
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

/** A file saved by a Windows program in Windows-1252 ("ô" is the single byte 0xF4). */
function windows1252(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, Buffer.from(text, "latin1"));
  return path;
}

describe("admin console: files in Windows-1252", () => {
  it("reads 'Ynys Môn' from a Windows-1252 lookup and data file, shows how it read them, and stores the name intact", async () => {
    const { page, errors } = await adminPage();

    // The ONS lookup, saved from Excel on Windows: the area's name is stored as written.
    const lookup = windows1252(
      "welsh-lookup.csv",
      "LAD24CD,LAD24NM,CTRY24CD,CTRY24NM\r\nW06000001,Ynys M\u00f4n,W92000004,Wales\r\n",
    );
    await page.getByRole("navigation").getByRole("link", { name: "Areas" }).click();
    await page.getByRole("heading", { level: 1, name: "Areas" }).waitFor();
    await page.getByLabel("Lookup file (CSV)").setInputFiles(lookup);
    await page.getByRole("button", { name: "Upload and import areas" }).click();
    await page.getByRole("heading", { name: "Imported welsh-lookup.csv" }).waitFor();
    await page.getByLabel("Search by name or code").fill("W06000001");
    const area = page.getByRole("table", { name: "1 area" }).getByRole("row", { name: /W06000001/ });
    expect((await area.locator("th, td").allTextContents())[0]).toBe("Ynys Môn");
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "import-encodings-area");

    // A data file in the same encoding: the console says how it read it and shows the name.
    const data = windows1252(
      "welsh-employment.csv",
      [
        "area_code,area_name,period,value",
        "W06000001,Ynys M\u00f4n,2007 Q3,70.5",
        "W06000001,Ynys M\u00f4n,2007 Q4,71.0",
        "",
      ].join("\r\n"),
    );
    await page.getByRole("navigation").getByRole("link", { name: "Import data" }).click();
    await page.getByRole("heading", { level: 1, name: "Import data" }).waitFor();
    await page.getByLabel("Data file (CSV or XLSX)").setInputFiles(data);
    await page.getByRole("button", { name: "Upload file" }).click();
    await page.getByRole("heading", { level: 1, name: "Import welsh-employment.csv" }).waitFor();
    const reading = page.getByRole("region", { name: "How the file is read" });
    await reading.waitFor();
    expect(await reading.locator("dt:has-text('Encoding') + dd").textContent()).toBe(
      "Windows-1252 (detected from the letters)",
    );
    expect(await reading.locator("dt:has-text('Column separator') + dd").textContent()).toBe(
      "Comma (,) (detected from the first lines)",
    );
    expect(await reading.getByRole("list").getByRole("listitem").allTextContents()).toEqual(["Ynys Môn"]);
    const sample = page.getByRole("table", { name: "The first 2 rows" });
    expect(await sample.getByRole("row").nth(1).getByRole("cell").allTextContents()).toContain("Ynys Môn");
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "import-encodings-detected");

    // Choosing UTF-8 reads the file again and says where it stops; detecting again mends it.
    await page.getByLabel("Encoding", { exact: true }).selectOption("utf-8");
    await reading
      .getByRole("alert")
      .getByText(/^Row 2 is not valid UTF-8: the byte 0xF4 at byte 50/)
      .waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "import-encodings-utf8-refused");
    await page.getByLabel("Encoding", { exact: true }).selectOption("");
    await reading.getByRole("alert").waitFor({ state: "detached" });
    await reading.getByRole("listitem").filter({ hasText: "Ynys Môn" }).waitFor();

    // Map, preview and commit: both rows are written for Ynys Môn's code.
    await page.getByLabel("Source", { exact: true }).fill("Welsh employment");
    await page.getByLabel("One indicator for the whole file").selectOption("NI 151");
    await page.getByLabel("Area code", { exact: true }).selectOption("area_code");
    await page.getByLabel("Period", { exact: true }).selectOption("period");
    await page.getByLabel("Value", { exact: true }).selectOption("value");
    await page.getByRole("button", { name: "Preview the import" }).click();
    await page.getByRole("button", { name: "Commit 2 rows" }).click();
    await page.getByRole("heading", { name: /^Import committed as batch \d+$/ }).waitFor();
    expect(await page.locator("dt:has-text('New values') + dd").textContent()).toBe("2");
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "import-encodings-committed");

    // The area the values belong to still reads "Ynys Môn".
    await page.goto(`${server.url}/admin/areas/W06000001`);
    await page.getByRole("heading", { level: 1, name: "Ynys Môn" }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "import-encodings-area-page");
    expect(errors).toEqual([]);
  });
});
