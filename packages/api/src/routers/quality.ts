import { IndicatorCodeSchema } from "@fivestep/domain";
import { z } from "zod";
import { planRuleFindings } from "../plan-rules.ts";
import { qualityReport } from "../quality.ts";
import { adminProcedure, createTRPCRouter } from "../trpc.ts";

/** Data quality: flags for administrators, never blocks. */
export const qualityRouter = createTRPCRouter({
  /**
   * Values outside their indicator's valid range, outliers against their own series (robust
   * z-score from the median absolute deviation, |z| > 3.5) and stale indicators as of `asOf`
   * (today by default); and `planRules`, every stored plan part that breaks today's plan rules
   * (records saved under older rules: which plan, priority and item, which rule).
   */
  report: adminProcedure
    .input(
      z
        .object({
          indicatorCode: IndicatorCodeSchema.optional(),
          asOf: z.iso.date().optional(),
          limit: z.int().min(1).max(1000).default(200),
        })
        .default({ limit: 200 }),
    )
    .query(async ({ ctx, input }) => ({
      ...(await qualityReport(ctx.db, {
        ...(input.indicatorCode ? { indicatorCode: input.indicatorCode } : {}),
        asOf: input.asOf ?? new Date().toISOString().slice(0, 10),
        limit: input.limit,
      })),
      planRules: await planRuleFindings(ctx.db, { limit: input.limit }),
    })),
});
