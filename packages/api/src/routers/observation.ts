import { directionOfTravel } from "@fivestep/analytics";
import { breakdownsOf, findIndicatorByCode } from "@fivestep/db";
import {
  AreaCodeSchema,
  comparePeriodBounds,
  IndicatorCodeSchema,
  periodFromKey,
  WriteObservationsSchema,
} from "@fivestep/domain";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { derivedSeries } from "../derived.ts";
import { ruleError } from "../field-error.ts";
import { lockedChangesViolation } from "../import/engine.ts";
import { seriesTrend } from "../plan-analysis.ts";
import { observationProblem, writeObservations } from "../services/write-observations.ts";
import { adminProcedure, createTRPCRouter, publicProcedure } from "../trpc.ts";

/** Observed values. */
export const observationRouter = createTRPCRouter({
  /**
   * One indicator's series for the given areas (every area with values when none are given),
   * each with its change from the previous value to the latest (a change, never called a trend),
   * its trend (`seriesTrend`, the same verdict step 1 shows), and the periods they cover in time
   * order.
   */
  series: publicProcedure
    .input(
      z.object({
        indicatorCode: IndicatorCodeSchema,
        areaCodes: z.array(AreaCodeSchema).max(100, "Ask for at most 100 areas at once").default([]),
        /** One breakdown ("Male"); "" (the default) is the values with no breakdown. */
        breakdown: z.string().trim().max(120).default(""),
      }),
    )
    .query(async ({ ctx, input }) => {
      const indicator = await findIndicatorByCode(ctx.db, input.indicatorCode);
      if (!indicator) {
        throw new TRPCError({
          code: "NOT_FOUND",
          message: `No indicator with code "${input.indicatorCode}"`,
        });
      }
      // A derived indicator's values are computed here, on read, from its sources.
      const series = await derivedSeries(ctx.db, indicator, input);
      const breakdowns = indicator.derivation ? [""] : await breakdownsOf(ctx.db, indicator.code);
      // Every period any area has, in time order: the shared x-axis of a chart and rows of a table.
      const periods = [...new Set(series.flatMap((s) => s.points.map((p) => p.period)))]
        .map((key) => ({ key, period: periodFromKey(key) }))
        .sort((a, b) => comparePeriodBounds(a.period, b.period))
        .map((p) => p.key);
      return {
        indicator,
        breakdown: input.breakdown,
        breakdowns,
        periods,
        series: series.map((s) => {
          const values = s.points.filter((p) => p.value !== null);
          const latest = values.at(-1);
          const previous = values.at(-2);
          return {
            ...s,
            direction:
              latest?.value != null && previous?.value != null
                ? {
                    from: previous.period,
                    to: latest.period,
                    change: latest.value - previous.value,
                    judgement: directionOfTravel(previous.value, latest.value, indicator.polarity),
                  }
                : null,
            trend: seriesTrend(indicator, values),
          };
        }),
      };
    }),

  /**
   * Writes observations sent as JSON (the REST API's `POST /api/v1/observations`) through the
   * import service: the checks of any import, all written or none. With problems it writes no
   * value and answers `{ ok: false, problems }`, each naming the observation's index and field;
   * values of locked periods need `revisionReason` (else BAD_REQUEST, nothing written). Audited
   * as the kept file (`import_file` upload) and one `import_batch` entry with the counts.
   */
  write: adminProcedure.input(WriteObservationsSchema).mutation(async ({ ctx, input }) => {
    const { fileId, outcome } = await writeObservations(ctx.db, ctx, input);
    if (!outcome.ok && outcome.refusal === "lockedWithoutReason")
      throw ruleError("revisionReason", lockedChangesViolation(outcome.check));
    if (!outcome.ok)
      return {
        ok: false as const,
        fileId,
        rejected: outcome.check.rejected,
        problemCount: outcome.check.problemCount,
        problems: outcome.check.problems.map(observationProblem),
      };
    const r = outcome.result;
    return {
      ok: true as const,
      fileId,
      batchId: r.batchId,
      pending: r.pending,
      inserted: r.inserted,
      updated: r.updated,
      unchanged: r.unchanged,
      skipped: r.skipped,
      indicators: r.indicators,
    };
  }),
});
