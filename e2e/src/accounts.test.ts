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
const password = (email: string) => server.passwords.get(email) ?? "";

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("signing in to the planner", () => {
  it("prints a password for every demo account at start", () => {
    expect([...server.passwords.keys()]).toEqual(
      expect.arrayContaining([
        "admin@fivestep.example",
        "lead@coventry.example",
        "lead@wolverhampton.example",
      ]),
    );
  });

  it("shows a clear error for a wrong password, next to nothing else", async () => {
    const { page, errors } = await freshPage(browser);
    await page.goto(`${server.url}/`);
    await page.getByRole("heading", { level: 1, name: "Sign in to Fivestep" }).waitFor();
    // Empty form: messages beside each field and in the summary.
    await page.getByRole("button", { name: "Sign in" }).click();
    const summary = page.getByRole("alert");
    await summary.waitFor();
    expect(await summary.getByRole("link").allTextContents()).toEqual([
      "Enter an email address",
      "Enter your password",
    ]);
    await page.getByLabel("Email address").fill("lead@coventry.example");
    await page.getByLabel("Password").fill("not the right password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("The email address or password is not right.").waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "planner-sign-in-error");
    expect(errors).toEqual([]);
  });

  it("shows each demo partnership's user only their own partnership", async () => {
    const coventry = await freshPage(browser);
    await signIn(coventry.page, `${server.url}/`, "lead@coventry.example", password("lead@coventry.example"));
    await coventry.page.getByRole("heading", { level: 1, name: "Your partnerships" }).waitFor();
    const coventryCards = coventry.page.getByRole("list", { name: "Partnerships" }).getByRole("heading");
    // The page heading shows before the list has loaded: wait for its card.
    await coventryCards.first().waitFor();
    expect(await coventryCards.allTextContents()).toEqual(["Coventry Partnership"]);
    expect(await axeViolations(coventry.page)).toEqual([]);
    await screenshot(coventry.page, "planner-home-coventry-lead");

    const wolverhampton = await freshPage(browser);
    await signIn(
      wolverhampton.page,
      `${server.url}/`,
      "lead@wolverhampton.example",
      password("lead@wolverhampton.example"),
    );
    await wolverhampton.page.getByRole("heading", { level: 1, name: "Your partnerships" }).waitFor();
    const wCards = wolverhampton.page.getByRole("list", { name: "Partnerships" }).getByRole("heading");
    await wCards.first().waitFor();
    expect(await wCards.allTextContents()).toEqual(["Wolverhampton Partnership"]);

    // Coventry's page, reached by its address, is refused by the server.
    await coventry.page.getByRole("link", { name: "Coventry Partnership" }).click();
    await coventry.page.getByRole("heading", { level: 1, name: "Coventry Partnership" }).waitFor();
    const coventryPath = new URL(coventry.page.url()).pathname;
    await wolverhampton.page.goto(`${server.url}${coventryPath}`);
    await wolverhampton.page
      .getByRole("heading", { name: "You do not have access to this partnership" })
      .waitFor();
    expect(await wolverhampton.page.getByText("Coventry Partnership").count()).toBe(0);

    // The lead sees the partnership's audit trail.
    await coventry.page.getByRole("link", { name: /audit trail/ }).click();
    await coventry.page.getByRole("heading", { level: 1, name: "Audit trail" }).waitFor();
    const trail = coventry.page.getByRole("table", { name: "Changes, newest first" });
    await trail.waitFor();
    // The seed's partnership and memberships, and nothing of Wolverhampton's.
    await trail
      .getByRole("cell", { name: /created the partnership Coventry Partnership/ })
      .first()
      .waitFor();
    expect(await trail.getByRole("row").count()).toBeGreaterThan(1);
    expect(await trail.getByText(/Wolverhampton Partnership/).count()).toBe(0);
    expect(await axeViolations(coventry.page)).toEqual([]);
    await screenshot(coventry.page, "planner-audit-coventry");
    expect([...coventry.errors, ...wolverhampton.errors]).toEqual([]);
  });

  it("ends the session on sign-out, so the old cookie no longer works", async () => {
    const { page } = await freshPage(browser);
    await signIn(page, `${server.url}/`, "editor@coventry.example", password("editor@coventry.example"));
    const [cookie] = await page.context().cookies();
    expect(cookie).toMatchObject({ name: "fivestep_session", httpOnly: true, sameSite: "Strict" });

    // Their language and which reminders are emailed, saved on the account page.
    await page.goto(`${server.url}/account`);
    await page.getByRole("heading", { level: 2, name: "Language and email" }).waitFor();
    const language = page.getByLabel("Language of your notifications and emails");
    await language.waitFor();
    expect(await language.inputValue()).toBe("en-GB");
    await language.selectOption("hr-HR");
    await page.getByLabel(/^Actions I lead/).uncheck();
    const digest = page.getByLabel("A weekly digest of each of my partnerships");
    expect(await digest.isChecked()).toBe(false);
    await digest.check();
    await page.getByRole("button", { name: "Save language and email choices" }).click();
    await page.getByRole("status").getByText("Your language and email choices have been saved.").waitFor();
    await page.reload();
    await page.getByLabel("Language of your notifications and emails").waitFor();
    await expect
      .poll(() => page.getByLabel("Language of your notifications and emails").inputValue())
      .toBe("hr-HR");
    expect(await page.getByLabel(/^Actions I lead/).isChecked()).toBe(false);
    expect(await page.getByLabel(/^Data returns/).isChecked()).toBe(true);
    expect(await page.getByLabel("A weekly digest of each of my partnerships").isChecked()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "planner-account-email");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { level: 1, name: "Sign in to Fivestep" }).waitFor();
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Sign in to Fivestep" }).waitFor();
    // Replaying the old cookie in a new browser gets nobody.
    const replay = await freshPage(browser);
    if (cookie) await replay.page.context().addCookies([cookie]);
    const res = await replay.page.request.get(`${server.url}/trpc/auth.me`);
    expect(await res.json()).toMatchObject({ result: { data: null } });
  });
});

