import {
  type Executor,
  findIndicatorByCode,
  findVersioned,
  type IndicatorRecord,
  indicatorColumns,
  insertIndicator,
  listIndicators,
  listIndicatorVersions,
  nowIso,
  recordIndicatorVersion,
  toIndicatorRecord,
  updateWithVersion,
} from "@fivestep/db";
import {
  derivedFrom,
  type Indicator,
  IndicatorCodeSchema,
  IndicatorSchema,
  IndicatorStatusSchema,
  UpdateIndicatorSchema,
  VersionSchema,
} from "@fivestep/domain";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { audit } from "../audit.ts";
import type { Context } from "../context.ts";
import { staleOrMissing } from "../errors.ts";
import { fieldError } from "../field-error.ts";
import { recomputeStatuses } from "../monitoring.ts";
import { adminProcedure, createTRPCRouter, publicProcedure } from "../trpc.ts";

async function mustFind(db: Executor, code: string): Promise<IndicatorRecord> {
  const indicator = await findIndicatorByCode(db, code);
  if (!indicator) throw new TRPCError({ code: "NOT_FOUND", message: `No indicator with code "${code}"` });
  return indicator;
}

/** A derivation must name existing indicators, and must not loop back to the indicator. */
async function checkDerivation(db: Executor, indicator: Indicator): Promise<void> {
  if (!indicator.derivation) return;
  const seen = new Set([indicator.code]);
  let frontier = derivedFrom(indicator.derivation);
  for (let depth = 0; frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const code of frontier) {
      if (seen.has(code) || depth > 3)
        throw fieldError("derivation", `${indicator.code} would be derived from itself`);
      seen.add(code);
      const source = await findIndicatorByCode(db, code);
      if (!source) throw fieldError("derivation", `No indicator with code "${code}"`);
      if (source.derivation) next.push(...derivedFrom(source.derivation));
    }
    frontier = next;
  }
}

/** Saves a change of metadata against the version seen: history, audit, the new record. */
async function saveChange(
  ctx: Context,
  code: string,
  version: number,
  next: (current: IndicatorRecord) => Indicator,
  e: { action: string; changeNote: string },
): Promise<IndicatorRecord> {
  return ctx.db.transaction().execute(async (trx) => {
    const current = await findIndicatorByCode(trx, code);
    if (!current) throw staleOrMissing("indicator", null);
    const before = await findVersioned(trx, "indicator", current.id);
    const updated = await updateWithVersion(trx, "indicator", current.id, version, {
      ...indicatorColumns(next(current)),
      updated_at: nowIso(),
    });
    if (!before || !updated) throw staleOrMissing("indicator", current);
    const after = toIndicatorRecord(updated);
    // Indicators loaded before history was kept get their earlier version saved first.
    const kept = await trx
      .selectFrom("indicator_version")
      .select("id")
      .where("indicator_id", "=", current.id)
      .where("version", "=", current.version)
      .executeTakeFirst();
    if (!kept) await recordIndicatorVersion(trx, current, { savedBy: null, changeNote: "" });
    await recordIndicatorVersion(trx, after, {
      savedBy: ctx.session?.user.id ?? null,
      changeNote: e.changeNote,
    });
    await audit(trx, ctx, {
      action: e.action,
      entity: "indicator",
      entityId: after.id,
      partnershipId: null,
      before: current,
      after,
    });
    // Every target of the indicator is judged by its polarity: judge them again with this version.
    await recomputeStatuses(trx, {
      indicatorCodes: [code],
      cause: `Indicator ${code} changed by ${ctx.session?.user.displayName ?? "an administrator"}`,
    });
    return after;
  });
}

const NEXT_STATUS = { draft: ["active"], active: ["retired"], retired: ["active"] } as const;

