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

describe("area types are data", () => {
  it("lets an administrator add a level of another country's hierarchy", async () => {
    const { page, errors } = await freshPage(browser);
    await signIn(
      page,
      `${server.url}/admin/`,
      "admin@fivestep.example",
      server.passwords.get("admin@fivestep.example") ?? "",
    );
    await page.getByRole("link", { name: "Areas" }).first().click();
    await page.getByRole("heading", { level: 2, name: "Levels of the hierarchy" }).waitFor();
    await page.getByLabel("Type", { exact: true }).fill("županija");
    await page.getByLabel("Level (1 is the top)").fill("0");
    await page.getByRole("button", { name: "Save the area type" }).click();
    await page.getByRole("alert").getByText("Use 1 for the top level").waitFor();
    await page.getByLabel("Level (1 is the top)").fill("2");
    await page.getByRole("button", { name: "Save the area type" }).click();
    await page.getByRole("rowheader", { name: "županija" }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "admin-area-types");
    expect(errors).toEqual([]);
  });
});
