import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Browser } from "playwright-core";
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

const run = promisify(execFile);
const CLI = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "apps/server/bin/fivestep.mjs");
const ADMIN = "admin@fivestep.example";

let server: RunningServer;
let browser: Browser;
let dir: string;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  dir = mkdtempSync(join(tmpdir(), "fivestep-import-approval-"));
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** `fivestep import` on the server's database, as a nightly job would run it; its output. */
async function cliImport(csv: string, args: string[]): Promise<string> {
  const file = join(dir, `feed-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, csv);
  const { stdout } = await run(process.execPath, [CLI, "import", file, ...args], {
    cwd: dir,
    env: { ...process.env, DATABASE_URL: server.dbPath, LOG_LEVEL: "warn" },
  });
  return stdout;
}

describe("admin console: imports that arrive pending", () => {
  it("holds a nightly file from a pending source until an administrator approves it, then the status moves", async () => {
    // The council's feed is first imported straight in, saving its mapping as a source.
    writeFileSync(
      join(dir, "mapping.json"),
      JSON.stringify({
        source: "Council feed",
        columns: { indicator: "indicator", area: "area", period: "period", value: "value" },
      }),
    );
    const first = await cliImport("indicator,area,period,value\nNI 151,E08000031,2008 Q4,66.2\n", [
      "--mapping-file",
      join(dir, "mapping.json"),
      "--save-mapping-as",
      "Council feed",
    ]);
    expect(first).toMatch(/Batch \d+: 1 new/);

    // The administrator marks the source "arrives pending".
    const { page, errors } = await freshPage(browser);
    await signIn(page, `${server.url}/admin/`, ADMIN, server.passwords.get(ADMIN) ?? "");
    await page.goto(`${server.url}/admin/import-sources`);
    await page.getByRole("heading", { level: 1, name: "Import sources" }).waitFor();
    await page
      .getByRole("listitem")
      .filter({ has: page.getByRole("heading", { level: 2, name: "Council feed", exact: true }) })
      .getByLabel("Imports from this source arrive pending")
      .click();
    await page.getByText("Imports from Council feed now arrive pending.").waitFor();

    // The next night's file holds Coventry's recovery (74.6 in 2008 Q4): it waits, and nothing moves.
    const held = await cliImport("indicator,area,period,value\nNI 151,E08000026,2008 Q4,74.6\n", [
      "--mapping",
      "Council feed",
    ]);
    expect(held).toMatch(/^Batch (\d+) is held for approval \(imports from "Council feed" arrive pending\)/m);
    const batchId = held.match(/^Batch (\d+) is held/m)?.[1];

    await page.goto(`${server.url}/admin/pending-imports`);
    await page.getByRole("heading", { level: 1, name: "Pending imports" }).waitFor();
    await page.getByRole("link", { name: "Pending imports (1)" }).waitFor();
    const row = page.getByRole("row", { name: new RegExp(`Review batch ${batchId}`) });
    expect(await row.textContent()).toContain("the command line");
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "pending-imports-queue");

    await row.getByRole("link", { name: `Review batch ${batchId}` }).click();
    await page.getByRole("heading", { level: 1, name: `Batch ${batchId}` }).waitFor();
    await page.getByText("Waiting for approval").first().waitFor();
    const value = page
      .getByRole("table", { name: "The held value" })
      .getByRole("row", { name: /NI 151, Coventry/ });
    expect((await value.locator("th, td").allTextContents()).slice(1)).toEqual(["–", "74.6", "New"]);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "pending-import-review");

    // Rejecting needs a reason; approving writes the value and judges the target again.
    await page.getByRole("button", { name: "Reject the import" }).click();
    await page.getByRole("alert").getByText("Say why the import is rejected").first().waitFor();
    await page.getByRole("button", { name: "Approve and add to the data" }).click();
    const done = page.getByRole("status");
    await done.getByText("Approved and now in the data: 1 new, 0 changed.").waitFor();
    await done.getByText("NI 151: Off track → On track").waitFor();
    await page.getByText("Committed", { exact: true }).first().waitFor();
    await page.getByRole("link", { name: "Pending imports", exact: true }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "pending-import-approved");

    // The same screens in Croatian.
    await page.goto(`${server.url}/admin/pending-imports`);
    await page.getByLabel("Language").selectOption("hr-HR");
    await page.getByRole("heading", { level: 1, name: "Uvozi na čekanju" }).waitFor();
    await page.getByText("Nijedan uvoz ne čeka odobrenje").waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel("Jezik").selectOption("en-GB");
    expect(errors).toEqual([]);
  });
});