describe("the admin console", () => {
  it("manages users, roles and partnerships, and refuses a stale edit", async () => {
    const { page, errors } = await freshPage(browser);
    await signIn(page, `${server.url}/admin/`, "admin@fivestep.example", password("admin@fivestep.example"));

    // Invite someone into Coventry as a contributor.
    await page.getByRole("link", { name: "Users" }).click();
    await page.getByRole("heading", { level: 1, name: "Users" }).waitFor();
    await page.getByRole("button", { name: "Invite a user" }).click();
    await page.getByRole("button", { name: "Create invitation" }).click();
    await page.getByRole("alert").getByRole("link", { name: "Enter an email address" }).waitFor();
    await page.getByLabel("Email address").fill("new.officer@coventry.example");
    await page.getByLabel("Name").fill("New Officer");
    await page.getByLabel("Partnership (optional)").selectOption({ label: "Coventry Partnership" });
    await page.getByLabel("Role").selectOption("contributor");
    await page.getByRole("button", { name: "Create invitation" }).click();
    const link = await page.getByLabel("Invitation link").inputValue();
    // The token is in the fragment, which the browser never sends to the server.
    expect(link).toMatch(/\/accept-invite#token=[\w-]{20,}$/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "admin-users-invited");

    // A link in the old form (?token=…, sent before) still opens the page, which takes the
    // token out of the query string at once.
    const legacy = await freshPage(browser);
    await legacy.page.goto(link.replace("#token=", "?token="));
    await legacy.page.getByLabel("Choose a password").waitFor();
    await expect.poll(() => new URL(legacy.page.url()).search).toBe("");
    expect(new URL(legacy.page.url()).hash).toBe(new URL(link).hash);
    await legacy.page.close();

    // The invited person sets a password from the link and lands in the planner.
    const invitee = await freshPage(browser);
    await invitee.page.goto(link);
    // An easily guessed password is refused by the server and explained in plain words.
    await invitee.page.getByLabel("Choose a password").fill("aaaaaaaaaaaa");
    await invitee.page.getByRole("button", { name: "Set password and sign in" }).click();
    await invitee.page
      .getByRole("alert")
      .getByText(/^This password would be too easy to guess\. Repeated characters, like “aaa”/)
      .waitFor();
    await invitee.page.getByLabel("Choose a password").fill("a long password of my own");
    await invitee.page.getByRole("button", { name: "Set password and sign in" }).click();
    await invitee.page.getByRole("heading", { level: 1, name: "Your partnerships" }).waitFor();

    // Change a role in the partnership's page.
    await page.getByRole("link", { name: "Partnerships" }).click();
    await page.getByRole("link", { name: "Coventry Partnership" }).click();
    await page.getByRole("heading", { level: 1, name: "Coventry Partnership" }).waitFor();
    await page.getByLabel("Role of New Officer").selectOption("editor");
    await expect.poll(() => page.getByLabel("Role of New Officer").inputValue()).toBe("editor");
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "admin-partnership-members");

    // Two administrators edit the same user: the second, stale save is refused and shown.
    await page.getByRole("link", { name: "New Officer" }).click();
    await page.getByRole("heading", { level: 1, name: "New Officer" }).waitFor();
    const other = await freshPage(browser);
    await signIn(
      other.page,
      `${server.url}${new URL(page.url()).pathname.replace(/^\/admin/, "/admin")}`,
      "admin@fivestep.example",
      password("admin@fivestep.example"),
    );
    await other.page.getByRole("heading", { level: 1, name: "New Officer" }).waitFor();
    await other.page.getByLabel("Name").fill("New Officer (Economy)");
    await other.page.getByRole("button", { name: "Save changes" }).click();
    await other.page.getByText("Your changes have been saved.").waitFor();
    await page.getByLabel("Name").fill("N. Officer");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Someone else changed this while you were editing").waitFor();
    expect(await page.getByLabel("Name").inputValue()).toBe("New Officer (Economy)");
    await screenshot(page, "admin-user-conflict");

    // Deactivate, after confirming.
    await page.getByRole("button", { name: "Deactivate" }).click();
    const dialog = page.getByRole("dialog", { name: /Deactivate New Officer/ });
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "Deactivate" }).click();
    await page.getByRole("button", { name: "Reactivate" }).waitFor();
    // The invitee's session ended with the deactivation.
    const me = await invitee.page.request.get(`${server.url}/trpc/auth.me`);
    expect(await me.json()).toMatchObject({ result: { data: null } });

    // Every change is in the audit trail.
    await page.getByRole("link", { name: "Audit trail" }).click();
    await page.getByRole("heading", { level: 1, name: "Audit trail" }).waitFor();
    await page.getByLabel("Record type").selectOption("app_user");
    const trail = page.getByRole("table", { name: "Changes, newest first" });
    // Each change in words.
    await trail.getByRole("cell", { name: /deactivated the account of/ }).waitFor();
    expect(await trail.getByRole("cell", { name: /invited/ }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "admin-audit");
    expect([...errors, ...other.errors, ...invitee.errors]).toEqual([]);
  });

  it("turns away a signed-in person who is not an administrator", async () => {
    const { page } = await freshPage(browser);
    await signIn(page, `${server.url}/admin/`, "lead@coventry.example", password("lead@coventry.example"));
    await page.getByRole("heading", { name: "This console is for system administrators" }).waitFor();
  });
});
