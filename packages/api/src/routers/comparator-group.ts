import {
  addComparatorAreas,
  areaIdsByCode,
  type ComparatorGroupView,
  type Executor,
  insertComparatorGroup,
  listComparatorGroups,
  nowIso,
  removeComparatorArea,
  updateWithVersion,
} from "@fivestep/db";
import { AreaCodeSchema, ComparatorGroupSchema, IdSchema, VersionSchema } from "@fivestep/domain";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { audit } from "../audit.ts";
import type { Context } from "../context.ts";
import { staleOrMissing } from "../errors.ts";
import { fieldError } from "../field-error.ts";
import { adminProcedure, createTRPCRouter, publicProcedure } from "../trpc.ts";

async function groupById(db: Executor, id: number): Promise<ComparatorGroupView | undefined> {
  return (await listComparatorGroups(db, [id]))[0];
}

async function areaIds(db: Executor, codes: readonly string[]): Promise<number[]> {
  const { ids, unknown } = await areaIdsByCode(db, codes);
  if (unknown.length > 0) {
    throw fieldError(
      "areaCodes",
      `Unknown area code${unknown.length > 1 ? "s" : ""}: ${unknown.slice(0, 20).join(", ")}`,
    );
  }
  return ids;
}

/** Changes a group (name, members) against the version seen; one audit entry with before/after. */
async function change(
  ctx: Context,
  id: number,
  version: number,
  patch: { name?: string; description?: string },
  members: (trx: Executor) => Promise<void>,
): Promise<ComparatorGroupView> {
  return ctx.db.transaction().execute(async (trx) => {
    const before = await groupById(trx, id);
    const row = await updateWithVersion(trx, "comparator_group", id, version, {
      ...patch,
      updated_at: nowIso(),
    });
    if (!before || !row) throw staleOrMissing("comparator group", before);
    await members(trx);
    const after = (await groupById(trx, id)) as ComparatorGroupView;
    await audit(trx, ctx, {
      action: "update",
      entity: "comparator_group",
      entityId: id,
      partnershipId: null,
      before,
      after,
    });
    return after;
  });
}

const nameTaken = async (db: Executor, name: string, exceptId?: number) => {
  const clash = await db
    .selectFrom("comparator_group")
    .select("id")
    .where("name", "=", name)
    .executeTakeFirst();
  if (clash && clash.id !== exceptId)
    throw fieldError("name", "A comparator group with this name already exists");
};

/** Comparator groups: named sets of areas for benchmarking and ranking. */
export const comparatorGroupRouter = createTRPCRouter({
  /** Every group by name, each with its areas by name. */
  list: publicProcedure.query(({ ctx }) => listComparatorGroups(ctx.db)),

  /** One group with its areas. */
  byId: publicProcedure.input(z.object({ id: IdSchema })).query(async ({ ctx, input }) => {
    const group = await groupById(ctx.db, input.id);
    if (!group) throw new TRPCError({ code: "NOT_FOUND", message: "That comparator group does not exist" });
    return group;
  }),

  /** Creates a group with its first areas; unknown area codes are listed, none is guessed. */
  create: adminProcedure.input(ComparatorGroupSchema).mutation(async ({ ctx, input }) => {
    await nameTaken(ctx.db, input.name);
    const ids = await areaIds(ctx.db, input.areaCodes);
    return ctx.db.transaction().execute(async (trx) => {
      const id = await insertComparatorGroup(trx, input, nowIso());
      await addComparatorAreas(trx, id, ids);
      const after = (await groupById(trx, id)) as ComparatorGroupView;
      await audit(trx, ctx, {
        action: "create",
        entity: "comparator_group",
        entityId: id,
        partnershipId: null,
        before: null,
        after,
      });
      return after;
    });
  }),

  /** Renames a group or changes its description. */
  update: adminProcedure
    .input(ComparatorGroupSchema.omit({ areaCodes: true }).extend({ id: IdSchema, version: VersionSchema }))
    .mutation(async ({ ctx, input }) => {
      await nameTaken(ctx.db, input.name, input.id);
      return change(
        ctx,
        input.id,
        input.version,
        { name: input.name, description: input.description },
        async () => {},
      );
    }),

  /** Adds areas to a group (those already in it are ignored). */
  addAreas: adminProcedure
    .input(
      z.object({ id: IdSchema, version: VersionSchema, areaCodes: z.array(AreaCodeSchema).min(1).max(2000) }),
    )
    .mutation(async ({ ctx, input }) => {
      const ids = await areaIds(ctx.db, input.areaCodes);
      return change(ctx, input.id, input.version, {}, async (trx) => {
        await addComparatorAreas(trx, input.id, ids);
      });
    }),

  /** Takes one area out of a group. */
  removeArea: adminProcedure
    .input(z.object({ id: IdSchema, version: VersionSchema, areaCode: AreaCodeSchema }))
    .mutation(async ({ ctx, input }) => {
      const [areaId] = await areaIds(ctx.db, [input.areaCode]);
      return change(ctx, input.id, input.version, {}, async (trx) => {
        if (!(await removeComparatorArea(trx, input.id, areaId as number))) {
          throw fieldError("areaCode", `${input.areaCode} is not in this group`);
        }
      });
    }),
});
