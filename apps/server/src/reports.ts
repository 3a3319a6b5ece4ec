import type { AddressInfo } from "node:net";
import {
  createCaller,
  createContextInner,
  EXPORT_LOCALES,
  type ExportLocale,
  REPORT_PACKS,
  type ReportPack,
  type ReportPdfRenderer,
  ReportPdfUnavailable,
  reportTables,
  resolveSession,
  SESSION_COOKIE,
  sha256,
  startSession,
  tablesCsv,
  tablesXlsx,
} from "@fivestep/api";
import { type Database, deleteSession, findReportExport } from "@fivestep/db";
import { TRPCError } from "@trpc/server";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import { type Browser, type BrowserContext, chromium, type Route } from "playwright-core";

let browser: Promise<Browser> | undefined;

/** Debian's Chromium, started once per process on first use (PDF exports only). */
function sharedBrowser(): Promise<Browser> {
  browser ??= chromium
    .launch({
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
    })
    .catch((error: unknown) => {
      browser = undefined;
      throw error;
    });
  return browser;
}

/** Closes the PDF browser, if one was started. @example app.addHook("onClose", closeReportBrowser); */
export async function closeReportBrowser(): Promise<void> {
  const b = browser;
  browser = undefined;
  if (b) await (await b).close().catch(() => undefined);
}

/**
 * The origin the PDF renderer loads: this server's own listening socket, never anything the
 * request says (its Host header) nor the HOST setting's name for it. A wildcard address
 * (0.0.0.0, ::) is reached on 127.0.0.1; a specific address as it is bound. Null when the server
 * is not listening on a TCP port.
 *
 * @example rendererOrigin(app.server.address()) // "http://127.0.0.1:3000"
 */
export function rendererOrigin(address: AddressInfo | string | null): string | null {
  if (address === null || typeof address === "string") return null;
  const host =
    address.address === "0.0.0.0" || address.address === "::" || address.address === ""
      ? "127.0.0.1"
      : address.address.includes(":")
        ? `[${address.address}]`
        : address.address;
  return `http://${host}:${address.port}`;
}

/**
 * Whether `url` is on exactly `origin` (scheme, host and port); anything unreadable is not.
 *
 * @example isSameOrigin("http://127.0.0.1:3000/assets/app.js", "http://127.0.0.1:3000") // true
 */
export function isSameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

/**
 * A Playwright route handler for the PDF renderer: requests to `origin` (and inline `data:`
 * resources, which go nowhere) continue, every other request is aborted before it leaves.
 *
 * @example await context.route("**\/*", sameOriginGuard("http://127.0.0.1:3000"));
 */
export function sameOriginGuard(origin: string): (route: Route) => Promise<void> {
  return async (route) => {
    const url = route.request().url();
    if (isSameOrigin(url, origin) || url.startsWith("data:")) await route.continue();
    else await route.abort("blockedbyclient");
  };
}

/**
 * A browser context for rendering this server's pages in `locale`: no service workers (so every
 * request goes through routing), every request outside `origin` blocked, and the requester's
 * session cookie (when given) set for `origin` alone.
 *
 * @example const context = await newRendererContext(browser, "http://127.0.0.1:3000", token);
 */
export async function newRendererContext(
  browser: Browser,
  origin: string,
  sessionToken: string | null | undefined,
  locale: ExportLocale = "en-GB",
): Promise<BrowserContext> {
  const context = await browser.newContext({ locale, serviceWorkers: "block" });
  try {
    // The apps keep the reader's language choice in local storage: the PDF is in the reader's language.
    await context.addInitScript({
      content: `window.localStorage.setItem("fivestep.locale", ${JSON.stringify(locale)});`,
    });
    await context.route("**/*", sameOriginGuard(origin));
    if (sessionToken)
      await context.addCookies([
        { name: SESSION_COOKIE, value: sessionToken, url: origin, httpOnly: true, sameSite: "Strict" },
      ]);
    return context;
  } catch (error) {
    await context.close();
    throw error;
  }
}

/** What a PDF prints: a plan's pack, in a language. */
interface PrintedReport {
  partnershipId: number;
  planId: number;
  pack: ReportPack;
  lang: ExportLocale;
}

