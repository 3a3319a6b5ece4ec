import { findIndicatorByCode, listIndicators } from "@fivestep/db";
import { IndicatorCodeSchema } from "@fivestep/domain";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { createTRPCRouter, publicProcedure } from "../trpc.ts";

/** The indicator catalogue. */
export const indicatorRouter = createTRPCRouter({
  /** Every indicator, by code. */
  list: publicProcedure.query(({ ctx }) => listIndicators(ctx.db)),
  /** One indicator; NOT_FOUND names the code. */
  byCode: publicProcedure.input(z.object({ code: IndicatorCodeSchema })).query(async ({ ctx, input }) => {
    const indicator = await findIndicatorByCode(ctx.db, input.code);
    if (!indicator)
      throw new TRPCError({ code: "NOT_FOUND", message: `No indicator with code "${input.code}"` });
    return indicator;
  }),
});
