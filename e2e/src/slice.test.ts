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

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signedInPage(): Promise<{ page: Page; errors: string[] }> {
  const fresh = await freshPage(browser);
  const email = "viewer@coventry.example";
  await signIn(fresh.page, `${server.url}/`, email, server.passwords.get(email) ?? "");
  return fresh;
}

describe("planner: where are we now?", () => {
  it("shows Coventry's 2007 Q2 employment rate, 72.4, from the real server", async () => {
    const { page, errors } = await signedInPage();
    await page.getByRole("link", { name: "See every indicator against neighbours and region" }).click();
    await page.getByRole("heading", { level: 1, name: "Where are we now?" }).waitFor();
    // Keyboard: focus the indicator link and follow it.
    const link = page.getByRole("link", { name: "Employment rate (four-quarter average)" });
    await link.focus();
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 1, name: "Employment rate (four-quarter average)" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/indicators/NI%20151");

    const table = page.getByRole("table", { name: /Employment rate/ });
    const headers = await table.getByRole("columnheader").allTextContents();
    expect(headers).toEqual(["Period", "Coventry", "Wolverhampton", "West Midlands"]);
    const row = table.getByRole("row", { name: /^2007 Q2/ });
    const cells = await row.getByRole("cell").allTextContents();
    expect(cells[0]).toBe("72.4");
    expect(cells).toEqual(["72.4", "65.2", "73"]);

    // The trend comes from a test over the whole series; one quarter's fall is a change, not a trend.
    const coventry = page.locator('[data-area="E08000026"]');
    await expect(coventry.textContent()).resolves.toContain("Mann–Kendall test over 7 values");
    await expect(coventry.textContent()).resolves.toContain(
      "Down 0.6 on the previous period: from 73 in 2007 Q1 to 72.4 in 2007 Q2.",
    );

    // The chart is an image with a text summary of the same numbers.
    const chart = page.getByRole("img", { name: /Coventry 72\.4 in 2007 Q2, down 0\.6/ });
    expect(await chart.count()).toBe(1);

    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "planner-indicator-ni151");
    expect(errors).toEqual([]);
  });

  it("judges a low-is-good indicator the other way and renders in Croatian", async () => {
    const { page } = await signedInPage();
    await page.goto(`${server.url}/indicators/NI%20152`);
    await page.getByRole("heading", { level: 1, name: /Claimant count rate/ }).waitFor();
    const wolverhampton = page.locator('[data-area="E08000031"]');
    await expect(wolverhampton.textContent()).resolves.toContain("Down 0.7 on the previous period");

    await page.getByLabel("Language").selectOption("hr-HR");
    await page.getByRole("heading", { level: 2, name: "Trend i posljednja promjena" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("hr-HR");
    const row = page.getByRole("table").getByRole("row", { name: /^2006 Q4/ });
    // Numbers follow the locale: a decimal comma in Croatian.
    expect(await row.getByRole("cell").allTextContents()).toEqual(["17,5", "21,2", "16,1"]);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "planner-indicator-ni152-hr");
  });

  it("says plainly when an indicator does not exist", async () => {
    const { page } = await signedInPage();
    await page.goto(`${server.url}/indicators/NI%20999`);
    await page.getByRole("alert").waitFor();
    // The code the address asked for, and the catalogue's sentence (not the server's English).
    expect(await page.getByRole("alert").textContent()).toContain("No indicator with code “NI 999”");
    expect(await page.getByRole("alert").textContent()).toContain("We could not find this.");
  });
});

describe("admin console", () => {
  it("lists the indicator catalogue as a table", async () => {
    const { page, errors } = await freshPage(browser);
    await signIn(
      page,
      `${server.url}/admin/`,
      "admin@fivestep.example",
      server.passwords.get("admin@fivestep.example") ?? "",
    );
    await page.getByRole("heading", { level: 1, name: "Indicator catalogue" }).waitFor();
    const table = page.getByRole("table", { name: "11 indicators" });
    // The heading shows before the catalogue has loaded: wait for the table's last row.
    await table.getByRole("rowheader", { name: "SMOKING-APS" }).waitFor();
    const codes = await table.getByRole("rowheader").allTextContents();
    // The talk's three indicators and the Trafford demo's eight.
    expect(codes).toEqual([
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
    const ni152 = await table
      .getByRole("row", { name: /NI 152/ })
      .getByRole("cell")
      .allTextContents();
    expect(ni152).toContain("Lower");
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "admin-catalogue");
    expect(errors).toEqual([]);
  });
});
