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
const LEAD = "lead@coventry.example";
const CONTRIBUTOR = "contributor@coventry.example";

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Signs in as someone in the planner; with the lead, opens the demo plan's dashboard. */
async function as(email: string): Promise<{ page: Page; errors: string[] }> {
  const fresh = await freshPage(browser);
  await signIn(fresh.page, `${server.url}/`, email, password(email));
  return fresh;
}

async function leadDashboard(): Promise<{ page: Page; errors: string[]; dashboard: string }> {
  const fresh = await as(LEAD);
  await fresh.page.getByRole("link", { name: "Coventry Partnership" }).click();
  await fresh.page.getByRole("link", { name: "Coventry Local Area Agreement 2008–11" }).click();
  await fresh.page
    .getByRole("heading", { level: 1, name: "Coventry Local Area Agreement 2008–11" })
    .waitFor();
  const dashboard = `${new URL(fresh.page.url()).pathname}/dashboard`;
  await fresh.page.goto(`${server.url}${dashboard}`);
  await fresh.page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
  return { ...fresh, dashboard };
}

/** The lead schedules NI 151 returns for the contributor through the dashboard's form. */
async function scheduleNi151(page: Page, lines: string, count: number) {
  await page.getByLabel("Indicator", { exact: true }).selectOption("NI 151");
  await page.getByLabel("Who").selectOption({ label: "Cory Contributor (Coventry)" });
  await page.getByLabel("Periods and due dates").fill(lines);
  await page.getByRole("button", { name: "Schedule data returns" }).click();
  await page
    .getByText(`${count} ${count === 1 ? "return" : "returns"} scheduled; the person has been notified.`)
    .waitFor();
}

/** NI 151's status tag in the dashboard's grid. */
const ni151Status = async (page: Page) =>
  (await page.getByRole("row", { name: /To promote job creation/ }).textContent()) ?? "";

