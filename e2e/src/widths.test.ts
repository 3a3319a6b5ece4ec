import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, it } from "vitest";
import {
  type AxeViolation,
  axeViolations,
  launchBrowser,
  type RunningServer,
  screenshot,
  signIn,
  startServer,
} from "./harness.ts";

// Issue #14, "Every width": no page scrolls sideways on a phone (390 px) or a laptop (1280 px).
// Wide tables scroll inside their own region instead of widening the page.

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1280, height: 900 };

/** A signed-in page at one viewport size, in its own context; one per app and width. */
async function signedIn(
  email: string,
  viewport: { width: number; height: number },
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale: "en-GB", viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const app = email.endsWith("@fivestep.example") ? "/admin/" : "/";
  await signIn(page, `${server.url}${app}`, email, server.passwords.get(email) ?? "");
  return { page, errors };
}

const EDITOR = "editor@coventry.example";
// The approvals queue and the partnership's audit trail are the lead's pages.
const LEAD = "lead@coventry.example";
const ADMIN = "admin@fivestep.example";

/** Opens a path and waits until nothing is loading and the page's heading (or an error) is there. */
async function open(page: Page, path: string): Promise<void> {
  await page.goto(`${server.url}${path}`);
  await page.locator("main h1, main .fs-error").first().waitFor();
  await page.locator(".fs-skeleton").first().waitFor({ state: "detached" });
  if ((await page.locator("main .fs-error").count()) > 0) {
    throw new Error(
      `${path} shows an error instead of the page: ${await page.locator("main .fs-error").first().textContent()}`,
    );
  }
}

/** The href of the first link whose path matches `pattern` on the current page. */
async function linkMatching(page: Page, pattern: RegExp): Promise<string | undefined> {
  const paths = await page
    .locator("main a[href]")
    .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).pathname));
  return paths.find((p) => pattern.test(p));
}

/** The path a link goes to. */
function pathOf(link: Locator): Promise<string> {
  return link.evaluate((a) => (a as HTMLAnchorElement).pathname);
}

/**
 * How wide the document is against the viewport, and when it is wider, the outermost elements
 * that reach past the right edge (outside any box that scrolls or clips them), widest first.
 */
function measure(page: Page): Promise<{ scrollWidth: number; innerWidth: number; culprits: string[] }> {
  return page.evaluate(() => {
    const viewport = window.innerWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    const culprits: string[] = [];
    if (scrollWidth > viewport) {
      const contained = (el: Element) => {
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          if (getComputedStyle(p).overflowX !== "visible") return true;
        }
        return false;
      };
      const beyond = (el: Element) => el.getBoundingClientRect().right > viewport + 0.5 && !contained(el);
      const describe = (el: Element) => {
        const r = el.getBoundingClientRect();
        const cls =
          typeof el.className === "string" && el.className
            ? `.${el.className.trim().split(/\s+/).join(".")}`
            : "";
        const text = (el.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 50);
        return `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${cls}> ${Math.round(r.width)} px wide, right edge ${Math.round(r.right)} px: "${text}"`;
      };
      const outermost = Array.from(document.body.querySelectorAll("*"))
        .filter((el) => beyond(el) && !(el.parentElement && beyond(el.parentElement)))
        .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right);
      culprits.push(...outermost.slice(0, 4).map(describe));
    }
    return { scrollWidth, innerWidth: viewport, culprits };
  });
}

/** Visits each path; returns one line per page wider than the viewport, and axe's findings per page. */
async function visitAll(
  page: Page,
  paths: readonly string[],
  options: { axe: boolean },
): Promise<{ overflows: string[]; axe: Record<string, AxeViolation[]> }> {
  const overflows: string[] = [];
  const axe: Record<string, AxeViolation[]> = {};
  for (const path of paths) {
    await open(page, path);
    const m = await measure(page);
    if (m.scrollWidth > m.innerWidth) {
      overflows.push(
        `${path} at ${m.innerWidth} px is ${m.scrollWidth} px wide; beyond the edge: ${m.culprits.join("; ")}`,
      );
    }
    if (options.axe) {
      const found = await axeViolations(page);
      if (found.length > 0) axe[path] = found;
    }
  }
  return { overflows, axe };
}

/** A value one test finds and another waits for (the tests run at the same time). */
function later<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
  let resolve: (value: T) => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/** The planner's pages: the editor's, and the lead's (approvals, the partnership's audit trail). */
