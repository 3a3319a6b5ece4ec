import { Readable } from "node:stream";
import {
  auditTokenUse,
  checkTokenCall,
  createCaller,
  createContextInner,
  defaultUploadDir,
  type JobRunner,
  MAX_UPLOAD_BYTES,
  type PerformanceReport,
  reportTables,
  storeUpload,
  tablesCsv,
  tokenAdmits,
  UploadError,
} from "@fivestep/api";
import { type Database, findReportExport, listImportMappings } from "@fivestep/db";
import { type ImportMapping, ImportMappingSchema } from "@fivestep/domain";
import { TRPCError } from "@trpc/server";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import { renderDocsPage } from "./docs-page.ts";
import { buildOpenApiDocument } from "./openapi.ts";
import { sendError, sendProblem } from "./problem.ts";
import {
  FormatQuerySchema,
  fastifyPath,
  ImportQuerySchema,
  pathParams,
  REST_ROUTES,
  type RestRoute,
} from "./routes.ts";

/** What the REST API needs of the server. @example const options: RestOptions = { db, jobs, uploadDir: "/srv/uploads" }; */
export interface RestOptions {
  db: Kysely<Database>;
  /** The server's job runner (imports are committed by its jobs). */
  jobs: JobRunner;
  /** Where uploaded files are kept (default: FIVESTEP_UPLOAD_DIR or the temp folder). */
  uploadDir?: string;
  /** The largest upload accepted, in bytes. */
  maxUploadBytes?: number;
}

/** The largest JSON body of `POST /api/v1/observations` (10,000 observations fit). @example OBSERVATIONS_BODY_LIMIT // 8388608 */
export const OBSERVATIONS_BODY_LIMIT = 8 * 1024 * 1024;

type ProcedureCaller = (input: unknown) => Promise<unknown>;

/** The procedure a dotted path names, on a caller (`"plan.overview"` → `caller.plan.overview`). */
function procedureOf(caller: unknown, path: string): ProcedureCaller {
  const [router, name] = path.split(".") as [string, string];
  return (caller as Record<string, Record<string, ProcedureCaller>>)[router]?.[name] as ProcedureCaller;
}

/** The procedure's input from the request: path parameters, then the query or the JSON body. */
function inputOf(route: RestRoute, req: FastifyRequest): unknown {
  const params = req.params as Record<string, string>;
  const fromPath = Object.fromEntries(
    pathParams(route.path).map((name) => {
      const text = params[name] ?? "";
      // Ids are numbers; anything else is left as text for the schema to refuse (naming the field).
      return [name, /Id$/.test(name) && /^\d{1,15}$/.test(text) ? Number(text) : text];
    }),
  );
  if (route.method === "POST") {
    const body = req.body;
    return body !== null && typeof body === "object" && !Array.isArray(body)
      ? { ...body, ...fromPath }
      : body;
  }
  const query = { ...(req.query as Record<string, string | string[]>) };
  // The answer's format is the route's, not the procedure's.
  if (route.csv) delete query.format;
  for (const name of route.lists ?? []) {
    const given = query[name];
    if (given !== undefined)
      query[name] = (Array.isArray(given) ? given : [given])
        .flatMap((v) => v.split(","))
        .filter((v) => v !== "");
  }
  const input = { ...query, ...fromPath };
  return Object.keys(input).length > 0 ? input : undefined;
}

/**
 * The open REST API under `/api/v1`, its OpenAPI 3.1 document at `/api/openapi.json` and its
 * reference page at `/api/docs`. Every route calls the tRPC procedure the route table names through
 * `createCaller` with the bearer token's context, so the token's scopes, the caller's rights and
 * the audit trail apply exactly as on `/trpc`. Every `/api/v1` request needs
 * `Authorization: Bearer`: without a valid token the answer is 401 before any body is read.
 *
 * @example await registerRestApi(app, { db, jobs, uploadDir });
 */
