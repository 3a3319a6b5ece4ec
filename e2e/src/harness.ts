import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
/** Where screenshots go for people to look at (ignored by git). */
export const SCREENSHOTS = join(here, "..", "screenshots");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      srv.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** A real Fivestep server process on a fresh SQLite file with the demo data. */
export interface RunningServer {
  url: string;
  /** The demo accounts' passwords, as the server printed them at start. */
  passwords: Map<string, string>;
  /** The server's SQLite file (for the command line, e.g. `fivestep import`, beside it). */
  dbPath: string;
  stop(): Promise<void>;
}

/**
 * Starts the real CLI (`fivestep start --demo`) on a free loopback port with its own database,
 * and waits until it prints its address.
 *
 * @example const server = await startServer(); await page.goto(server.url);
 */
export async function startServer(): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), "fivestep-e2e-"));
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      "--max-old-space-size=512",
      join(root, "apps/server/bin/fivestep.mjs"),
      "start",
      "--demo",
      "--port",
      String(port),
    ],
    {
      cwd: dir,
      env: { ...process.env, DATABASE_URL: join(dir, "fivestep.db"), LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  const url = `http://localhost:${port}`;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${output}`)), 60_000);
    const check = setInterval(() => {
      if (output.includes("Fivestep is running")) {
        clearTimeout(timer);
        clearInterval(check);
        resolve();
      }
    }, 50);
    child.once("exit", (code) => {
      clearTimeout(timer);
      clearInterval(check);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  // Wait for the whole credentials block that follows the address (one line per account, then an
  // empty line): it arrives in several writes, and an account read before its line came was missing.
  const deadline = Date.now() + 10_000;
  while (!/Demo accounts[^\n]*\n(?: {2}\S[^\n]*\n)+\n/.test(output) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const passwords = new Map<string, string>();
  for (const m of output.matchAll(/^\s+(\S+@\S+)\s+(\S+)\s{3}/gm))
    passwords.set(m[1] as string, m[2] as string);
  return {
    url,
    passwords,
    dbPath: join(dir, "fivestep.db"),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Debian's Chromium driven by Playwright (no browser download), headless, with the flags this
 * closed network needs.
 *
 * @example const browser = await launchBrowser();
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** One axe-core finding, short enough to read in a test failure. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the page and returns its violations.
 *
 * @example expect(await axeViolations(page)).toEqual([]);
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    type AxeResult = {
      violations: Array<{
        id: string;
        impact: string | null;
        help: string;
        nodes: Array<{ target: string[] }>;
      }>;
    };
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<AxeResult> } }).axe;
    const result = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(" ")),
    }));
  });
}

/**
 * Saves a full-page screenshot under e2e/screenshots/ for a person to look at.
 *
 * @example await screenshot(page, "planner-indicator");
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Signs in through the form of the app at `url` (planner or admin console) and waits for the
 * signed-in header.
 *
 * @example await signIn(page, `${server.url}/`, "lead@coventry.example", server.passwords.get("lead@coventry.example")!);
 */
export async function signIn(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

/**
 * A page in a fresh browser context (its own cookies) that records console errors and uncaught
 * exceptions in `errors`.
 *
 * @example const { page, errors } = await freshPage(browser);
 */
export async function freshPage(
  browser: Browser,
  locale = "en-GB",
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale, viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    // A refused request (401/403/409) is an expected answer the page handles; only script errors count.
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
  });
  return { page, errors };
}
