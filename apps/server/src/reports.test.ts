import { existsSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { PDF_UNAVAILABLE, ReportPdfUnavailable, SESSION_COOKIE, startSession } from "@fivestep/api";
import { findUserByEmail } from "@fivestep/db";
import { createTestDb } from "@fivestep/db/testing";
import { type Browser, chromium, type Route } from "playwright-core";
import { afterAll, describe, expect, it, vi } from "vitest";
import { seedDemoWithAccounts } from "./accounts.ts";
import {
  createReportPdfRenderer,
  isSameOrigin,
  newRendererContext,
  PDF_RENDERER_AGENT,
  rendererOrigin,
  sameOriginGuard,
} from "./reports.ts";
import { buildServer, DEFAULT_APP_DIRS } from "./server.ts";

/** A little HTTP server on another loopback port that remembers every request it gets. */
async function startDecoy(): Promise<{ url: string; port: number; hits: string[]; server: Server }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url} cookie=${req.headers.cookie ?? ""}`);
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<html><head><title>Decoy</title></head><body><div data-report-ready>decoy</div></body></html>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, port, hits, server };
}

/** GET over plain HTTP with the headers given as they are (a forged Host included). */
function get(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; type: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers["content-type"]),
          body: Buffer.concat(chunks),
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** The document title Chromium writes into a PDF's information dictionary. */
function pdfTitle(pdf: Buffer): string | null {
  const text = pdf.toString("latin1");
  const hex = /\/Title\s*<([0-9A-Fa-f\s]*)>/.exec(text);
  if (hex?.[1] !== undefined) {
    const bytes = Buffer.from(hex[1].replace(/\s/g, ""), "hex");
    return bytes[0] === 0xfe && bytes[1] === 0xff
      ? Buffer.from(bytes.subarray(2)).swap16().toString("utf16le")
      : bytes.toString("latin1");
  }
  const literal = /\/Title\s*\(((?:\\.|[^\\)])*)\)/.exec(text);
  return literal?.[1] ?? null;
}

const fakeRoute = (url: string) => {
  const route = {
    request: () => ({ url: () => url }),
    continue: vi.fn(async () => undefined),
    abort: vi.fn(async () => undefined),
  };
  return route as typeof route & Route;
};

describe("the PDF renderer's origin", () => {
  it("is the listening socket's own address, loopback for a wildcard one", () => {
    const at = (address: string, family = "IPv4"): AddressInfo => ({ address, family, port: 4123 });
    expect(rendererOrigin(at("127.0.0.1"))).toBe("http://127.0.0.1:4123");
    expect(rendererOrigin(at("0.0.0.0"))).toBe("http://127.0.0.1:4123");
    expect(rendererOrigin(at("::", "IPv6"))).toBe("http://127.0.0.1:4123");
    expect(rendererOrigin(at("::1", "IPv6"))).toBe("http://[::1]:4123");
    expect(rendererOrigin(at("10.1.2.3"))).toBe("http://10.1.2.3:4123");
    expect(rendererOrigin(null)).toBeNull();
    expect(rendererOrigin("/run/fivestep.sock")).toBeNull();
  });

  it("lets the page load only its own origin", async () => {
    const origin = "http://127.0.0.1:4123";
    expect(isSameOrigin("http://127.0.0.1:4123/partnerships/1/plans/1/report?print=1", origin)).toBe(true);
    for (const other of [
      "http://127.0.0.1:4124/",
      "http://localhost:4123/",
      "https://127.0.0.1:4123/",
      "http://127.0.0.1:4123@evil.example/",
      "http://169.254.169.254/latest/meta-data/",
      "file:///etc/passwd",
      "not a url",
    ])
      expect(isSameOrigin(other, origin), other).toBe(false);

    const guard = sameOriginGuard(origin);
    const own = fakeRoute(`${origin}/assets/app.js`);
    await guard(own);
    expect(own.continue).toHaveBeenCalledOnce();
    expect(own.abort).not.toHaveBeenCalled();
    const image = fakeRoute("data:image/png;base64,iVBORw0KGgo=");
    await guard(image);
    expect(image.continue).toHaveBeenCalledOnce();
    for (const url of ["http://127.0.0.1:9/", "http://169.254.169.254/", "ws://127.0.0.1:4123/"]) {
      const away = fakeRoute(url);
      await guard(away);
      expect(away.abort, url).toHaveBeenCalledWith("blockedbyclient");
      expect(away.continue, url).not.toHaveBeenCalled();
    }
  });
});

// Needs the built planner (turbo builds it before this package's tests); fails, never skips, without it.
describe("PDF export on a listening server", async () => {
  if (!existsSync(DEFAULT_APP_DIRS.planner))
    throw new Error(`The planner is not built (${DEFAULT_APP_DIRS.planner}): run pnpm build first`);
  const db = await createTestDb();
  await seedDemoWithAccounts(db);
  const app = await buildServer({ db, logLevel: false });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const decoy = await startDecoy();
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
    await app.close();
    await new Promise((r) => decoy.server.close(r));
    await db.destroy();
  });
  const lead = await findUserByEmail(db, "lead@coventry.example");
  if (!lead) throw new Error("no demo lead");
  const cookie = `${SESSION_COOKIE}=${await startSession(db, lead.id, { ip: null, userAgent: null })}`;
  const plan = await db
    .selectFrom("plan")
    .innerJoin("partnership", "partnership.id", "plan.partnership_id")
    .select(["plan.id as planId", "plan.partnership_id as partnershipId", "plan.title"])
    .where("partnership.name", "=", "Coventry Partnership")
    .orderBy("plan.id")
    .executeTakeFirstOrThrow();
  const pdfPath = `/api/reports/${plan.partnershipId}/${plan.planId}.pdf`;

  it("renders this server's report whatever Host the request names, and never loads that host", async () => {
    decoy.hits.length = 0;
    const forged = await get(`${origin}${pdfPath}`, { host: `127.0.0.1:${decoy.port}`, cookie });
    expect(decoy.hits).toEqual([]);
    expect(forged.status).toBe(200);
    expect(forged.type).toBe("application/pdf");
    expect(forged.body.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdfTitle(forged.body)).toBe(`Performance report – ${plan.title}`);
    // Another name for this very server is no different.
    const named = await get(`${origin}${pdfPath}`, { host: "reports.example", cookie });
    expect(named.status).toBe(200);
    expect(pdfTitle(named.body)).toBe(`Performance report – ${plan.title}`);
    expect(decoy.hits).toEqual([]);
  }, 90_000);

  it("blocks every request a renderer page makes to another origin", async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu"],
    });
    decoy.hits.length = 0;
    const context = await newRendererContext(browser, origin, null);
    try {
      const page = await context.newPage();
      expect((await page.goto(`${origin}/healthz`))?.status()).toBe(200);
      await expect(page.goto(`${decoy.url}/navigate`)).rejects.toThrow(/ERR_BLOCKED_BY_CLIENT/);
      const blank = await context.newPage();
      await blank.setContent(`<img src="${decoy.url}/image.png"><iframe src="${decoy.url}/frame"></iframe>`);
      const fetched = await blank.evaluate(
        (url) =>
          fetch(url, { mode: "no-cors" }).then(
            () => "loaded",
            () => "blocked",
          ),
        `${decoy.url}/fetch`,
      );
      expect(fetched).toBe("blocked");
      expect(decoy.hits).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it("prints the PDF as a report-export job: the pack in the reader's language, kept for any instance to hand out, the print's session ended", async () => {
    const trpc = async (path: string, input: unknown, method: "GET" | "POST") => {
      const res = await app.inject({
        method,
        url:
          method === "GET"
            ? `/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`
            : `/trpc/${path}`,
        headers: { "content-type": "application/json", cookie },
        ...(method === "POST" ? { payload: JSON.stringify(input) } : {}),
      });
      return (res.json() as { result?: { data: Record<string, unknown> } }).result?.data;
    };
    const started = await trpc(
      "monitoring.startExport",
      { ...plan, pack: "board", format: "pdf", lang: "hr-HR" },
      "POST",
    );
    const jobId = Number(started?.jobId);
    expect(jobId).toBeGreaterThan(0);
    // Followed the way the report page follows it: asked again until it has finished.
    let job: Record<string, unknown> | undefined;
    for (let i = 0; i < 600; i++) {
      job = await trpc("jobs.get", { jobId }, "GET");
      if (job?.state !== "queued" && job?.state !== "running") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(job).toMatchObject({
      state: "succeeded",
      kind: "report.export",
      result: { fileName: expect.stringMatching(/-board\.pdf$/) },
    });
    const file = await get(`${origin}/api/report-exports/${jobId}`, { cookie });
    expect(file.status).toBe(200);
    expect(file.type).toBe("application/pdf");
    expect(file.body.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdfTitle(file.body)).toBe(`Izvješće o uspješnosti – ${plan.title}`);
    // The session the renderer printed with was opened for that print alone.
    expect(
      await db.selectFrom("session").select("id_hash").where("user_agent", "=", PDF_RENDERER_AGENT).execute(),
    ).toEqual([]);
  }, 90_000);

  it("a renderer that cannot print here says so with the code the apps word", async () => {
    const notListening = createReportPdfRenderer({ db, origin: () => null });
    const asked = notListening({ ...plan, pack: "full", lang: "en-GB", userId: lead.id });
    await expect(asked).rejects.toBeInstanceOf(ReportPdfUnavailable);
    await expect(asked).rejects.toMatchObject({ code: PDF_UNAVAILABLE });
  });
});