export async function registerRestApi(app: FastifyInstance, options: RestOptions): Promise<void> {
  const document = buildOpenApiDocument();
  app.get("/api/openapi.json", async (_req, reply) => reply.type("application/json").send(document));
  const page = renderDocsPage(document);
  app.get("/api/docs", async (_req, reply) => reply.type("text/html; charset=utf-8").send(page));

  const callerOf = (req: FastifyRequest) => {
    const auth = req.bearer;
    if (!auth) throw new Error("registerRestApi: a request without a token reached a route");
    return createCaller(
      createContextInner({
        db: options.db,
        jobs: options.jobs,
        log: req.log,
        requestId: req.id,
        session: auth.session,
        token: auth.token,
        ip: req.ip,
        userAgent: req.headers["user-agent"] ?? null,
      }),
    );
  };

  await app.register(async (scope) => {
    // The server's bearer hook has already refused a token that is not valid (401); a request
    // with none is refused here, as it arrives: its body is never read.
    scope.addHook("onRequest", async (req, reply) => {
      if (req.bearer) return;
      reply.header("www-authenticate", 'Bearer realm="fivestep"');
      return sendProblem(
        req,
        reply,
        401,
        "UNAUTHORIZED",
        "Send an API token as `Authorization: Bearer fst_…` (tokens are made in the planner or admin console)",
      );
    });

    // Refusals before a procedure ran (malformed JSON, a body over the limit) are problems too.
    scope.setErrorHandler((error: Error & { statusCode?: number; code?: string }, req, reply) => {
      const status =
        error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      if (status === 500) return sendError(req, reply, error);
      return sendProblem(req, reply, status, error.code ?? "BAD_REQUEST", error.message);
    });

    scope.get<{ Params: { jobId: string } }>("/api/v1/report-exports/:jobId", (req, reply) =>
      downloadExport(req, reply),
    );

    for (const route of REST_ROUTES) {
      if (route.upload || route.download) continue;
      scope.route({
        method: route.method,
        url: fastifyPath(route.path),
        ...(route.method === "POST" ? { bodyLimit: OBSERVATIONS_BODY_LIMIT } : {}),
        handler: async (req, reply) => {
          try {
            const format = route.csv ? FormatQuerySchema.safeParse(req.query) : null;
            if (format && !format.success)
              return sendError(req, reply, new TRPCError({ code: "BAD_REQUEST", cause: format.error }));
            const result = await procedureOf(callerOf(req), route.procedure)(inputOf(route, req));
            if (format?.data.format === "csv")
              return reply
                .type("text/csv; charset=utf-8")
                .header("content-disposition", 'attachment; filename="report.csv"')
                .send(`\uFEFF${tablesCsv(reportTables(result as PerformanceReport, "full", "en-GB"))}`);
            // A refused write of observations: nothing was written; each problem names its row.
            if (route.procedure === "observation.write" && (result as { ok: boolean }).ok === false) {
              const refused = result as {
                rejected: number;
                problemCount: number;
                problems: Array<{
                  index: number;
                  field: string;
                  value: string;
                  reason: string;
                  code: string;
                }>;
              };
              return sendProblem(
                req,
                reply,
                400,
                "BAD_REQUEST",
                `${refused.rejected} observation(s) have problems; nothing was written`,
                refused.problems.map((p) => ({
                  pointer: `/observations/${p.index}/${p.field}`,
                  detail: p.reason,
                  code: p.code,
                  index: p.index,
                  field: p.field,
                  value: p.value,
                })),
              );
            }
            return reply.code(route.status).send(result);
          } catch (error) {
            return sendError(req, reply, error);
          }
        },
      });
    }

    // The upload: the raw file is the body, streamed to disk as `POST /api/imports` does. Every
    // check that needs no file comes first (scope, mapping, the token's sources), so a refused
    // request's body is never read.
    await scope.register(async (upload) => {
      upload.removeAllContentTypeParsers();
      upload.addContentTypeParser("*", (_req, payload, done) => done(null, payload));
      upload.post("/api/v1/imports", async (req, reply) => importFile(req, reply));
    });
  });

  // An exported report's file, for a token that may read reports, of its own partnerships (any,
  // for an administrator's). Audited as a use of the token, like every procedure it calls.
  async function downloadExport(req: FastifyRequest<{ Params: { jobId: string } }>, reply: FastifyReply) {
    const auth = req.bearer;
    if (!auth) return sendProblem(req, reply, 401, "UNAUTHORIZED", "Send an API token");
    const jobId = /^\d{1,9}$/.test(req.params.jobId) ? Number(req.params.jobId) : 0;
    let outcome = "ok";
    try {
      if (!tokenAdmits(auth.token.scopes, "monitoring.report")) {
        outcome = "FORBIDDEN";
        return sendProblem(
          req,
          reply,
          403,
          "FORBIDDEN",
          `The API token "${auth.token.name}" has no reports:read scope.`,
        );
      }
      const file = jobId > 0 ? await findReportExport(options.db, jobId) : null;
      const user = auth.session.user;
      if (!file || !(user.isAdmin || user.memberships.some((m) => m.partnershipId === file.partnershipId))) {
        outcome = "NOT_FOUND";
        return sendProblem(
          req,
          reply,
          404,
          "NOT_FOUND",
          "That export does not exist, or has not been made yet",
        );
      }
      if (Date.parse(file.expiresAt) <= Date.now()) {
        outcome = "GONE";
        return sendProblem(req, reply, 410, "GONE", "That export has expired: export the report again");
      }
      return reply
        .type(file.contentType)
        .header("content-disposition", `attachment; filename="${file.fileName}"`)
        .send(Buffer.from(file.bytes));
    } finally {
      await auditTokenUse(
        { db: options.db, session: auth.session, requestId: req.id, token: auth.token, clock: Date.now },
        { procedure: "reportExports.download", type: "query", raw: { jobId }, outcome },
      );
    }
  }

  async function importFile(req: FastifyRequest, reply: FastifyReply) {
    const auth = req.bearer;
    if (!auth) return sendProblem(req, reply, 401, "UNAUTHORIZED", "Send an API token");
    if (!tokenAdmits(auth.token.scopes, "imports.startCommit"))
      return sendProblem(
        req,
        reply,
        403,
        "FORBIDDEN",
        `The API token "${auth.token.name}" has no import:write scope.`,
      );
    if (!auth.session.user.isAdmin)
      return sendProblem(req, reply, 403, "FORBIDDEN", "Only a system administrator may do this.");
    const query = ImportQuerySchema.safeParse(req.query);
    if (!query.success)
      return sendError(req, reply, new TRPCError({ code: "BAD_REQUEST", cause: query.error }));
    const saved = (await listImportMappings(options.db)).find((m) => m.source === query.data.mapping);
    const mapping = saved && ImportMappingSchema.safeParse(saved.mapping);
    if (!mapping?.success)
      return sendProblem(req, reply, 404, "NOT_FOUND", `No mapping is saved as "${query.data.mapping}"`, [
        { pointer: "mapping", detail: "Save the mapping in the admin console first" },
      ]);
    const caller = callerOf(req);
    try {
      await checkTokenCall(options.db, auth.token, "imports.preview", { mapping: mapping.data });
    } catch (error) {
      return sendError(req, reply, error);
    }
    const maxBytes = options.maxUploadBytes ?? MAX_UPLOAD_BYTES;
    if (Number(req.headers["content-length"] ?? 0) > maxBytes) {
      reply.header("connection", "close");
      return sendProblem(
        req,
        reply,
        413,
        "PAYLOAD_TOO_LARGE",
        `The file is larger than ${Math.round(maxBytes / 1048576)} MB`,
      );
    }
    let fileId: number;
    try {
      const file = await storeUpload(
        options.db,
        { session: auth.session, requestId: req.id, token: auth.token },
        {
          body: req.body instanceof Readable ? req.body : req.raw,
          name: query.data.name ?? `${query.data.mapping}.upload`,
          dir: options.uploadDir ?? defaultUploadDir(),
          maxBytes,
        },
      );
      fileId = file.fileId;
    } catch (error) {
      if (error instanceof UploadError) {
        if (error.status === 413) reply.header("connection", "close");
        return sendProblem(
          req,
          reply,
          error.status,
          error.status === 413 ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST",
          error.message,
        );
      }
      throw error;
    }
    try {
      const preview = (await caller.imports.preview({ fileId, mapping: mapping.data as ImportMapping })) as {
        totalRows: number;
        accepted: number;
        rejected: number;
        problemCount: number;
      };
      const { jobId } = await caller.imports.startCommit({
        fileId,
        acceptGoodRows: query.data.acceptGoodRows === "true",
        revisionReason: query.data.revisionReason,
      });
      const job = `/api/v1/jobs/${jobId}`;
      return reply
        .code(202)
        .header("location", job)
        .send({
          jobId,
          fileId,
          preview: {
            totalRows: preview.totalRows,
            accepted: preview.accepted,
            rejected: preview.rejected,
            problemCount: preview.problemCount,
          },
          links: { job },
        });
    } catch (error) {
      return sendError(req, reply, error);
    }
  }
}
