export { type Context, createContextInner, type Logger } from "./context.ts";
export { type AppRouter, appRouter, createCaller, type RouterInputs, type RouterOutputs } from "./root.ts";
export { createCallerFactory, createTRPCRouter, publicProcedure } from "./trpc.ts";