/**
 * Prints a plan's pack as an A4 PDF: the planner's print view of it (the public page for the
 * public pack), loaded from `origin` with `sessionToken`'s session, in `lang`, allowed no
 * request to any other origin.
 */
async function printReport(
  browser: Browser,
  origin: string,
  sessionToken: string | null | undefined,
  r: PrintedReport,
): Promise<Buffer> {
  const context = await newRendererContext(browser, origin, sessionToken, r.lang);
  try {
    const page = await context.newPage();
    await page.goto(
      r.pack === "public"
        ? `${origin}/public/plans/${r.planId}?print=1`
        : `${origin}/partnerships/${r.partnershipId}/plans/${r.planId}/report?print=1&pack=${r.pack}`,
    );
    await page.locator("[data-report-ready]").waitFor({ timeout: 30_000 });
    await page.emulateMedia({ media: "print" });
    return await page.pdf({
      format: "A4",
      printBackground: true,
      margin: { top: "15mm", bottom: "15mm", left: "12mm", right: "12mm" },
    });
  } finally {
    await context.close();
  }
}

/** The user agent of the short sessions the PDF renderer prints with (seen in the session list). */
export const PDF_RENDERER_AGENT = "Fivestep PDF export";

/**
 * The `ReportPdfRenderer` report-export jobs print PDFs with: this process's shared Chromium
 * loads the report from this server's own listening address (`origin()`, null until it listens)
 * with a session of the job's starter opened for this one print and ended after it, so the PDF
 * shows exactly what they may see. No transaction is open meanwhile. When Chromium cannot be
 * started, or the server is not listening, it throws `ReportPdfUnavailable` (the job fails,
 * coded); a report that fails to print throws its error.
 *
 * @example const kinds = jobKindsWithMail(null, { pdfRenderer: createReportPdfRenderer({ db, origin: () => rendererOrigin(app.server.address()) }) });
 */
export function createReportPdfRenderer(o: {
  db: Kysely<Database>;
  origin: () => string | null;
}): ReportPdfRenderer {
  return async (r) => {
    const origin = o.origin();
    if (!origin) throw new ReportPdfUnavailable("the server is not listening on a port");
    let b: Browser;
    try {
      b = await sharedBrowser();
    } catch (error) {
      const why = (error instanceof Error ? error.message : String(error)).split("\n")[0]?.slice(0, 300);
      throw new ReportPdfUnavailable(`its browser (Chromium) could not be started: ${why}`);
    }
    const token = await startSession(o.db, r.userId, { ip: null, userAgent: PDF_RENDERER_AGENT });
    try {
      return await printReport(b, origin, token, r);
    } finally {
      await deleteSession(o.db, sha256(token));
    }
  };
}

const STATUS: Partial<Record<TRPCError["code"], number>> = {
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_REQUEST: 400,
};

/**
 * Report exports: `GET /api/reports/:partnershipId/:planId.(csv|xlsx|pdf)?pack=…&lang=…`, for an
 * audience (`pack`: full, board, operational or public; full by default) in a language (`lang`:
 * en-GB or hr-HR). Each goes through the same procedure as the report page (`monitoring.report`),
 * so the same people may see it; the public pack only for a published plan. The PDF is the
 * planner's print view of that pack (the public page for the public pack) rendered by headless
 * Chromium in that language with the requester's own session, loaded from this server's own
 * listening address and allowed no request to any other origin. And `GET /api/report-exports/:jobId`:
 * the file a `report.export` job wrote (`monitoring.startExport`), for the plan's partnership's
 * members and administrators, until it expires (410 after).
 *
 * @example await registerReportRoutes(app, db);
 */
