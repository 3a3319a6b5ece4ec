import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import fastifyCookie from "@fastify/cookie";
import fastifyStatic from "@fastify/static";
import {
  type AppRouter,
  appRouter,
  createContextInner,
  defaultUploadDir,
  MAX_UPLOAD_BYTES,
  resolveSession,
  SESSION_COOKIE,
  storeUpload,
  UploadError,
} from "@fivestep/api";
import type { Database } from "@fivestep/db";
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from "@trpc/server/adapters/fastify";
import Fastify, { type FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import { registerReportRoutes } from "./reports.ts";

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
  /** Trust X-Forwarded-For from a reverse proxy for the client address. */
  trustProxy?: boolean;
  /** Where uploaded import files are kept (default: FIVESTEP_UPLOAD_DIR or the temp folder). */
  uploadDir?: string;
  /** The largest upload accepted, in bytes (default 200 MB). */
  maxUploadBytes?: number;
}

const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "x-frame-options": "DENY",
};

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
    logger: options.logLevel === false ? false : { level: options.logLevel ?? "info" },
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    },
    // tRPC batches several procedure names into one path segment.
    routerOptions: { maxParamLength: 5000 },
    bodyLimit: 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
  });

  await app.register(fastifyCookie);

  app.addHook("onSend", async (req, reply) => {
    reply.header("x-request-id", req.id);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
  });

  app.get("/healthz", async () => ({ ok: true }));

  await registerReportRoutes(app, options.db);

  await app.register(fastifyTRPCPlugin, {
    prefix: "/trpc",
    trpcOptions: {
      router: appRouter,
      createContext: async ({ req, res }) => {
        const token = req.cookies[SESSION_COOKIE];
        const session = token ? await resolveSession(options.db, token) : null;
        return createContextInner({
          db: options.db,
          log: req.log,
          requestId: req.id,
          session,
          ip: req.ip,
          userAgent: req.headers["user-agent"] ?? null,
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
          },
        });
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>["trpcOptions"],
  });

  // Data files for import: the raw file is the body, streamed to disk (never held in memory).
  // Only this route's scope takes any content type as a stream; tRPC keeps its JSON parser.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_req, payload, done) => done(null, payload));
    scope.post("/api/imports", async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      const session = token ? await resolveSession(options.db, token) : null;
      if (!session) return reply.code(401).send({ error: "Sign in to continue" });
      if (!session.user.isAdmin)
        return reply.code(403).send({ error: "Only a system administrator may do this." });
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
          { session, requestId: req.id },
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
    return reply.code(404).send({ error: "Not found", path: req.url });
  });

  return app;
}