/** The indicator catalogue. */
export const indicatorRouter = createTRPCRouter({
  /** Every indicator, by code; optionally only one status or one named set. */
  list: publicProcedure
    .input(
      z.object({ status: IndicatorStatusSchema.optional(), set: z.string().max(80).optional() }).optional(),
    )
    .query(({ ctx, input }) => listIndicators(ctx.db, input ?? {})),

  /** One indicator; NOT_FOUND names the code. */
  byCode: publicProcedure
    .input(z.object({ code: IndicatorCodeSchema }))
    .query(({ ctx, input }) => mustFind(ctx.db, input.code)),

  /** The named sets and how many indicators each holds. */
  sets: publicProcedure.query(async ({ ctx }) => {
    const counts = new Map<string, number>();
    for (const i of await listIndicators(ctx.db))
      for (const s of i.sets) counts.set(s, (counts.get(s) ?? 0) + 1);
    return [...counts.entries()]
      .map(([name, indicators]) => ({ name, indicators }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }),

  /** An indicator's saved versions, newest first, each with the fields changed from the one before. */
  history: publicProcedure.input(z.object({ code: IndicatorCodeSchema })).query(async ({ ctx, input }) => {
    const indicator = await mustFind(ctx.db, input.code);
    const versions = await listIndicatorVersions(ctx.db, indicator.id);
    return versions.map((v, k) => {
      const earlier = versions[k + 1]?.indicator;
      const changed = earlier
        ? (Object.keys(v.indicator) as Array<keyof Indicator>).filter(
            (f) => JSON.stringify(v.indicator[f]) !== JSON.stringify(earlier[f]),
          )
        : [];
      return { ...v, changed };
    });
  }),

  /** Adds an indicator to the catalogue (version 1 starts its history). */
  create: adminProcedure.input(IndicatorSchema).mutation(async ({ ctx, input }) => {
    if (await findIndicatorByCode(ctx.db, input.code)) {
      throw fieldError("code", `An indicator with code "${input.code}" already exists`);
    }
    await checkDerivation(ctx.db, input);
    return ctx.db.transaction().execute(async (trx) => {
      const created = await insertIndicator(trx, input, nowIso());
      await recordIndicatorVersion(trx, created, { savedBy: ctx.session.user.id, changeNote: "Created" });
      await audit(trx, ctx, {
        action: "create",
        entity: "indicator",
        entityId: created.id,
        partnershipId: null,
        before: null,
        after: created,
      });
      return created;
    });
  }),

  /** Changes an indicator's metadata against the version the editor saw; the earlier version is kept. */
  update: adminProcedure.input(UpdateIndicatorSchema).mutation(async ({ ctx, input }) => {
    const { version, changeNote, ...indicator } = input;
    await checkDerivation(ctx.db, indicator);
    return saveChange(ctx, input.code, version, () => indicator, { action: "update", changeNote });
  }),

  /**
   * Moves an indicator along draft → active → retired (or back to active from retired). Activating
   * sets the year introduced, and retiring the year retired, to `year` (this year by default)
   * when not already set.
   */
  setStatus: adminProcedure
    .input(
      z.object({
        code: IndicatorCodeSchema,
        version: VersionSchema,
        status: IndicatorStatusSchema,
        year: z.int().min(1800).max(2200).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const current = await mustFind(ctx.db, input.code);
      const allowed: readonly string[] = NEXT_STATUS[current.status];
      if (!allowed.includes(input.status)) {
        throw fieldError("status", `An indicator that is ${current.status} cannot become ${input.status}`);
      }
      const year = input.year ?? new Date().getUTCFullYear();
      return saveChange(
        ctx,
        input.code,
        input.version,
        (c) => {
          const { id: _id, version: _v, updatedAt: _u, ...fields } = c;
          return {
            ...fields,
            status: input.status,
            yearIntroduced: input.status === "active" ? (c.yearIntroduced ?? year) : c.yearIntroduced,
            yearRetired:
              input.status === "retired"
                ? (c.yearRetired ?? year)
                : input.status === "active"
                  ? null
                  : c.yearRetired,
          };
        },
        { action: "set-status", changeNote: `Status: ${current.status} → ${input.status}` },
      );
    }),
});
