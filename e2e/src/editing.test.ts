import type { Browser, Locator, Page } from "playwright-core";
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

/** The id of the element that has focus, or its text when it has no id. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el?.id || el?.textContent?.trim() || el?.tagName || "";
  });

/** Whether the field has the focus. */
const hasFocus = (field: Locator) => field.evaluate((el) => el === document.activeElement);

/** The values of a form's text boxes, selects and checkboxes, by label. */
async function values(form: Locator, labels: Record<string, "text" | "select" | "checkbox">) {
  const out: Record<string, string | boolean> = {};
  for (const [label, type] of Object.entries(labels)) {
    const field = form.getByLabel(label, { exact: true });
    out[label] = type === "checkbox" ? await field.isChecked() : await field.inputValue();
  }
  return out;
}

describe("editing a priority's steps", () => {
  it("starts each add form empty, moves focus to what was added, and links errors to their fields", async () => {
    const { page, errors } = await freshPage(browser);
    const email = "editor@coventry.example";
    await signIn(page, `${server.url}/`, email, server.passwords.get(email) ?? "");
    await page.getByRole("link", { name: "Coventry Partnership" }).click();
    await page.getByRole("button", { name: "Start a new plan" }).click();
    await page.getByLabel("Title").fill("Editing plan 2011–14");
    await page.getByLabel("First year").fill("2011");
    await page.getByRole("button", { name: "Create the plan" }).click();
    await page.getByRole("heading", { level: 1, name: "Editing plan 2011–14" }).waitFor();
    await page.getByLabel("Priority", { exact: true }).fill("To promote job creation");
    await page.getByLabel("Theme").fill("Economy");
    await page.getByLabel("Owner's name or role").fill("Head of Economic Development");
    await page.getByRole("button", { name: "Add a priority" }).click();
    await page.getByRole("heading", { level: 3, name: "To promote job creation" }).waitFor();
    await page
      .getByRole("list", { name: /The five steps of/ })
      .getByRole("link", { name: "Where are we now?" })
      .click();
    const base = new URL(page.url()).pathname.replace(/\/1$/, "");
    await page.getByLabel("Indicator", { exact: true }).selectOption("NI 171");
    await page.getByRole("button", { name: "Add an indicator" }).click();
    await page.getByRole("heading", { level: 2, name: /NI 171/ }).waitFor();
    await page.goto(`${server.url}${base}/2`);
    await page.getByLabel("Title", { exact: true }).fill("Business survey");
    await page.getByRole("button", { name: "Add evidence" }).click();
    await page.getByRole("heading", { level: 3, name: "Business survey" }).waitFor();

    // Step 4: an empty option is refused; its summary link focuses the field.
    await page.goto(`${server.url}${base}/4`);
    await page.getByRole("heading", { level: 1, name: /How will we get there\?/ }).waitFor();
    await page.getByRole("button", { name: "Add an option" }).click();
    const optionSummary = page.getByRole("alert");
    await optionSummary.getByRole("link", { name: "Enter the option" }).click();
    expect(await hasFocus(page.getByLabel("Option", { exact: true }))).toBe(true);

    // Two options in a row: the second form starts empty, not with the first's evidence.
    await page.getByLabel("Option", { exact: true }).fill("Start-up grants");
    await page.getByLabel("Business survey").check();
    await page.getByLabel("Score (0–5)").selectOption("4");
    await page.getByLabel("Decision", { exact: true }).selectOption("selected");
    await page.getByLabel("Reason for the decision").fill("Asked for in the survey");
    await page.getByRole("button", { name: "Add an option" }).click();
    await page.getByRole("status").filter({ hasText: "Start-up grants" }).waitFor();
    expect(await focused(page)).toContain("Start-up grants");
    const emptyOption = {
      Option: "",
      "Business survey": false,
      "Score (0–5)": "0",
      Decision: "undecided",
      "Reason for the decision": "",
    };
    const optionFields = {
      Option: "text",
      "Business survey": "checkbox",
      "Score (0–5)": "select",
      Decision: "select",
      "Reason for the decision": "text",
    } as const;
    const optionForm = page.getByRole("form", { name: "Add an option" });
    expect(await values(optionForm, optionFields)).toEqual(emptyOption);
    await optionForm.getByLabel("Option", { exact: true }).fill("Mentoring");
    await page.getByRole("button", { name: "Add an option" }).click();
    const compare = page.getByRole("table", { name: "Options side by side" });
    await compare.getByRole("columnheader", { name: "Mentoring" }).waitFor();
    expect(await values(optionForm, optionFields)).toEqual(emptyOption);
    // The second option was saved without the first's evidence and decision.
    expect(
      await compare
        .getByRole("row", { name: /Evidence that it works/ })
        .getByRole("cell")
        .allTextContents(),
    ).toEqual(["Business survey", "–"]);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "editing-step4-two-options");

    // Unsaved changes: a link within the app asks first; staying keeps what was typed.
    await optionForm.getByLabel("Option", { exact: true }).fill("Half-typed");
    const toStep5 = page
      .getByRole("list", { name: /The five steps of/ })
      .getByRole("link", { name: "What do we need to do?" });
    const asked = page.waitForEvent("dialog");
    const leaving = toStep5.click();
    const question = await asked;
    expect(question.message()).toBe("You have changes that are not saved. Leave this page and lose them?");
    await question.dismiss();
    await leaving;
    expect(await optionForm.getByLabel("Option", { exact: true }).inputValue()).toBe("Half-typed");
    page.once("dialog", (d) => void d.accept());

    // Step 5: two actions in a row; the second starts without the first's indicator and dates.
    await toStep5.click();
    await page.getByRole("heading", { level: 1, name: /What do we need to do\?/ }).waitFor();
    await page.getByRole("button", { name: "Add an action" }).click();
    await page.getByRole("alert").getByRole("link", { name: "Enter who leads it" }).click();
    expect(await hasFocus(page.getByLabel("Lead person"))).toBe(true);
    await page.getByLabel("Kind of action").selectOption("training");
    await page.getByLabel("What", { exact: true }).fill("Train business advisers");
    await page.getByLabel("Lead person").fill("Ed Editor");
    await page.getByLabel("Start").fill("2011-04-01");
    await page.getByLabel("Due").fill("2012-03-31");
    await page.getByLabel("Measured against").selectOption({ label: "NI 171" });
    await page.getByRole("button", { name: "Add an action" }).click();
    await page.getByRole("rowheader", { name: "Train business advisers" }).waitFor();
    await page.getByRole("status").filter({ hasText: "Train business advisers" }).waitFor();
    expect(await focused(page)).toContain("Train business advisers");
    const actionFields = {
      "Kind of action": "select",
      What: "text",
      "Lead person": "text",
      Start: "text",
      Due: "text",
      "Measured against": "select",
    } as const;
    const emptyAction = {
      "Kind of action": "new-intervention",
      What: "",
      "Lead person": "",
      Start: "",
      Due: "",
      "Measured against": "",
    };
    const actionForm = page.getByRole("form", { name: "Add an action" });
    expect(await values(actionForm, actionFields)).toEqual(emptyAction);
    await page.getByLabel("What", { exact: true }).fill("Open a mentoring scheme");
    await page.getByLabel("Lead person").fill("Ed Editor");
    await page.getByRole("button", { name: "Add an action" }).click();
    const second = page.getByRole("row", { name: /Open a mentoring scheme/ });
    await second.waitFor();
    expect(await values(actionForm, actionFields)).toEqual(emptyAction);
    const cells = (await second.getByRole("cell").allTextContents()).join(" | ");
    expect(cells).toContain("New intervention");
    expect(cells).toContain("? – ?");
    expect(cells).toContain("No indicator");
    expect(cells).not.toContain("Training");
    expect(cells).not.toContain("NI 171");

    // The progress form's date, when refused, is linked from the summary to its field.
    await page.getByLabel("Date", { exact: true }).fill("");
    await page.getByLabel("What has happened").fill("Advisers booked");
    await page.getByRole("button", { name: "Record progress" }).click();
    await page
      .getByRole("alert")
      .getByRole("link", { name: /Enter a real date/ })
      .click();
    expect(await hasFocus(page.getByLabel("Date", { exact: true }))).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "editing-step5-two-actions");

    // Editing an action: the form holds every field as saved; its status and due date change.
    await page.getByRole("button", { name: "Edit Train business advisers" }).click();
    const editForm = page.getByRole("form", { name: "Change “Train business advisers”" });
    expect(await values(editForm, actionFields)).toEqual({
      "Kind of action": "training",
      What: "Train business advisers",
      "Lead person": "Ed Editor",
      Start: "2011-04-01",
      Due: "2012-03-31",
      "Measured against": expect.stringMatching(/^\d+$/),
    });
    expect(await editForm.getByLabel("Measured against").locator("option:checked").textContent()).toBe(
      "NI 171",
    );
    await editForm.getByLabel("Status", { exact: true }).selectOption("stopped");
    await editForm.getByLabel("Due", { exact: true }).fill("2012-06-30");
    // Milestones are rows of their own: two added, the first removed again.
    await editForm.getByRole("button", { name: "Add a milestone" }).click();
    await editForm.getByLabel("Milestone 1", { exact: true }).fill("Course booked");
    await editForm.getByRole("button", { name: "Add a milestone" }).click();
    await editForm.getByLabel("Milestone 2", { exact: true }).fill("Advisers recruited");
    await editForm.getByLabel("Due date of milestone 2").fill("2011-06-30");
    await editForm.getByLabel("Milestone 2 reached").check();
    await editForm.getByRole("button", { name: "Remove milestone 1" }).click();
    expect(await editForm.getByLabel("Milestone 1", { exact: true }).inputValue()).toBe("Advisers recruited");
    await editForm.getByRole("button", { name: "Save changes" }).click();
    const first = page.getByRole("row", { name: /Train business advisers/ });
    await first.getByRole("cell", { name: "Stopped" }).waitFor();
    const firstCells = (await first.getByRole("cell").allTextContents()).join(" | ");
    expect(firstCells).toContain("2011-04-01 – 2012-06-30");
    expect(firstCells).toContain("✓ 2011-06-30 Advisers recruited");
    expect(firstCells).not.toContain("Course booked");
    // The form is back to adding, empty.
    expect(await values(actionForm, actionFields)).toEqual(emptyAction);

    // Progress moves the status: 100% on the mentoring scheme makes it done.
    await page.getByLabel("Action", { exact: true }).selectOption({ label: "Open a mentoring scheme" });
    await page.getByLabel("Date", { exact: true }).fill("2011-09-30");
    await page.getByLabel("What has happened").fill("Twelve mentors matched");
    await page.getByLabel("Per cent complete").fill("100");
    await page.getByRole("button", { name: "Record progress" }).click();
    await second.getByRole("cell", { name: "Done", exact: true }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "editing-step5-action-edited");
    expect(errors).toEqual([]);
  });
});
