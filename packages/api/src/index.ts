export { hashPassword, randomPassword, randomToken, sha256, verifyPassword } from "./auth/password.ts";
export {
  resolveSession,
  SESSION_COOKIE,
  SESSION_TTL_MS,
  type SessionInfo,
  startSession,
} from "./auth/sessions.ts";
export { type Context, type CookieJar, createContextInner, type Logger } from "./context.ts";
export { ConflictError } from "./errors.ts";
export { type AppRouter, appRouter, createCaller, type RouterInputs, type RouterOutputs } from "./root.ts";
export { SIGN_IN_LIMITS } from "./routers/auth.ts";
export {
  adminProcedure,
  authedProcedure,
  createCallerFactory,
  createTRPCRouter,
  partnershipProcedure,
  publicProcedure,
} from "./trpc.ts";
