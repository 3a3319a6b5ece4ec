import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import fastifyCookie from "@fastify/cookie";
import fastifyRateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import {
  type AppRouter,
  appRouter,
  createContextInner,
  createInProcessJobRunner,
  DEVICE_COOKIE,
  defaultUploadDir,
  type JobRunner,
  jobKindsWithMail,
  MAX_UPLOAD_BYTES,
  resolveBearer,
  resolveSession,
  SESSION_COOKIE,
  type SessionInfo,
  storeUpload,
  ThrottledError,
  type TokenAuth,
  UploadError,
} from "@fivestep/api";
import type { Database } from "@fivestep/db";
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from "@trpc/server/adapters/fastify";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import type { DestinationStream } from "pino";
import { PRUNE_INTERVAL_MS, startHousekeeping } from "./housekeeping.ts";
import { redactSecretsInLogLine, redactSecretsInUrl, serializeRequest } from "./log-redaction.ts";
import { createReportPdfRenderer, registerReportRoutes, rendererOrigin } from "./reports.ts";
import { registerRestApi } from "./rest/index.ts";
import { registerSharedResultRoutes } from "./shared-results.ts";
import { registerUnsubscribeRoutes, UNSUBSCRIBE_PATH } from "./unsubscribe.ts";

/** Where the built apps are, by default: their Vite output folders in this workspace. */
export const DEFAULT_APP_DIRS = {
  planner: fileURLToPath(new URL("../../planner/dist", import.meta.url)),
  admin: fileURLToPath(new URL("../../admin/dist", import.meta.url)),
};

/** Options for `buildServer`. */
export interface ServerOptions {
  db: Kysely<Database>;
  /** Folder of the built planner, served at "/"; skipped when missing. */
  plannerDir?: string;
  /** Folder of the built admin console, served at "/admin/"; skipped when missing. */
  adminDir?: string;
  /** pino level, or false for no logs (tests). */
  logLevel?: string | false;
  /** Mark the session cookie Secure (serve over HTTPS, or behind a proxy that does). */
  secureCookies?: boolean;
  /**
   * Which reverse proxies' X-Forwarded-For to believe for the client's address: false (none, the
   * default), a hop count, or the proxies' addresses / CIDR ranges (see `trustProxySetting`).
   * Never "every hop": a client could then choose its own address.
   */
  trustProxy?: false | number | string[];
  /** Where uploaded import files are kept (default: FIVESTEP_UPLOAD_DIR or the temp folder). */
  uploadDir?: string;
  /** The largest upload accepted, in bytes (default 200 MB). */
  maxUploadBytes?: number;
  /** Where logs go (default stdout); tests capture them. */
  logStream?: DestinationStream;
  /**
   * Origins (scheme://host[:port]) besides the server's own that may send state-changing
   * requests, e.g. a dev server on another port (default: FIVESTEP_ALLOWED_ORIGINS, comma-separated).
   */
  allowedOrigins?: string[];
  /**
   * How often expired sessions and sign-in attempts older than 25 hours are deleted, in ms
   * (default hourly; they are also deleted at start). 0: only at start.
   */
  pruneIntervalMs?: number;
  /**
   * Runs work that outlives a request (an import's commit): the CLI's `start` passes pg-boss's
   * runner on PostgreSQL, the in-process one on SQLite, started. Default: an in-process runner
   * of this server's own (not started: no recovery of earlier jobs). Stopped when the server closes.
   */
  jobs?: JobRunner;
  /**
   * Requests one API token may make per window (default: FIVESTEP_TOKEN_RATE_LIMIT or 600 a
   * minute); past it, 429 with Retry-After. Counted per server instance.
   */
  tokenRateLimit?: { max: number; windowMs: number };
}

declare module "fastify" {
  interface FastifyRequest {
    /** The API token of a request sent with `Authorization: Bearer`, once checked; else null. */
    bearer: TokenAuth | null;
  }
}

/** How many requests one API token may make a minute, unless configured otherwise. */
export const DEFAULT_TOKEN_RATE_LIMIT = { max: 600, windowMs: 60_000 };

/** The answer's challenge for a missing, malformed or refused token (RFC 6750). */
const BEARER_CHALLENGE = 'Bearer realm="fivestep", error="invalid_token"';

/** The largest tRPC batch (procedures in one request) accepted. @example MAX_BATCH_SIZE // 100 */
export const MAX_BATCH_SIZE = 100;

/** The largest JSON body accepted (tRPC), in bytes. Uploads have their own cap. */
export const BODY_LIMIT = 1024 * 1024;

