import {
  type AreaRecord,
  findAreaByCode,
  findVersioned,
  listAreas,
  listAreaTypes,
  saveAreaType,
  updateWithVersion,
} from "@fivestep/db";
import { AreaSchema, IdSchema, VersionSchema } from "@fivestep/domain";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { audit } from "../audit.ts";
import { staleOrMissing } from "../errors.ts";
import { fieldError } from "../field-error.ts";
import { importAreaLookup } from "../import/area-lookup.ts";
import { FileReadError } from "../import/read-rows.ts";
import { adminProcedure, createTRPCRouter, publicProcedure } from "../trpc.ts";
import { fileFor } from "./imports.ts";

const recordOf = (r: {
  id: number;
  version: number;
  code: string;
  name: string;
  type: string;
  parent_code: string | null;
}): AreaRecord => ({
  id: r.id,
  version: r.version,
  code: r.code,
  name: r.name,
  type: r.type,
  parentCode: r.parent_code,
});

/** Areas and their hierarchy. */
export const areaRouter = createTRPCRouter({
  /** Every area, by type then name. */
  list: publicProcedure.query(({ ctx }) => listAreas(ctx.db)),

  /** One area with its id and version (for editing). */
  byCode: publicProcedure.input(z.object({ code: AreaSchema.shape.code })).query(async ({ ctx, input }) => {
    const area = await findAreaByCode(ctx.db, input.code);
    if (!area) throw new TRPCError({ code: "NOT_FOUND", message: `No area with code "${input.code}"` });
    return area;
  }),

  /** The area types, top of the hierarchy first, with the ONS lookup prefix each one matches. */
  types: publicProcedure.query(({ ctx }) => listAreaTypes(ctx.db)),

  /**
   * Adds an area type or changes its rank (1 is the top of the hierarchy) and lookup prefix: the
   * hierarchy is data, so "županija" works as well as "region".
   */
  saveType: adminProcedure
    .input(
      z.object({
        name: z.string().trim().min(1, "Enter a name").max(60, "Use at most 60 characters"),
        rank: z.int("Enter a whole number").min(1, "Use 1 for the top level").max(20, "Use at most 20"),
        lookupPrefix: z
          .string()
          .trim()
          .regex(/^[A-Z]{2,6}$/, "Use 2 to 6 capital letters, like LAD")
          .nullable()
          .default(null),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.db.transaction().execute(async (trx) => {
        const before = (await listAreaTypes(trx)).find((t) => t.name === input.name) ?? null;
        const id = await saveAreaType(trx, input);
        await audit(trx, ctx, {
          action: before ? "update" : "create",
          entity: "area_type",
          entityId: id,
          partnershipId: null,
          before,
          after: input,
        });
        return input;
      }),
    ),

  /** Adds an area (a new authority, a ward); its parent must exist and its type be a known one. */
  create: adminProcedure.input(AreaSchema).mutation(async ({ ctx, input }) => {
    if (await findAreaByCode(ctx.db, input.code))
      throw fieldError("code", `An area with code "${input.code}" already exists`);
    if (input.parentCode !== null && !(await findAreaByCode(ctx.db, input.parentCode))) {
      throw fieldError("parentCode", `No area with code "${input.parentCode}"`);
    }
    return ctx.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto("area")
        .values({ code: input.code, name: input.name, type: input.type, parent_code: input.parentCode })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(trx, ctx, {
        action: "create",
        entity: "area",
        entityId: row.id,
        partnershipId: null,
        before: null,
        after: recordOf(row),
      });
      return recordOf(row);
    });
  }),

  /**
   * Changes an area's name, type or parent against the version seen. The parent must exist and
   * must not be the area itself or one of its descendants.
   */
  update: adminProcedure
    .input(AreaSchema.extend({ version: VersionSchema }))
    .mutation(async ({ ctx, input }) => {
      const current = await findAreaByCode(ctx.db, input.code);
      if (!current) throw staleOrMissing("area", null);
      if (input.parentCode !== null) {
        let walk: string | null = input.parentCode;
        for (let depth = 0; walk !== null && depth < 20; depth++) {
          if (walk === input.code) throw fieldError("parentCode", "An area cannot be inside itself");
          const parent: AreaRecord | undefined = await findAreaByCode(ctx.db, walk);
          if (!parent) throw fieldError("parentCode", `No area with code "${walk}"`);
          walk = parent.parentCode;
        }
      }
      return ctx.db.transaction().execute(async (trx) => {
        const before = await findVersioned(trx, "area", current.id);
        const row = await updateWithVersion(trx, "area", current.id, input.version, {
          name: input.name,
          type: input.type,
          parent_code: input.parentCode,
        });
        if (!before || !row) throw staleOrMissing("area", before && recordOf(before));
        await audit(trx, ctx, {
          action: "update",
          entity: "area",
          entityId: row.id,
          partnershipId: null,
          before: recordOf(before),
          after: recordOf(row),
        });
        return recordOf(row);
      });
    }),

  /**
   * Loads areas from an uploaded ONS-style lookup file (see `POST /api/imports`): every
   * `<TYPE><yy>CD`/`<TYPE><yy>NM` column pair whose stem is an area type's lookup prefix. Audited
   * as one `area_import` entry with the counts (not one per area).
   */
  import: adminProcedure.input(z.object({ fileId: IdSchema })).mutation(async ({ ctx, input }) => {
    const file = await fileFor(ctx, input.fileId);
    return ctx.db.transaction().execute(async (trx) => {
      let result: Awaited<ReturnType<typeof importAreaLookup>>;
      try {
        result = await importAreaLookup(trx, file);
      } catch (error) {
        if (
          error instanceof FileReadError ||
          (error instanceof Error && error.message.startsWith("No area code"))
        )
          throw fieldError("fileId", error.message);
        throw error;
      }
      const summary = {
        fileId: file.id,
        fileName: file.name,
        levels: result.levels.map((l) => l.type),
        rows: result.rows,
        inserted: result.inserted,
        updated: result.updated,
        unchanged: result.unchanged,
      };
      await audit(trx, ctx, {
        action: "import",
        entity: "area_import",
        entityId: file.id,
        partnershipId: null,
        before: null,
        after: summary,
      });
      return { ...summary, levels: result.levels };
    });
  }),
});
