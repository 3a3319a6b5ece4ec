import {
  createCaller,
  createContextInner,
  reportRows,
  reportXlsx,
  resolveSession,
  SESSION_COOKIE,
  toCsv,
} from "@fivestep/api";
import type { Database } from "@fivestep/db";
import { TRPCError } from "@trpc/server";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import { type Browser, chromium } from "playwright-core";

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

const STATUS: Partial<Record<TRPCError["code"], number>> = {
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_REQUEST: 400,
};

/**
 * Report exports: `GET /api/reports/:partnershipId/:planId.(csv|xlsx|pdf)`. Each goes through the
 * same procedure as the report page (`monitoring.report`), so the same people may see it. The PDF
 * is the planner's print view rendered by headless Chromium with the requester's own session.
 *
 * @example await registerReportRoutes(app, db);
 */
export async function registerReportRoutes(app: FastifyInstance, db: Kysely<Database>): Promise<void> {
  app.addHook("onClose", closeReportBrowser);
  app.get<{ Params: { partnershipId: string; file: string } }>(
    "/api/reports/:partnershipId/:file",
    async (req: FastifyRequest<{ Params: { partnershipId: string; file: string } }>, reply: FastifyReply) => {
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
        if (error instanceof TRPCError)
          return reply.code(STATUS[error.code] ?? 500).send({ error: error.message });
        throw error;
      }
      const name = `${
        report.plan.title
          .replace(/[^\w\- ]+/g, "")
          .trim()
          .replace(/\s+/g, "-") || "report"
      }`;
      reply.header("cache-control", "no-store");
      if (format === "csv") {
        return reply
          .type("text/csv; charset=utf-8")
          .header("content-disposition", `attachment; filename="${name}.csv"`)
          .send(`\uFEFF${toCsv(reportRows(report))}`);
      }
      if (format === "xlsx") {
        return reply
          .type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
          .header("content-disposition", `attachment; filename="${name}.xlsx"`)
          .send(await reportXlsx(report));
      }
      const origin = `${req.protocol}://${req.headers.host ?? "127.0.0.1"}`;
      const context = await (await sharedBrowser()).newContext({ locale: "en-GB" });
      try {
        if (token)
          await context.addCookies([
            { name: SESSION_COOKIE, value: token, url: origin, httpOnly: true, sameSite: "Strict" },
          ]);
        const page = await context.newPage();
        await page.goto(`${origin}/partnerships/${partnershipId}/plans/${planId}/report?print=1`);
        await page.locator("[data-report-ready]").waitFor({ timeout: 30_000 });
        await page.emulateMedia({ media: "print" });
        const pdf = await page.pdf({
          format: "A4",
          printBackground: true,
          margin: { top: "15mm", bottom: "15mm", left: "12mm", right: "12mm" },
        });
        return reply
          .type("application/pdf")
          .header("content-disposition", `attachment; filename="${name}.pdf"`)
          .send(pdf);
      } finally {
        await context.close();
      }
    },
  );
}
