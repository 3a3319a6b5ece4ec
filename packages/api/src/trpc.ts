import { initTRPC } from "@trpc/server";
import { ZodError, z } from "zod";
import type { Context } from "./context.ts";

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      data: {
        ...shape.data,
        // Field-level messages for forms: { fieldErrors: { code: ["Enter an indicator code"] } }.
        zodError: cause instanceof ZodError ? z.flattenError(cause) : null,
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

/**
 * The bottom of the procedure ladder: anyone may call it. Logs failures that are the server's
 * fault with the request id.
 *
 * @example publicProcedure.input(z.object({ code: z.string() })).query(({ ctx, input }) => ...)
 */
export const publicProcedure = t.procedure.use(async ({ ctx, path, type, next }) => {
  const result = await next();
  if (!result.ok && result.error.code === "INTERNAL_SERVER_ERROR") {
    ctx.log.error(
      { err: result.error.cause ?? result.error, path, type, requestId: ctx.requestId },
      "procedure failed",
    );
  }
  return result;
});
