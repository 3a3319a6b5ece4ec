import type { Database } from "@fivestep/db";
import { IdSchema, type Role, roleAtLeast } from "@fivestep/domain";
import { initTRPC, TRPCError } from "@trpc/server";
import type { Transaction } from "kysely";
import { ZodError, z } from "zod";
import { type AuditEntry, audit, auditTokenUse } from "./audit.ts";
import type { SessionInfo } from "./auth/sessions.ts";
import { ThrottledError } from "./auth/throttle.ts";
import { checkTokenCall } from "./auth/tokens.ts";
import type { Context } from "./context.ts";
import { ConflictError } from "./errors.ts";
import { FieldError, type FieldReason } from "./field-error.ts";

/**
 * Stack traces in error answers only when a developer asks for them (FIVESTEP_DEV_ERRORS=1): the
 * safe answer is the default, whatever NODE_ENV says.
 */
const DEV_ERRORS = process.env.FIVESTEP_DEV_ERRORS === "1";

/** The message of a zod error for people: the first field's message, not zod's JSON. */
function zodMessage(error: ZodError): string {
  const first = error.issues[0];
  return first
    ? first.path.length > 0
      ? `${first.path.join(".")}: ${first.message}`
      : first.message
    : "Invalid input";
}

/** The domain-rule issues of a zod error (see `addRuleIssue`), by field path, or null. */
function ruleReasons(error: ZodError): Record<string, FieldReason> | null {
  const reasons: Record<string, FieldReason> = {};
  for (const issue of error.issues) {
    const params =
      issue.code === "custom" ? (issue.params as Record<string, unknown> | undefined) : undefined;
    if (typeof params?.rule !== "string") continue;
    const { rule, ...rest } = params;
    const key = issue.path.map(String).join(".");
    reasons[key] ??= { code: rule, params: rest as Record<string, string | number> };
  }
  return Object.keys(reasons).length > 0 ? reasons : null;
}

const t = initTRPC.context<Context>().create({
  isDev: DEV_ERRORS,
  errorFormatter({ shape, error, ctx }) {
    const cause = error.cause;
    const { stack, ...data } = shape.data;
    // A failure that is the server's fault says only where to look in the log (the detail is
    // logged with the request id by `publicProcedure`); its text could reveal tables or paths.
    const message =
      error.code === "INTERNAL_SERVER_ERROR"
        ? `Something went wrong (reference ${ctx?.requestId ?? "unknown"})`
        : cause instanceof ZodError
          ? zodMessage(cause)
          : shape.message;
    return {
      ...shape,
      message,
      data: {
        ...data,
        ...(DEV_ERRORS && stack ? { stack } : {}),
        // Throttled attempts: how long to wait (also sent as the Retry-After header).
        retryAfterSeconds: cause instanceof ThrottledError ? cause.refusal.retryAfterSeconds : null,
        // Field-level messages for forms: { fieldErrors: { code: ["Enter an indicator code"] } }.
        zodError:
          cause instanceof ZodError
            ? z.flattenError(cause)
            : cause instanceof FieldError
              ? { formErrors: [], fieldErrors: { [cause.field]: [cause.message] } }
              : null,
        // Codes behind a field's message, for the apps to translate:
        // { newPassword: { code: "password-too-guessable", warning: "simpleRepeat", suggestions: [...] } }.
        // Broken domain rules carry their code and parameters the same way:
        // { "milestones.0.value": { code: "value.aboveMax", params: { indicator: "NI 151", … } } }.
        fieldReasons:
          cause instanceof FieldError && cause.reason
            ? { [cause.field]: cause.reason }
            : cause instanceof ZodError
              ? ruleReasons(cause)
              : null,
        // On CONFLICT, the record as it now is, for the client to show.
        current: cause instanceof ConflictError ? cause.current : null,
      },
    };
  },
});

/**
 * Builds a router. @example export const areaRouter = createTRPCRouter({ list: publicProcedure.query(...) });
 */
export const createTRPCRouter = t.router;

/** Makes a server-side caller from a router. @example const caller = createCallerFactory(appRouter)(ctx); */
export const createCallerFactory = t.createCallerFactory;

/** True when any string in a JSON-like value (keys included) holds U+0000. */
function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (depth > 20 || value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.some((v) => hasNul(v, depth + 1));
  return Object.entries(value).some(([k, v]) => k.includes("\u0000") || hasNul(v, depth + 1));
}

/**
 * The bottom of the procedure ladder: anyone may call it, and an API token whose scopes list the
 * procedure. Logs failures that are the server's fault with the request id.
 *
 * @example publicProcedure.input(z.object({ code: z.string() })).query(({ ctx, input }) => ...)
 */
