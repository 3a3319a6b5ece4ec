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

describe("API tokens in the admin console", () => {
  it("an administrator makes a token, a machine uses it, and revoking it stops it", async () => {
    const { page, errors } = await freshPage(browser);
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    await signIn(
      page,
      `${server.url}/admin/`,
      "admin@fivestep.example",
      server.passwords.get("admin@fivestep.example") ?? "",
    );
    await page.getByRole("link", { name: "API tokens" }).first().click();
    await page.getByRole("heading", { level: 1, name: "API tokens" }).waitFor();
    await page.getByText("No tokens yet.").waitFor();

    await page.getByRole("button", { name: "Make a token" }).click();
    // Nothing chosen: the form says what is missing.
    await page.getByRole("button", { name: "Make the token" }).click();
    await page.getByRole("alert").getByText("Give the token a name").waitFor();
    await page.getByLabel("Name", { exact: true }).fill("Warehouse nightly");
    await page.getByLabel(/^import:write/).check();
    await page.getByLabel("Import sources").fill("ONS APS, Police recorded crime");
    await page.getByLabel("Expires after").selectOption("366");
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Make the token" }).click();

    await page.getByRole("heading", { name: "Token “Warehouse nightly” made" }).waitFor();
    await page.getByText("it is shown only this once").waitFor();
    const secret = await page.getByLabel("The token").inputValue();
    expect(secret).toMatch(/^fst_[\w-]{43}$/);
    await page.getByRole("button", { name: "Copy the token" }).click();
    await page.getByText("Copied.").waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "admin-api-token-made");

    // The machine sends a file with it, as the README's curl example does.
    const upload = await fetch(`${server.url}/api/imports?name=aps.csv`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "text/csv" },
      body: "code,when,value\nE08000026,2007 Q3,73.1\n",
    });
    expect(upload.status).toBe(201);

    await page.getByRole("button", { name: "Done" }).click();
    const row = page.getByRole("row", { name: /Warehouse nightly/ });
    await row.waitFor();
    expect(await row.textContent()).toContain(secret.slice(0, 12));
    expect(await row.textContent()).not.toContain(secret.slice(12));
    await row.getByText("Active").waitFor();

    // The audit trail names the token beside its creator.
    await page.getByRole("link", { name: "Audit trail" }).first().click();
    await page.getByText("token ‘Warehouse nightly’ of Demo Administrator").first().waitFor();

    await page.getByRole("link", { name: "API tokens" }).first().click();
    await page.getByRole("button", { name: "Revoke Warehouse nightly" }).click();
    const dialog = page.getByRole("dialog", { name: "Revoke “Warehouse nightly”?" });
    await dialog.getByText("stops working at once").waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await dialog.getByRole("button", { name: "Revoke" }).click();
    await page.getByRole("status").getByText("“Warehouse nightly” is revoked.").waitFor();
    await page
      .getByRole("row", { name: /Warehouse nightly/ })
      .getByText(/^Revoked/)
      .waitFor();

    const refused = await fetch(`${server.url}/api/imports?name=aps.csv`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "text/csv" },
      body: "code,when,value\nE08000026,2007 Q3,73.1\n",
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toMatch(/^Bearer/);

    // In Croatian.
    await page.getByLabel("Language").selectOption("hr-HR");
    await page.getByRole("heading", { level: 1, name: "API tokeni" }).waitFor();
    await page
      .getByRole("row", { name: /Warehouse nightly/ })
      .getByText(/^Opozvan/)
      .waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "admin-api-tokens-hr");
    expect(errors).toEqual([]);
  });

  it("a partnership's lead makes a token in the planner, sees it once, and revokes it", async () => {
    const { page, errors } = await freshPage(browser);
    await signIn(
      page,
      `${server.url}/`,
      "lead@coventry.example",
      server.passwords.get("lead@coventry.example") ?? "",
    );
    await page.getByRole("link", { name: "Coventry Partnership" }).click();
    await page.getByRole("link", { name: /^API tokens/ }).click();
    await page.getByRole("heading", { level: 1, name: "API tokens" }).waitFor();
    await page.getByText("No tokens yet.").waitFor();
    await page.getByRole("button", { name: "Make a token" }).click();
    // A lead is not offered catalogue writes; the server would refuse them anyway.
    expect(await page.getByLabel(/^import:write/).count()).toBe(0);
    await page.getByRole("button", { name: "Make the token" }).click();
    await page.getByRole("alert").getByText("Choose at least one scope").waitFor();
    await page.getByLabel("Name", { exact: true }).fill("Dashboard feed");
    await page.getByLabel(/^plans:read/).check();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Make the token" }).click();
    await page.getByRole("heading", { name: "Token “Dashboard feed” made" }).waitFor();
    const secret = await page.getByLabel("The token").inputValue();
    expect(secret).toMatch(/^fst_[\w-]{43}$/);
    await screenshot(page, "planner-api-token-made");

    // A machine reads with it; the partnership's trail names the token and what it read.
    const read = await fetch(`${server.url}/api/v1/partnerships`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(read.status).toBe(200);
    await page.getByRole("button", { name: "Done, I have kept it" }).click();
    // Shown once: gone from the page, only its prefix in the list.
    expect(await page.getByLabel("The token").count()).toBe(0);
    const row = page.getByRole("row", { name: /Dashboard feed/ });
    await row.getByText("Active").waitFor();
    expect(await row.textContent()).not.toContain(secret.slice(12));

    await page.getByRole("button", { name: "Revoke Dashboard feed" }).click();
    const dialog = page.getByRole("dialog", { name: "Revoke “Dashboard feed”?" });
    expect(await axeViolations(page)).toEqual([]);
    await dialog.getByRole("button", { name: "Revoke" }).click();
    await page.getByRole("status").getByText("“Dashboard feed” is revoked.").waitFor();
    await row.getByText(/^Revoked/).waitFor();
    await screenshot(page, "planner-api-tokens");
    const refused = await fetch(`${server.url}/api/v1/partnerships`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(refused.status).toBe(401);

    await page.getByRole("link", { name: "Back to the partnership" }).click();
    await page.getByRole("link", { name: /audit trail/ }).click();
    await page
      .getByRole("cell", {
        name: /The API token “Dashboard feed” of Cara Lead \(Coventry\) read the list of its partnerships/,
      })
      .first()
      .waitFor();
    expect(errors).toEqual([]);
  });
});