async function plannerPages(page: Page): Promise<{ editor: string[]; lead: string[] }> {
  // The demo partnership, plan and priority ("To promote job creation"), found from the links.
  await open(page, "/");
  const partnership = await pathOf(page.getByRole("link", { name: "Coventry Partnership" }));
  await open(page, partnership);
  const plan = await pathOf(page.getByRole("link", { name: "Coventry Local Area Agreement 2008–11" }));
  await open(page, plan);
  const step1 = await pathOf(
    page.getByRole("list", { name: "The five steps of “To promote job creation”" }).getByRole("link").first(),
  );
  const steps = [1, 2, 3, 4, 5].map((n) => step1.replace(/\/step\/1$/, `/step/${n}`));
  return {
    editor: [
      "/",
      "/indicators",
      "/indicators/NI%20151",
      "/returns",
      "/account",
      partnership,
      `${partnership}/profile`,
      plan,
      `${plan}/overview`,
      `${plan}/dashboard`,
      `${plan}/report`,
      ...steps,
    ],
    lead: [`${partnership}/approvals`, `${partnership}/audit`],
  };
}

/** The admin console's pages, with one of each kind of record found from the lists. */
async function adminPages(page: Page): Promise<string[]> {
  const first = async (list: string, pattern: RegExp) => {
    await open(page, list);
    return linkMatching(page, pattern);
  };
  const group = await first("/admin/groups", /^\/admin\/groups\/\d+$/);
  const batch = await first("/admin/batches", /^\/admin\/batches\/\d+$/);
  const user = (await first("/admin/users", /^\/admin\/users\/\d+$/)) ?? "/admin/users/1";
  const partnership =
    (await first("/admin/partnerships", /^\/admin\/partnerships\/\d+$/)) ?? "/admin/partnerships/1";
  return [
    "/admin/",
    "/admin/indicators/NI%20151",
    "/admin/indicators/new",
    "/admin/areas",
    "/admin/areas/E08000026",
    "/admin/groups",
    ...(group ? [group] : []),
    "/admin/import",
    "/admin/batches",
    ...(batch ? [batch] : []),
    "/admin/import-sources",
    "/admin/pending-imports",
    "/admin/quality",
    "/admin/partnerships",
    partnership,
    "/admin/users",
    user,
    "/admin/audit",
    "/admin/jobs",
  ];
}

// The four passes (two apps, two widths) run side by side, each in its own browser context; the
// phone pass finds the pages and the laptop pass waits for its list.
describe.concurrent("every page fits the screen's width", () => {
  const planner = later<{ editor: string[]; lead: string[] }>();
  const admin = later<string[]>();

  it("planner at 390 px: no sideways scrolling, no axe findings", { timeout: 240_000 }, async ({
    expect,
  }) => {
    const [editor, lead] = await Promise.all([signedIn(EDITOR, PHONE), signedIn(LEAD, PHONE)]);
    const pages = await plannerPages(editor.page).catch((e: unknown) => {
      planner.reject(e);
      throw e;
    });
    planner.resolve(pages);
    const [edited, led] = await Promise.all([
      visitAll(editor.page, pages.editor, { axe: true }),
      visitAll(lead.page, pages.lead, { axe: true }),
    ]);
    await open(editor.page, pages.editor.at(-1) as string);
    await screenshot(editor.page, "widths-planner-step5-390");
    expect([...edited.overflows, ...led.overflows]).toEqual([]);
    expect({ ...edited.axe, ...led.axe }).toEqual({});
    expect([...editor.errors, ...lead.errors]).toEqual([]);
    await editor.page.context().close();
    await lead.page.context().close();
  });

  it("planner at 1280 px: no sideways scrolling", { timeout: 240_000 }, async ({ expect }) => {
    const [editor, lead] = await Promise.all([signedIn(EDITOR, LAPTOP), signedIn(LEAD, LAPTOP)]);
    const pages = await planner.promise;
    const [edited, led] = await Promise.all([
      visitAll(editor.page, pages.editor, { axe: false }),
      visitAll(lead.page, pages.lead, { axe: false }),
    ]);
    expect([...edited.overflows, ...led.overflows]).toEqual([]);
    expect([...editor.errors, ...lead.errors]).toEqual([]);
    await editor.page.context().close();
    await lead.page.context().close();
  });

  it("admin console at 390 px: no sideways scrolling, no axe findings", { timeout: 240_000 }, async ({
    expect,
  }) => {
    const { page, errors } = await signedIn(ADMIN, PHONE);
    const pages = await adminPages(page).catch((e: unknown) => {
      admin.reject(e);
      throw e;
    });
    admin.resolve(pages);
    const { overflows, axe } = await visitAll(page, pages, { axe: true });
    await open(page, "/admin/");
    await screenshot(page, "widths-admin-catalogue-390");
    expect(overflows).toEqual([]);
    expect(axe).toEqual({});
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("admin console at 1280 px: no sideways scrolling", { timeout: 240_000 }, async ({ expect }) => {
    const { page, errors } = await signedIn(ADMIN, LAPTOP);
    const { overflows } = await visitAll(page, await admin.promise, { axe: false });
    expect(overflows).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