export const publicProcedure = t.procedure.use(async ({ ctx, path, type, next, getRawInput }) => {
  // PostgreSQL cannot store U+0000 in text, and no Fivestep text needs it: refuse it at the door
  // so both engines answer the same, rather than storing a different string than was validated.
  const raw = await getRawInput();
  if (hasNul(raw)) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "Text may not contain the NUL character (U+0000)" });
  }
  const call = async () => {
    const result = await next();
    if (!result.ok && result.error.code === "INTERNAL_SERVER_ERROR") {
      ctx.log.error(
        { err: result.error.cause ?? result.error, path, type, requestId: ctx.requestId },
        "procedure failed",
      );
    }
    return result;
  };
  const token = ctx.token;
  if (!token) return call();
  // An API token reaches only the procedures its scopes list (`TOKEN_SCOPE_PROCEDURES`), and
  // every call it makes, reads and refusals included, is audited under its name once it ends.
  let outcome = "INTERNAL_SERVER_ERROR";
  try {
    await checkTokenCall(ctx.db, token, path, raw);
    const result = await call();
    outcome = result.ok ? "ok" : result.error.code;
    return result;
  } catch (error) {
    if (error instanceof TRPCError) outcome = error.code;
    throw error;
  } finally {
    await auditTokenUse(ctx, { procedure: path, type, raw, outcome });
  }
});

/**
 * Signed-in users only; `ctx.session` is then never null.
 *
 * @example authedProcedure.query(({ ctx }) => ctx.session.user)
 */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue" });
  return next({ ctx: { ...ctx, session: ctx.session as SessionInfo } });
});

/**
 * Members of the partnership named by the input's `partnershipId` with at least `minRole`.
 * Administrators may read every partnership (the viewer rung) to support its users, but change
 * one only through a membership.
 *
 * @example partnershipProcedure("editor").input(z.object({ title: z.string() })).mutation(({ ctx, input }) => ...)
 */
export function partnershipProcedure(minRole: Role) {
  return authedProcedure.input(z.object({ partnershipId: IdSchema })).use(({ ctx, input, next }) => {
    const membership = ctx.session.user.memberships.find((m) => m.partnershipId === input.partnershipId);
    const allowed = membership
      ? roleAtLeast(membership.role, minRole)
      : minRole === "viewer" && ctx.session.user.isAdmin;
    if (!allowed) {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: membership
          ? `This needs the ${minRole} role or above in this partnership; you are ${membership.role === "editor" ? "an" : "a"} ${membership.role}.`
          : "You are not a member of this partnership.",
      });
    }
    return next({ ctx: { ...ctx, role: membership?.role ?? ("viewer" as Role) } });
  });
}

/**
 * System administrators only (catalogue, areas, users, partnerships, imports).
 *
 * @example adminProcedure.mutation(({ ctx }) => ...)
 */
export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (!ctx.session.user.isAdmin) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Only a system administrator may do this." });
  }
  return next();
});

/** What a transactional procedure's handler gets besides the usual context. */
export interface TransactionContext {
  /** The request's write transaction: every read and write of the handler goes through it. */
  trx: Transaction<Database>;
  /** Records a change in the audit trail, in the same transaction, as the caller. */
  audit(entry: AuditEntry): Promise<void>;
}

/** Thrown inside the transaction to roll it back when the handler's result is an error. */
const ROLLBACK = Symbol("rollback");

/**
 * Opt-in middleware for mutations: runs the rest of the chain (input parsing already done) in one
 * database transaction, giving `ctx.trx` and a typed `ctx.audit`. A handler that throws (or any
 * error result) rolls the whole transaction back, so nothing is half-written. Slow work that needs
 * no transaction (hashing a password, rendering a PDF, reading an uploaded file) belongs before
 * it, in a procedure that does not use this middleware, or in a service that opens its own short
 * transaction. Inside, never call `ctx.db.transaction()` (SQLite has one connection): use `ctx.trx`.
 *
 * @example
 * lock: adminProcedure.use(transactional).input(PeriodRef).mutation(async ({ ctx, input }) => {
 *   const row = await insertPeriodLock(ctx.trx, { ... });
 *   await ctx.audit({ action: "lock", entity: "period_lock", entityId: row.id, partnershipId: null, before: null, after: row });
 * })
 */
export const transactional = t.middleware(async ({ ctx, next }) => {
  const run = (trx: Transaction<Database>) =>
    next({ ctx: { trx, audit: (entry: AuditEntry) => audit(trx, ctx, entry) } satisfies TransactionContext });
  let failed: Awaited<ReturnType<typeof run>> | undefined;
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const result = await run(trx);
      if (!result.ok) {
        failed = result;
        throw ROLLBACK;
      }
      return result;
    });
  } catch (error) {
    if (error === ROLLBACK && failed) return failed;
    throw error;
  }
});