/**
 * Log fields never written: session cookies, authorization headers and any password field,
 * however deep it is in a logged object (pino's paths need one entry per depth).
 */
export const REDACTED_LOG_PATHS = [
  "req.headers.cookie",
  "req.headers.authorization",
  'res.headers["set-cookie"]',
  "headers.cookie",
  "headers.authorization",
  ...["password", "currentPassword", "newPassword", "token"].flatMap((f) => [
    f,
    `*.${f}`,
    `*.*.${f}`,
    `*.*.*.${f}`,
  ]),
];

const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
};

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF defence (with the SameSite=Strict session cookie): a state-changing request that says
 * where it comes from (Origin, else Referer) must come from this server's own origin or an
 * allowed one. Requests that send neither (curl, the CLI, server-to-server) pass: browsers
 * always send Origin on cross-site POSTs, and `Sec-Fetch-Site: cross-site` is refused too.
 */
function crossSiteReason(req: FastifyRequest, allowed: Set<string>): string | null {
  if (SAFE_METHODS.has(req.method)) return null;
  if (req.headers["sec-fetch-site"] === "cross-site") return "Sec-Fetch-Site: cross-site";
  const origin = req.headers.origin;
  const referer = req.headers.referer;
  const claimed = typeof origin === "string" ? origin : typeof referer === "string" ? referer : null;
  if (claimed === null) return null;
  let url: URL;
  try {
    url = new URL(claimed);
  } catch {
    return `unreadable origin "${redactSecretsInUrl(claimed).slice(0, 100)}"`;
  }
  if (url.host === req.host || allowed.has(url.origin)) return null;
  return `origin ${url.origin} is not ${req.host}`;
}

