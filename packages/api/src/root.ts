import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { areaRouter } from "./routers/area.ts";
import { auditRouter } from "./routers/audit.ts";
import { authRouter } from "./routers/auth.ts";
import { comparatorGroupRouter } from "./routers/comparator-group.ts";
import { importSourceRouter } from "./routers/import-source.ts";
import { importsRouter } from "./routers/imports.ts";
import { indicatorRouter } from "./routers/indicator.ts";
import { itemRouter } from "./routers/item.ts";
import { jobsRouter } from "./routers/jobs.ts";
import { membershipRouter } from "./routers/membership.ts";
import { monitoringRouter } from "./routers/monitoring.ts";
import { observationRouter } from "./routers/observation.ts";
import { partnershipRouter } from "./routers/partnership.ts";
import { periodLockRouter } from "./routers/period-lock.ts";
import { planRouter } from "./routers/plan.ts";
import { priorityRouter } from "./routers/priority.ts";
import { qualityRouter } from "./routers/quality.ts";
import { tokensRouter } from "./routers/tokens.ts";
import { userRouter } from "./routers/user.ts";
import { createCallerFactory, createTRPCRouter } from "./trpc.ts";

/**
 * The whole API. Apps import only its type.
 *
 * @example import type { AppRouter } from "@fivestep/api";
 */
export const appRouter = createTRPCRouter({
  area: areaRouter,
  audit: auditRouter,
  auth: authRouter,
  comparatorGroup: comparatorGroupRouter,
  importSource: importSourceRouter,
  imports: importsRouter,
  indicator: indicatorRouter,
  item: itemRouter,
  jobs: jobsRouter,
  membership: membershipRouter,
  monitoring: monitoringRouter,
  observation: observationRouter,
  partnership: partnershipRouter,
  periodLock: periodLockRouter,
  plan: planRouter,
  priority: priorityRouter,
  quality: qualityRouter,
  tokens: tokensRouter,
  user: userRouter,
});

/** @example const c: AppRouter = appRouter; */
export type AppRouter = typeof appRouter;
/** Every procedure's input. @example type In = RouterInputs["observation"]["series"]; */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** Every procedure's output. @example type Out = RouterOutputs["indicator"]["list"]; */
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/**
 * Calls procedures in-process, as tests and the CLI do.
 *
 * @example const caller = createCaller(createContextInner({ db })); await caller.indicator.list();
 */
export const createCaller = createCallerFactory(appRouter);
