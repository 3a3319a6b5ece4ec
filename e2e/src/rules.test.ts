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

/** Signs in, starts a draft plan for 2008/09–2010/11 in Coventry and adds one priority to it. */
async function draftPlan(
  email: string,
  title: string,
  priority: string,
): Promise<{ page: Page; errors: string[] }> {
  const fresh = await freshPage(browser);
  const { page } = fresh;
  await signIn(page, `${server.url}/`, email, password(email));
  await page.getByRole("link", { name: "Coventry Partnership" }).click();
  await page.getByRole("heading", { level: 1, name: "Coventry Partnership" }).waitFor();
  await page.getByRole("button", { name: "Start a new plan" }).click();
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("First year").fill("2008");
  await page.getByRole("button", { name: "Create the plan" }).click();
  await page.getByRole("heading", { level: 1, name: title }).waitFor();
  await page.getByLabel("Priority", { exact: true }).fill(priority);
  await page.getByLabel("Theme").fill("Economy");
  await page.getByLabel("Owner's name or role").fill("Head of Economic Development");
  await page.getByRole("button", { name: "Add a priority" }).click();
  await page.getByRole("heading", { level: 3, name: priority }).waitFor();
  return fresh;
}

describe("the plan's rules, at the forms", () => {
  it("refuses a target of 150 for a percentage with the indicator's range, in English and in Croatian", async () => {
    const { page, errors } = await draftPlan(
      "editor@coventry.example",
      "Rules plan 2008–11",
      "To raise employment",
    );
    // Step 1: the employment rate, a percentage.
    await page
      .getByRole("list", { name: /The five steps of/ })
      .getByRole("link", { name: "Where are we now?" })
      .click();
    await page.getByLabel("Indicator", { exact: true }).selectOption("NI 151");
    await page.getByRole("button", { name: "Add an indicator" }).click();
    await page.getByRole("heading", { level: 2, name: /NI 151/ }).waitFor();
    await page.getByRole("link", { name: "Next: What evidence do we have?" }).click();
    await page.getByRole("link", { name: "Next: Where are we trying to reach?" }).click();

    // Step 3: a target of 150%.
    await page.getByRole("heading", { level: 1, name: /Where are we trying to reach\?/ }).waitFor();
    await page.getByText("The plan runs from 2008/09 to 2010/11").waitFor();
    await page.getByLabel("Year 1: period").fill("2010 Q4");
    await page.getByLabel("Year 1: target").fill("150");
    await page.getByRole("button", { name: "Save the target" }).click();
    const english = "150 is above the largest value NI 151 can take (0 to 100)";
    const summary = page.getByRole("alert").filter({ hasText: "There is a problem" });
    await summary.getByRole("link", { name: english }).waitFor();
    // The same message beside the field, which the summary's link points to.
    const field = page.getByLabel("Year 1: target");
    expect(await field.getAttribute("aria-invalid")).toBe("true");
    const described = (await field.getAttribute("aria-describedby")) ?? "";
    expect(await page.locator(`[id="${described.split(" ").at(-1)}"]`).textContent()).toBe(english);
    expect(await summary.getByRole("link", { name: english }).getAttribute("href")).toBe(
      `#${await field.getAttribute("id")}`,
    );

    // Step 3 cannot be completed without a target: the server says why.
    await page.getByLabel("Mark this step as").selectOption("completed");
    const refusal =
      "Step 3 needs a target (a baseline and at least one milestone) before it can be completed";
    await page.getByText(refusal).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "planner-rules-target-en");

    // The Croatian page words both refusals in Croatian.
    await page.getByLabel("Language").selectOption("hr-HR");
    await page.getByRole("heading", { level: 1, name: /Kamo želimo stići\?/ }).waitFor();
    await page
      .getByText("Korak 3 može se dovršiti tek kad ima cilj (polazište i barem jedan međucilj)")
      .waitFor();
    await page.getByRole("button", { name: "Spremi cilj" }).click();
    const croatian = "150 je veće od najveće vrijednosti koju NI 151 može imati (0 do 100)";
    await page
      .getByRole("alert")
      .filter({ hasText: "Postoji problem" })
      .getByRole("link", { name: croatian })
      .waitFor();
    expect(await page.getByText(english).count()).toBe(0);
    expect(await page.locator("html").getAttribute("lang")).toBe("hr-HR");
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "planner-rules-target-hr");

    // A target within the range is saved.
    await page.getByLabel("Godina 1: cilj").fill("75");
    await page.getByRole("button", { name: "Spremi cilj" }).click();
    await page.getByRole("status").filter({ hasText: "Spremljeno" }).waitFor();
    expect(errors).toEqual([]);
  });

  it("lists what each priority is missing when a plan with an incomplete priority is submitted", async () => {
    const { page, errors } = await draftPlan(
      "lead@coventry.example",
      "Unfinished plan 2008–11",
      "To reduce crime",
    );
    // Before anyone submits, the check-your-answers list shows the gaps.
    const check = page.getByRole("region", { name: "Check your answers before the plan goes for agreement" });
    await check.getByRole("link", { name: "Step 1 needs an indicator before it can be completed" }).waitFor();

    await page.getByRole("button", { name: "Submit for agreement" }).click();
    await page.getByRole("button", { name: "Confirm" }).click();
    const refusal = page.getByRole("alert").filter({ hasText: "There is a problem" });
    await refusal
      .getByText(
        "Priorities with something missing: 1. Finish their five steps before the plan goes for agreement",
      )
      .waitFor();
    await refusal.getByRole("heading", { level: 3, name: "To reduce crime" }).waitFor();
    expect(await refusal.getByRole("listitem").allTextContents()).toEqual([
      "Step 1 needs an indicator before it can be completed",
      "Step 2 needs at least one item of evidence before it can be completed",
      "Step 3 needs a target (a baseline and at least one milestone) before it can be completed",
      "Step 4 needs a chosen option, with the reason it was chosen, before it can be completed",
      "Step 5 needs at least one action before it can be completed",
    ]);
    expect(await page.getByTestId("plan-status").textContent()).toBe("Draft");
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "planner-rules-submit-refused");

    // Each gap links to its step.
    await refusal.getByRole("link", { name: /^Step 4 needs/ }).click();
    await page.getByRole("heading", { level: 1, name: /How will we get there\?/ }).waitFor();
    expect(errors).toEqual([]);
  });
});