describe("data returns are checked, wait for approval, and respect locked periods", () => {
  it("refuses a return of 150 for a percentage, naming the range; a good value waits for the lead, whose approval changes the target's status with its cause", async () => {
    const lead = await leadDashboard();
    // Only people who may submit returns are offered; a due date in the past is refused.
    const who = await lead.page.getByLabel("Who").locator("option").allTextContents();
    expect(who).toContain("Cory Contributor (Coventry)");
    expect(who).not.toContain("Vi Viewer (Coventry)");
    await lead.page.getByLabel("Indicator", { exact: true }).selectOption("NI 151");
    await lead.page.getByLabel("Who").selectOption({ label: "Cory Contributor (Coventry)" });
    await lead.page.getByLabel("Periods and due dates").fill("2008 Q4, 2009-02-28");
    await lead.page.getByRole("button", { name: "Schedule data returns" }).click();
    await lead.page
      .getByRole("alert")
      .getByText(/The due date 28 Feb 2009 has passed: choose \d\d? \w{3} \d{4} or later/)
      .waitFor();
    await scheduleNi151(lead.page, "2008 Q4, 2099-02-28", 1);
    expect(await ni151Status(lead.page)).toContain("NI 151 ▼ Off track");

    const contributor = await as(CONTRIBUTOR);
    await contributor.page.getByRole("link", { name: "Data returns" }).click();
    const form = contributor.page.getByRole("form", { name: "Return for NI 151, 2008 Q4" });
    await form.getByText("Between 0 and 100").waitFor();
    await form.getByLabel("Value").fill("150");
    await form.getByRole("button", { name: "Submit" }).click();
    const refusal = "150 is above the largest value NI 151 can take (0 to 100)";
    await form.getByRole("alert").getByText(refusal).waitFor();
    expect(await form.locator(".fs-field-error").allTextContents()).toContain(refusal);
    expect(await axeViolations(contributor.page)).toEqual([]);
    await screenshot(contributor.page, "returns-value-refused");

    await form.getByLabel("Value").fill("74.7");
    await form.getByRole("button", { name: "Submit" }).click();
    await form.waitFor({ state: "detached" });
    const waiting = contributor.page.getByRole("row", { name: /NI 151 2008 Q4/ });
    await waiting.getByText("Waiting for approval").waitFor();
    expect(await waiting.textContent()).toContain("74.7");
    expect(await axeViolations(contributor.page)).toEqual([]);
    await screenshot(contributor.page, "returns-pending");
    expect(contributor.errors).toEqual([]);

    // Pending: nothing has moved on the lead's dashboard, but the value waits in the queue.
    await lead.page.reload();
    await lead.page.getByText("1 value waits for a lead's approval before it counts.").waitFor();
    expect(await ni151Status(lead.page)).toContain("NI 151 ▼ Off track");
    await lead.page.getByRole("link", { name: "Review the values awaiting approval" }).click();
    await lead.page.getByRole("heading", { level: 1, name: "Values awaiting approval" }).waitFor();
    await lead.page
      .getByRole("row", { name: /2008 Q4/ })
      .getByText("Cory Contributor (Coventry)")
      .waitFor();
    await lead.page.getByLabel("Choose NI 151 2008 Q4").check();
    expect(await axeViolations(lead.page)).toEqual([]);
    await screenshot(lead.page, "approvals-queue");
    await lead.page.getByRole("button", { name: "Approve chosen (1)" }).click();
    const done = lead.page.getByRole("status");
    await done.getByText("1 value approved and added to the data.").waitFor();
    await done.getByText("NI 151: Off track → On track (2008 Q4)").waitFor();
    await lead.page.getByText("Nothing waits for your approval").waitFor();
    expect(await axeViolations(lead.page)).toEqual([]);
    await screenshot(lead.page, "approvals-approved");

    await lead.page.goto(`${server.url}${lead.dashboard}`);
    await lead.page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
    await lead.page
      .getByRole("cell", { name: "Data return NI 151 2008 Q4 approved by Cara Lead (Coventry)" })
      .waitFor();
    expect(await ni151Status(lead.page)).toContain("NI 151 ▲ On track");
    await lead.page.getByText("No values wait for approval.").waitFor();
    expect(await axeViolations(lead.page)).toEqual([]);
    await screenshot(lead.page, "dashboard-after-approval");
    expect(lead.errors).toEqual([]);
  });

  it("refuses a change to a locked period without a reason, and takes it with one", async () => {
    const admin = await freshPage(browser);
    await signIn(
      admin.page,
      `${server.url}/admin/`,
      "admin@fivestep.example",
      password("admin@fivestep.example"),
    );
    await admin.page.goto(`${server.url}/admin/indicators/${encodeURIComponent("NI 151")}`);
    await admin.page.getByRole("heading", { level: 2, name: "Locked periods" }).waitFor();
    await admin.page.getByRole("button", { name: "Lock 2007 Q2" }).click();
    await admin.page.getByRole("status").getByText("2007 Q2 is locked.").waitFor();
    await admin.page.getByRole("button", { name: "Unlock 2007 Q2" }).waitFor();
    expect(await admin.page.getByRole("row", { name: /^2007 Q2/ }).textContent()).toContain("Locked");
    expect(await axeViolations(admin.page)).toEqual([]);
    await screenshot(admin.page, "admin-period-locked");
    // Beside it, each import source's "arrive pending" setting.
    await admin.page.getByRole("navigation").getByRole("link", { name: "Import sources" }).click();
    await admin.page.getByRole("heading", { level: 1, name: "Import sources" }).waitFor();
    expect(await axeViolations(admin.page)).toEqual([]);
    await screenshot(admin.page, "admin-import-sources");
    expect(admin.errors).toEqual([]);

    const lead = await leadDashboard();
    await scheduleNi151(lead.page, "2007 Q2, 2099-03-31", 1);

    const contributor = await as(CONTRIBUTOR);
    await contributor.page.getByRole("link", { name: "Data returns" }).click();
    const form = contributor.page.getByRole("form", { name: "Return for NI 151, 2007 Q2" });
    await form.getByText("2007 Q2 is locked at 72.4", { exact: false }).waitFor();
    await form.getByLabel("Value", { exact: true }).fill("73");
    await form.getByRole("button", { name: "Submit" }).click();
    const refusal = "NI 151 2007 Q2 is locked at 72.4: give a reason for revising it to 73";
    await form.getByRole("alert").getByText(refusal).waitFor();
    expect(await axeViolations(contributor.page)).toEqual([]);
    await screenshot(contributor.page, "returns-locked-refused");

    // In Croatian, the same refusal in Croatian, its number in Croatian notation.
    await contributor.page.getByLabel("Language").selectOption("hr-HR");
    const obrazac = contributor.page.getByRole("form", { name: "Dostava za NI 151, 2007 Q2" });
    await obrazac.getByRole("button", { name: "Pošalji" }).click();
    await obrazac
      .getByRole("alert")
      .getByText("NI 151 2007 Q2 zaključan je na vrijednosti 72,4: navedite razlog za izmjenu u 73")
      .waitFor();
    expect(await axeViolations(contributor.page)).toEqual([]);
    await screenshot(contributor.page, "returns-locked-refused-hr");
    await contributor.page.getByLabel("Jezik").selectOption("en-GB");

    const reason = "The ONS reweighted the Labour Force Survey";
    await form.getByLabel("Reason for revising the locked value").fill(reason);
    await form.getByRole("button", { name: "Submit" }).click();
    await form.waitFor({ state: "detached" });
    await contributor.page
      .getByRole("row", { name: /NI 151 2007 Q2/ })
      .getByText("Waiting for approval")
      .waitFor();
    expect(contributor.errors).toEqual([]);

    await lead.page.goto(`${server.url}${lead.dashboard.replace(/\/plans\/.*$/, "")}/approvals`);
    const row = lead.page.getByRole("row", { name: /2007 Q2/ });
    await row.getByText(`Reason for revising: ${reason}`).waitFor();
    expect(await row.textContent()).toContain("Locked");
    await lead.page.getByLabel("Choose NI 151 2007 Q2").check();
    await lead.page.getByRole("button", { name: "Approve chosen (1)" }).click();
    await lead.page.getByRole("status").getByText("1 value approved and added to the data.").waitFor();
    expect(lead.errors).toEqual([]);
  });
});