/**
 * The Fivestep HTTP server: tRPC under /trpc, the planner at /, the admin console at /admin/, each
 * app's index.html for its client-side routes. Stateless: every instance may share one database.
 *
 * @example
 * const app = await buildServer({ db });
 * await app.listen({ port: 3000 });
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      options.logLevel === false
        ? false
        : {
            level: options.logLevel ?? "info",
            redact: { paths: REDACTED_LOG_PATHS, censor: "[redacted]" },
            // Invitation (and other) tokens in URLs: redacted in every logged request, and in
            // any finished log line as a last resort.
            serializers: { req: serializeRequest },
            hooks: { streamWrite: redactSecretsInLogLine },
            ...(options.logStream ? { stream: options.logStream } : {}),
          },
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    },
    // tRPC batches several procedure names into one path segment.
    routerOptions: { maxParamLength: 5000 },
    bodyLimit: BODY_LIMIT,
    // A hop count as proxy-addr reads it: trust the socket's peer and the next (n - 1) hops.
    trustProxy:
      typeof options.trustProxy === "number"
        ? (_address: string, hop: number) => hop < (options.trustProxy as number)
        : (options.trustProxy ?? false),
  });

  startHousekeeping(app, options.db, options.pruneIntervalMs ?? PRUNE_INTERVAL_MS);

  // Without a runner of its own, jobs run here, report PDFs printed through this server's socket.
  const jobs =
    options.jobs ??
    createInProcessJobRunner({
      db: options.db,
      kinds: jobKindsWithMail(null, {
        pdfRenderer: createReportPdfRenderer({
          db: options.db,
          origin: () => rendererOrigin(app.server.address()),
        }),
      }),
    });
  app.addHook("onClose", () => jobs.stop());
  /** The session a request acts with: its API token's, or its session cookie's, or none. */
  const sessionOf = async (req: FastifyRequest): Promise<SessionInfo | null> => {
    if (req.bearer) return req.bearer.session;
    const token = req.cookies[SESSION_COOKIE];
    return token ? resolveSession(options.db, token) : null;
  };

  await app.register(fastifyCookie);

  // API tokens (`Authorization: Bearer fst_…`), checked as a request arrives, before any body is
  // read: without a valid token the answer is 401, whatever the body. A request that carries a
  // cookie as well is refused, so a bearer request never rides on a browser's session (and is
  // exempt from the CSRF origin check below only because it carries no cookie).
  app.decorateRequest("bearer", null);
  app.addHook("onRequest", async (req, reply) => {
    const header = req.headers.authorization;
    if (header === undefined) return;
    if (req.headers.cookie !== undefined) {
      return reply.code(400).send({ error: "Send either a session cookie or a bearer token, not both" });
    }
    const match = /^Bearer +([A-Za-z0-9_-]+) *$/.exec(header);
    const auth = match?.[1] ? await resolveBearer(options.db, match[1]) : null;
    if (!auth) {
      req.log.warn({ url: redactSecretsInUrl(req.url) }, "API token refused");
      return reply
        .code(401)
        .header("www-authenticate", BEARER_CHALLENGE)
        .send({ error: "This API token is not valid: it may be mistyped, expired or revoked" });
    }
    req.bearer = auth;
    // Every log line of the request names the token (never its secret); the audit trail keeps
    // each procedure it calls, reads included (`auditTokenUse`).
    req.log = req.log.child({ apiToken: { id: auth.token.id, name: auth.token.name } });
    req.log.info({ url: redactSecretsInUrl(req.url), method: req.method }, "API token used");
  });

  // Each API token may make so many requests a window (keyed by the token, so tokens never
  // share a budget); requests without one are not counted here (sign-in has its own throttle).
  const tokenLimit =
    options.tokenRateLimit ??
    (process.env.FIVESTEP_TOKEN_RATE_LIMIT
      ? { max: Number(process.env.FIVESTEP_TOKEN_RATE_LIMIT), windowMs: 60_000 }
      : DEFAULT_TOKEN_RATE_LIMIT);
  await app.register(fastifyRateLimit, {
    global: true,
    max: tokenLimit.max,
    timeWindow: tokenLimit.windowMs,
    keyGenerator: (req) => (req.bearer ? `token:${req.bearer.token.id}` : "no-token"),
    allowList: (req) => req.bearer === null,
    errorResponseBuilder: (_req, context) => ({
      statusCode: 429,
      error: "Too Many Requests",
      message: `This API token has made too many requests; try again in ${context.after}`,
    }),
  });

  app.addHook("onSend", async (req, reply) => {
    reply.header("x-request-id", req.id);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    if (options.secureCookies) reply.header("strict-transport-security", "max-age=31536000");
    // API answers hold data for one user: never kept by a shared cache.
    if ((req.url.startsWith("/trpc") || req.url.startsWith("/api/")) && !reply.hasHeader("cache-control"))
      reply.header("cache-control", "no-store");
  });

  const allowedOrigins = new Set(
    (options.allowedOrigins ?? (process.env.FIVESTEP_ALLOWED_ORIGINS ?? "").split(","))
      .map((o) => o.trim())
      .filter((o) => o !== ""),
  );
  app.addHook("onRequest", async (req, reply) => {
    // A bearer request carries no cookie (refused above otherwise): nothing for a forged
    // cross-site request to ride on.
    if (req.bearer) return;
    // An email's one-click unsubscribe (RFC 8058) is POSTed by the reader's mail provider, from
    // its own origin or none. It reads no cookie or session: the secret token in its URL is its
    // only authority, which a cross-site page cannot know, so there is nothing to forge.
    if (req.method === "POST" && req.routeOptions.url === UNSUBSCRIBE_PATH) return;
    const reason = crossSiteReason(req, allowedOrigins);
    if (reason === null) return;
    req.log.warn(
      { reason, method: req.method, url: redactSecretsInUrl(req.url) },
      "cross-site request refused",
    );
    return reply.code(403).send({ error: "Cross-site requests are not accepted" });
  });

  // Failures that are the server's fault answer with a reference to the log, never their text
  // (which can name tables, files or paths); refusals (4xx) keep their message.
  app.setErrorHandler((error: Error & { statusCode?: number }, req, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      req.log.error({ err: error }, "request failed");
      return reply.code(status).send({ error: `Something went wrong (reference ${req.id})` });
    }
    return reply.code(status).send({ error: error.message });
  });

  app.get("/healthz", async () => ({ ok: true }));

  await registerReportRoutes(app, options.db);
  await registerUnsubscribeRoutes(app, options.db);

  const trpcOptions = {
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    // Throttled attempts say when to try again (the longest wait of a batch's refusals).
    responseMeta: ({ errors }) => {
      const waits = errors.flatMap((e) =>
        e.cause instanceof ThrottledError ? [e.cause.refusal.retryAfterSeconds] : [],
      );
      return waits.length > 0 ? { headers: { "retry-after": String(Math.max(...waits)) } } : {};
    },
    // Failures before a procedure ran (no context) are logged here; procedures log their own.
    onError: ({ error, ctx, req }) => {
      if (!ctx && error.code === "INTERNAL_SERVER_ERROR")
        req.log.error({ err: error.cause ?? error }, "request failed");
    },
    createContext: async ({ req, res }: { req: FastifyRequest; res: FastifyReply }) => {
      const session = await sessionOf(req);
      return createContextInner({
        db: options.db,
        jobs,
        log: req.log,
        requestId: req.id,
        session,
        token: req.bearer?.token ?? null,
        ip: req.ip,
        userAgent: req.headers["user-agent"] ?? null,
        deviceToken: req.cookies[DEVICE_COOKIE] ?? null,
        cookies: {
          setSession: (value, maxAgeMs) =>
            res.setCookie(SESSION_COOKIE, value, {
              httpOnly: true,
              sameSite: "strict",
              secure: options.secureCookies ?? false,
              path: "/",
              maxAge: Math.floor(maxAgeMs / 1000),
            }),
          clearSession: () => res.clearCookie(SESSION_COOKIE, { path: "/" }),
          setDevice: (value, maxAgeMs) =>
            res.setCookie(DEVICE_COOKIE, value, {
              httpOnly: true,
              sameSite: "strict",
              secure: options.secureCookies ?? false,
              path: "/",
              maxAge: Math.floor(maxAgeMs / 1000),
            }),
        },
      });
    },
  } satisfies FastifyTRPCPluginOptions<AppRouter>["trpcOptions"];
  registerSharedResultRoutes(app, trpcOptions);
  await app.register(fastifyTRPCPlugin, { prefix: "/trpc", trpcOptions });

  // Data files for import: the raw file is the body, streamed to disk (never held in memory).
  // Only this route's scope takes any content type as a stream; tRPC keeps its JSON parser.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_req, payload, done) => done(null, payload));
    scope.post("/api/imports", async (req, reply) => {
      const session = await sessionOf(req);
      if (!session) return reply.code(401).send({ error: "Sign in to continue" });
      if (!session.user.isAdmin)
        return reply.code(403).send({ error: "Only a system administrator may do this." });
      if (req.bearer && !req.bearer.token.scopes.includes("import:write"))
        return reply
          .code(403)
          .send({ error: `The API token "${req.bearer.token.name}" has no import:write scope.` });
      const maxBytes = options.maxUploadBytes ?? MAX_UPLOAD_BYTES;
      const declared = Number(req.headers["content-length"] ?? 0);
      if (declared > maxBytes) {
        return reply
          .code(413)
          .send({ error: `The file is larger than ${Math.round(maxBytes / 1048576)} MB` });
      }
      const query = req.query as { name?: unknown };
      const name = typeof query.name === "string" && query.name.trim() !== "" ? query.name : "upload";
      try {
        const file = await storeUpload(
          options.db,
          { session, requestId: req.id, token: req.bearer?.token ?? null },
          {
            body: req.body instanceof Readable ? req.body : req.raw,
            name,
            dir: options.uploadDir ?? defaultUploadDir(),
            maxBytes,
          },
        );
        return reply.code(201).send(file);
      } catch (error) {
        if (error instanceof UploadError) {
          // The rest of an over-long body is not read; close the connection after answering.
          if (error.status === 413) reply.header("connection", "close");
          return reply.code(error.status).send({ error: error.message });
        }
        throw error;
      }
    });
  });

  await registerRestApi(app, {
    db: options.db,
    jobs,
    ...(options.uploadDir !== undefined ? { uploadDir: options.uploadDir } : {}),
    ...(options.maxUploadBytes !== undefined ? { maxUploadBytes: options.maxUploadBytes } : {}),
  });

  const plannerDir = options.plannerDir ?? DEFAULT_APP_DIRS.planner;
  const adminDir = options.adminDir ?? DEFAULT_APP_DIRS.admin;
  const hasPlanner = existsSync(plannerDir);
  const hasAdmin = existsSync(adminDir);
  if (hasAdmin) {
    await app.register(fastifyStatic, {
      root: adminDir,
      prefix: "/admin/",
      decorateReply: !hasPlanner,
      index: false,
      wildcard: false,
    });
  }
  if (hasPlanner) {
    await app.register(fastifyStatic, { root: plannerDir, prefix: "/", index: false, wildcard: false });
  }

  // Client-side routes: any other GET that asks for a page gets its app's index.html.
  app.setNotFoundHandler((req, reply) => {
    const wantsPage =
      req.method === "GET" && !req.url.startsWith("/trpc") && !/\.[a-z0-9]+(\?|$)/i.test(req.url);
    if (wantsPage && hasAdmin && (req.url === "/admin" || req.url.startsWith("/admin/"))) {
      return reply.type("text/html").sendFile("index.html", adminDir);
    }
    if (wantsPage && hasPlanner && !req.url.startsWith("/admin")) {
      return reply.type("text/html").sendFile("index.html", plannerDir);
    }
    return reply.code(404).send({ error: "Not found", path: redactSecretsInUrl(req.url) });
  });

  return app;
}