export async function registerReportRoutes(app: FastifyInstance, db: Kysely<Database>): Promise<void> {
  app.addHook("onClose", closeReportBrowser);
  type Req = FastifyRequest<{
    Params: { partnershipId: string; file: string };
    Querystring: { pack?: string; lang?: string };
  }>;
  // The file a report-export job wrote: for those who may see the plan (its partnership's
  // members and administrators), until it expires; to anyone else as if it did not exist.
  app.get<{ Params: { jobId: string } }>("/api/report-exports/:jobId", async (req, reply) => {
    const jobId = Number(req.params.jobId);
    if (!/^\d{1,9}$/.test(req.params.jobId) || jobId <= 0)
      return reply.code(404).send({ error: "Not found" });
    const token = req.cookies[SESSION_COOKIE];
    const session = token ? await resolveSession(db, token) : null;
    if (!session) return reply.code(401).send({ error: "Sign in to download this export" });
    const file = await findReportExport(db, jobId);
    const user = session.user;
    if (!file || !(user.isAdmin || user.memberships.some((m) => m.partnershipId === file.partnershipId)))
      return reply.code(404).send({ error: "That export does not exist" });
    if (Date.parse(file.expiresAt) <= Date.now())
      return reply.code(410).send({ error: "That export has expired: export the report again" });
    return reply
      .header("cache-control", "no-store")
      .type(file.contentType)
      .header("content-disposition", `attachment; filename="${file.fileName}"`)
      .send(Buffer.from(file.bytes));
  });
  app.get<{ Params: { partnershipId: string; file: string }; Querystring: { pack?: string; lang?: string } }>(
    "/api/reports/:partnershipId/:file",
    async (req: Req, reply: FastifyReply) => {
      const pack = (req.query.pack ?? "full") as ReportPack;
      const lang = (req.query.lang ?? "en-GB") as ExportLocale;
      if (!REPORT_PACKS.includes(pack) || !EXPORT_LOCALES.includes(lang))
        return reply.code(400).send({
          error: `pack is one of ${REPORT_PACKS.join(", ")}; lang is one of ${EXPORT_LOCALES.join(", ")}`,
        });
      const m = /^(\d{1,9})\.(csv|xlsx|pdf)$/.exec(req.params.file);
      const partnershipId = Number(req.params.partnershipId);
      if (!m || !Number.isInteger(partnershipId) || partnershipId <= 0)
        return reply.code(404).send({ error: "Not found" });
      const planId = Number(m[1]);
      const format = m[2] as "csv" | "xlsx" | "pdf";
      const token = req.cookies[SESSION_COOKIE];
      const session = token ? await resolveSession(db, token) : null;
      const caller = createCaller(createContextInner({ db, session, requestId: req.id, log: req.log }));
      let report: Awaited<ReturnType<typeof caller.monitoring.report>>;
      try {
        report = await caller.monitoring.report({ partnershipId, planId });
      } catch (error) {
        // Refusals keep their message; anything else goes to the server's error handler, which
        // answers with a reference to the log rather than the error's own text.
        const status = error instanceof TRPCError ? STATUS[error.code] : undefined;
        if (status !== undefined) return reply.code(status).send({ error: (error as TRPCError).message });
        throw error;
      }
      if (pack === "public" && !report.plan.published)
        return reply
          .code(409)
          .send({ error: "Only a published plan has a public pack: publish the plan first" });
      const name = `${
        report.plan.title
          .replace(/[^\w\- ]+/g, "")
          .trim()
          .replace(/\s+/g, "-") || "report"
      }${pack === "full" ? "" : `-${pack}`}`;
      reply.header("cache-control", "no-store");
      if (format === "csv") {
        return reply
          .type("text/csv; charset=utf-8")
          .header("content-disposition", `attachment; filename="${name}.csv"`)
          .send(`\uFEFF${tablesCsv(reportTables(report, pack, lang))}`);
      }
      if (format === "xlsx") {
        return reply
          .type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
          .header("content-disposition", `attachment; filename="${name}.xlsx"`)
          .send(await tablesXlsx(report, pack, lang));
      }
      // The renderer loads this server through its own socket, whatever the request's Host says.
      const origin = rendererOrigin(app.server.address());
      if (!origin) return reply.code(503).send({ error: "PDF export needs the server listening on a port" });
      const pdf = await printReport(await sharedBrowser(), origin, token, {
        partnershipId,
        planId,
        pack,
        lang,
      });
      return reply
        .type("application/pdf")
        .header("content-disposition", `attachment; filename="${name}.pdf"`)
        .send(pdf);
    },
  );
}
