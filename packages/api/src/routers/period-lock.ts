import {
  deletePeriodLock,
  findIndicatorByCode,
  findPeriodLock,
  insertPeriodLock,
  listPeriodLocks,
  nowIso,
  reportedPeriods,
} from "@fivestep/db";
import { IndicatorCodeSchema, PeriodKeySchema } from "@fivestep/domain";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import type { Context } from "../context.ts";
import { ruleError } from "../field-error.ts";
import { adminProcedure, createTRPCRouter, transactional } from "../trpc.ts";

const PeriodRef = z.object({ indicatorCode: IndicatorCodeSchema, period: PeriodKeySchema });

async function indicatorOf(ctx: Pick<Context, "db">, code: string) {
  const indicator = await findIndicatorByCode(ctx.db, code);
  if (!indicator) throw new TRPCError({ code: "NOT_FOUND", message: `No indicator with code "${code}"` });
  return indicator;
}

/**
 * Locked periods (administrators): once an indicator's period has been reported, it can be
 * locked, so that a later data return, its approval or an import that would change one of its
 * values is refused without a reason; the reason is kept with the value's revision.
 */
export const periodLockRouter = createTRPCRouter({
  /** An indicator's locks, and the periods it has values for (those it may lock), newest first. */
  list: adminProcedure
    .input(z.object({ indicatorCode: IndicatorCodeSchema }))
    .query(async ({ ctx, input }) => {
      const indicator = await indicatorOf(ctx, input.indicatorCode);
      const locks = await listPeriodLocks(ctx.db, { indicatorCode: indicator.code });
      const locked = new Set(locks.map((l) => l.period));
      const reported = await reportedPeriods(ctx.db, indicator.code);
      return { locks, reported: reported.map((p) => ({ ...p, locked: locked.has(p.period) })) };
    }),

  /** Locks an indicator's period that has been reported. */
  lock: adminProcedure
    .use(transactional)
    .input(PeriodRef)
    .mutation(async ({ ctx, input }) => {
      const trx = ctx.trx;
      const indicator = await indicatorOf({ db: trx }, input.indicatorCode);
      const params = { indicator: indicator.code, period: input.period };
      if (await findPeriodLock(trx, indicator.code, input.period))
        throw ruleError("period", { code: "lock.alreadyLocked", params });
      const reported = await reportedPeriods(trx, indicator.code, 100_000);
      if (!reported.some((p) => p.period === input.period))
        throw ruleError("period", { code: "lock.notReported", params });
      const row = await insertPeriodLock(trx, {
        indicatorId: indicator.id,
        period: input.period,
        by: ctx.session.user.id,
        at: nowIso(),
      });
      await ctx.audit({
        action: "lock",
        entity: "period_lock",
        entityId: row.id,
        partnershipId: null,
        before: null,
        after: { indicatorCode: indicator.code, period: row.period },
      });
      return { id: row.id, indicatorCode: indicator.code, period: row.period, lockedAt: row.locked_at };
    }),

  /** Unlocks a locked period: its values may change again without a reason. */
  unlock: adminProcedure
    .use(transactional)
    .input(PeriodRef)
    .mutation(async ({ ctx, input }) => {
      const trx = ctx.trx;
      const indicator = await indicatorOf({ db: trx }, input.indicatorCode);
      const lock = await findPeriodLock(trx, indicator.code, input.period);
      if (!lock || !(await deletePeriodLock(trx, lock.id)))
        throw new TRPCError({
          code: "NOT_FOUND",
          message: `${indicator.code} ${input.period} is not locked`,
        });
      await ctx.audit({
        action: "unlock",
        entity: "period_lock",
        entityId: lock.id,
        partnershipId: null,
        before: { indicatorCode: indicator.code, period: lock.period, lockedAt: lock.lockedAt },
        after: null,
      });
      return { unlocked: true };
    }),
});
