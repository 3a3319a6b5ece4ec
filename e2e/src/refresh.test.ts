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

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("the annual refresh", () => {
  it("drops a priority only with a reason, and comparing the versions says why", async () => {
    const { page, errors } = await freshPage(browser);
    const email = "lead@coventry.example";
    await signIn(page, `${server.url}/`, email, server.passwords.get(email) ?? "");
    await page.getByRole("link", { name: "Coventry Partnership" }).click();
    await page.getByRole("link", { name: "Coventry Local Area Agreement 2008–11" }).click();
    await page.getByRole("heading", { level: 1, name: "Coventry Local Area Agreement 2008–11" }).waitFor();
    // An agreed plan's priorities are not removed in place.
    expect(await page.getByRole("button", { name: /^Remove “/ }).count()).toBe(0);
    await page.getByRole("button", { name: "Start the annual refresh" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Start the annual refresh" }).click();
    await page.getByText("Version 2 (Draft)").waitFor();

    await page.getByRole("button", { name: "Remove “To reduce crime”" }).click();
    const dialog = page.getByRole("dialog", { name: /^Remove the priority .To reduce crime.\?$/ });
    await dialog.getByRole("button", { name: "Remove the priority" }).click();
    await dialog.getByText("Say why this priority is dropped in the refresh").waitFor();
    expect(await page.getByRole("heading", { level: 3, name: "To reduce crime" }).count()).toBe(1);
    await dialog.getByLabel("Why is it dropped?").fill("Now led by the community safety partnership");
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "refresh-remove-reason");
    await dialog.getByRole("button", { name: "Remove the priority" }).click();
    await dialog.waitFor({ state: "detached" });
    // The plan is read again after the removal: the heading goes once that answer arrives.
    await page.getByRole("heading", { level: 3, name: "To reduce crime" }).waitFor({ state: "detached" });

    await page.getByRole("link", { name: "compare" }).click();
    await page.getByRole("heading", { level: 1, name: "What changed from version 1 to version 2" }).waitFor();
    await page
      .getByText("Removed: To reduce crime (why: Now led by the community safety partnership)")
      .waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "refresh-compare-removed");
    expect(errors).toEqual([]);
  });
});
