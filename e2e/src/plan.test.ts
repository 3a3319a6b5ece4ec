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

async function as(email: string, locale = "en-GB"): Promise<{ page: Page; errors: string[] }> {
  const fresh = await freshPage(browser, locale);
  await signIn(fresh.page, `${server.url}/`, email, password(email));
  return fresh;
}

async function openCoventry(page: Page) {
  await page.getByRole("link", { name: "Coventry Partnership" }).click();
  await page.getByRole("heading", { level: 1, name: "Coventry Partnership" }).waitFor();
}

describe("the planner's five steps", () => {
  it("shows the demo plan's overview with the expected statuses and warnings", async () => {
    const { page, errors } = await as("viewer@coventry.example");
    await openCoventry(page);
    await page.getByRole("link", { name: "Coventry Local Area Agreement 2008–11" }).click();
    await page.getByRole("heading", { level: 1, name: "Coventry Local Area Agreement 2008–11" }).waitFor();
    // The priorities' headings (the reporting schedules below have headings of their own).
    expect(await page.locator('section[aria-labelledby^="priority-"] h3').allTextContents()).toEqual([
      "To reduce health inequalities",
      "To reduce crime",
      "To improve educational attainment",
      "To promote job creation",
    ]);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "planner-plan-demo");
    await page.getByRole("link", { name: /Plan overview/ }).click();
    await page.getByRole("heading", { level: 1, name: "Plan overview" }).waitFor();
    const table = page.getByRole("table", { name: "Indicators by priority" });
    const status = async (code: string) =>
      (
        await table
          .getByRole("row", { name: new RegExp(code) })
          .getByRole("cell")
          .allTextContents()
      ).join(" ");
    expect(await status("NI 151")).toContain("Off track");
    expect(await status("NI 152")).toContain("Off track");
    expect(await status("NI 171")).toContain("On track");
    expect(await page.getByText("Out-of-date data:").count()).toBe(3);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "planner-plan-overview");
    expect(errors).toEqual([]);
  });

  it("walks the demo priority's five steps, accessible in English and in Croatian", async () => {
    const { page, errors } = await as("viewer@coventry.example");
    await openCoventry(page);
    await page.getByRole("link", { name: "Coventry Local Area Agreement 2008–11" }).click();
    await page
      .getByRole("list", { name: "The five steps of “To promote job creation”" })
      .getByRole("link", { name: "Where are we now?" })
      .click();
    const titles = [
      "Where are we now?",
      "What evidence do we have?",
      "Where are we trying to reach?",
      "How will we get there?",
      "What do we need to do?",
    ];
    const hr = [
      "Gdje smo sada?",
      "Koje dokaze imamo?",
      "Kamo želimo stići?",
      "Kako ćemo stići?",
      "Što trebamo učiniti?",
    ];
    const base = new URL(page.url()).pathname.replace(/\/step\/1$/, "");
    for (const [i, title] of titles.entries()) {
      await page.goto(`${server.url}${base}/step/${i + 1}`);
      await page.getByRole("heading", { level: 1, name: new RegExp(title.replace("?", "\\?")) }).waitFor();
      // Wait for the step's content, not just its frame.
      await page.waitForLoadState("networkidle");
      expect(await axeViolations(page), `axe on step ${i + 1}`).toEqual([]);
      await screenshot(page, `planner-demo-step${i + 1}`);
    }
    // Step 1 shows the talk's question answered as a note; step 3 the realism check in words.
    await page.goto(`${server.url}${base}/step/1`);
    await page
      .getByText(/what happened between 2002 and 2004/)
      .first()
      .waitFor();
    await page.goto(`${server.url}${base}/step/3`);
    await page.getByText("Is the target realistic?").first().waitFor();

    await page.getByLabel("Language").selectOption("hr-HR");
    for (const [i, title] of hr.entries()) {
      await page.goto(`${server.url}${base}/step/${i + 1}`);
      await page.getByRole("heading", { level: 1, name: new RegExp(title.replace("?", "\\?")) }).waitFor();
      await page.waitForLoadState("networkidle");
      expect(await page.locator("html").getAttribute("lang")).toBe("hr-HR");
      expect(await axeViolations(page), `axe on step ${i + 1} in Croatian`).toEqual([]);
      await screenshot(page, `planner-demo-step${i + 1}-hr`);
    }
    expect(errors).toEqual([]);
  });

  it("builds a priority through all five steps from an empty plan, and it is all there after a reload", async () => {
    const { page, errors } = await as("editor@coventry.example");
    await openCoventry(page);
    await page.getByRole("button", { name: "Start a new plan" }).click();
    await page.getByLabel("Title").fill("Coventry plan 2011–14");
    await page.getByLabel("Vision").fill("A prosperous city");
    await page.getByLabel("First year").fill("2011");
    await page.getByRole("button", { name: "Create the plan" }).click();
    await page.getByRole("heading", { level: 1, name: "Coventry plan 2011–14" }).waitFor();
    const planUrl = page.url();

    // An empty priority form shows the error summary.
    await page.getByRole("button", { name: "Add a priority" }).click();
    await page.getByRole("alert").getByRole("link", { name: "Enter the priority" }).waitFor();
    await page.getByLabel("Priority", { exact: true }).fill("To promote job creation");
    await page.getByLabel("Theme").fill("Economy");
    await page.getByLabel("Owner's name or role").fill("Head of Economic Development");
    await page.getByRole("button", { name: "Add a priority" }).click();
    await page.getByRole("heading", { level: 3, name: "To promote job creation" }).waitFor();

    // Step 1: choose an indicator.
    await page
      .getByRole("list", { name: /The five steps of/ })
      .getByRole("link", { name: "Where are we now?" })
      .click();
    await page.getByLabel("Indicator", { exact: true }).selectOption("NI 171");
    await page.getByRole("button", { name: "Add an indicator" }).click();
    await page.getByRole("heading", { level: 2, name: /NI 171/ }).waitFor();
    await page.getByLabel("Mark this step as").selectOption("completed");
    await page.getByRole("link", { name: "Next: What evidence do we have?" }).click();

    // Step 2: where, why, and evidence.
    await page.getByRole("heading", { level: 1, name: /What evidence do we have\?/ }).waitFor();
    await page.getByLabel("Where do we need to address this priority?").selectOption("target-group");
    await page.getByLabel("Which target group").first().fill("Young people");
    await page.getByLabel("What has caused the problems?").fill("Few start-ups among young people");
    await page.getByLabel("What are we currently doing?").fill("Generic advice");
    await page.getByLabel("Why is it not working?").fill("Advice stops at registration");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    await page.getByLabel("Kind of evidence").selectOption("focus-group");
    await page.getByLabel("Title", { exact: true }).fill("Youth enterprise focus group");
    await page.getByLabel("What it tells us").fill("Mentors wanted");
    await page.getByRole("button", { name: "Add evidence" }).click();
    await page.getByRole("heading", { level: 3, name: "Youth enterprise focus group" }).waitFor();
    await page.getByRole("link", { name: "Next: Where are we trying to reach?" }).click();

    // Step 3: baseline and trajectory.
    await page.getByRole("heading", { level: 1, name: /Where are we trying to reach\?/ }).waitFor();
    await page.getByLabel("Year 1: period").fill("2012");
    await page.getByLabel("Year 1: target").fill("31");
    await page.getByRole("button", { name: "Add a year" }).click();
    await page.getByLabel("Year 2: period").fill("2013");
    await page.getByLabel("Year 2: target").fill("33");
    await page.getByRole("button", { name: "Save the target" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    await page.getByRole("link", { name: "Next: How will we get there?" }).click();

    // Step 4: an option, chosen with its evidence.
    await page.getByRole("heading", { level: 1, name: /How will we get there\?/ }).waitFor();
    await page.getByLabel("Option", { exact: true }).fill("Youth enterprise mentors");
    await page.getByLabel("Youth enterprise focus group").check();
    await page.getByLabel("Decision", { exact: true }).selectOption("selected");
    await page.getByLabel("Reason for the decision").fill("Asked for by young people");
    await page.getByRole("button", { name: "Add an option" }).click();
    await page
      .getByRole("table", { name: "Options side by side" })
      .getByRole("columnheader", { name: "Youth enterprise mentors" })
      .waitFor();
    await page.getByRole("link", { name: "Next: What do we need to do?" }).click();

    // Step 5: an action measured against the indicator, and who needs to know.
    await page.getByRole("heading", { level: 1, name: /What do we need to do\?/ }).waitFor();
    await page.getByLabel("What", { exact: true }).fill("Recruit twenty mentors");
    await page.getByLabel("Lead person").fill("Ed Editor");
    await page.getByLabel("Measured against").selectOption({ label: "NI 171" });
    await page.getByRole("button", { name: "Add an action" }).click();
    await page.getByRole("rowheader", { name: "Recruit twenty mentors" }).waitFor();
    await page.getByLabel("What they need to know").fill("How to become a mentor");
    await page.getByRole("button", { name: "Add to the communication plan" }).click();
    await page.getByRole("cell", { name: "How to become a mentor" }).waitFor();

    // Everything is still there after a reload, read from the server.
    await page.reload();
    await page.getByRole("rowheader", { name: "Recruit twenty mentors" }).waitFor();
    const stepUrl = new URL(page.url()).pathname.replace(/\/5$/, "");
    await page.goto(`${server.url}${stepUrl}/2`);
    expect(await page.getByLabel("What has caused the problems?").inputValue()).toBe(
      "Few start-ups among young people",
    );
    await page.getByRole("heading", { level: 3, name: "Youth enterprise focus group" }).waitFor();
    await page.goto(`${server.url}${stepUrl}/3`);
    expect(await page.getByLabel("Year 2: target").inputValue()).toBe("33");
    await page.goto(`${server.url}${stepUrl}/4`);
    await page.getByRole("cell", { name: /Selected: Asked for by young people/ }).waitFor();
    await page.goto(`${server.url}${stepUrl}/1`);
    await page.getByRole("heading", { level: 2, name: /NI 171/ }).waitFor();
    await screenshot(page, "planner-built-step1");
    expect(
      await page
        .getByRole("list", { name: /The five steps/ })
        .getByText("Completed")
        .count(),
    ).toBe(1);
    expect(errors).toEqual([]);

    // A viewer sees the same priority read-only.
    const viewer = await as("viewer@coventry.example");
    await viewer.page.goto(`${server.url}${stepUrl}/5`);
    await viewer.page.getByRole("rowheader", { name: "Recruit twenty mentors" }).waitFor();
    expect(await viewer.page.getByRole("button", { name: "Add an action" }).count()).toBe(0);
    await viewer.page.getByText("You can read this priority; editors and leads change it.").waitFor();
    await viewer.page.goto(`${server.url}${stepUrl}/2`);
    await viewer.page.getByText("Few start-ups among young people").waitFor();
    expect(await viewer.page.getByRole("textbox").count()).toBe(0);
    await screenshot(viewer.page, "planner-viewer-step2");

    // In a draft plan the editor removes a priority, after a confirmation that says what goes with it.
    await page.goto(planUrl);
    await page.getByLabel("Priority", { exact: true }).fill("A priority added by mistake");
    await page.getByLabel("Theme").fill("Economy");
    // Its owner is a member of the partnership (reminders reach them), shown by name.
    await page.getByLabel("Owner", { exact: true }).selectOption({ label: "Ed Editor (Coventry)" });
    expect(await page.getByLabel("Owner's name or role").count()).toBe(0);
    await page.getByRole("button", { name: "Add a priority" }).click();
    await page.getByRole("heading", { level: 2, name: "Priorities (2 of at most 35)" }).waitFor();
    await page.getByText("Economy · Owner: Ed Editor (Coventry)").waitFor();
    // It is renamed, then moved above the first; the order is saved.
    await page.getByRole("button", { name: "Rename A priority added by mistake" }).click();
    const rename = page.getByRole("form", { name: "Rename “A priority added by mistake”" });
    await rename.getByLabel("Priority", { exact: true }).fill("");
    await rename.getByRole("button", { name: "Save changes" }).click();
    await rename.getByRole("alert").getByRole("link", { name: "Enter the priority" }).waitFor();
    await rename.getByLabel("Priority", { exact: true }).fill("Youth enterprise");
    await rename.getByRole("button", { name: "Save changes" }).click();
    await page.getByRole("heading", { level: 3, name: "Youth enterprise" }).waitFor();
    const order = () => page.locator("section.fs-section > h3").allTextContents();
    expect(await order()).toEqual(["To promote job creation", "Youth enterprise"]);
    await page.getByRole("button", { name: "Move up Youth enterprise" }).click();
    await expect.poll(order).toEqual(["Youth enterprise", "To promote job creation"]);
    await page.reload();
    await page.getByRole("heading", { level: 3, name: "Youth enterprise" }).waitFor();
    expect(await order()).toEqual(["Youth enterprise", "To promote job creation"]);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "planner-priority-renamed-moved");
    await page.getByRole("button", { name: "Remove “Youth enterprise”" }).click();
    const dialog = page.getByRole("dialog", {
      name: /^Remove the priority .Youth enterprise.\?$/,
    });
    await dialog.getByText("This cannot be undone.", { exact: false }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await dialog.getByRole("button", { name: "Remove the priority" }).click();
    await page.getByRole("heading", { level: 2, name: "Priorities (1 of at most 35)" }).waitFor();
    expect(await page.getByRole("heading", { level: 3, name: "Youth enterprise" }).count()).toBe(0);
    await page.getByRole("heading", { level: 3, name: "To promote job creation" }).waitFor();
    expect(errors).toEqual([]);
  });
});
