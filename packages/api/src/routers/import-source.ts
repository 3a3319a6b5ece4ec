import { listImportSources, updateWithVersion } from "@fivestep/db";
import { IdSchema, VersionSchema } from "@fivestep/domain";
import { z } from "zod";
import { staleOrMissing } from "../errors.ts";
import { adminProcedure, createTRPCRouter, transactional } from "../trpc.ts";

/**
 * Import sources (administrators): each source's remembered mapping carries whether its imports
 * arrive pending — waiting for approval rather than going straight into the data.
 */
export const importSourceRouter = createTRPCRouter({
  /** Every import source with its setting, by name. */
  list: adminProcedure.query(({ ctx }) => listImportSources(ctx.db)),

  /** Sets whether imports from a source arrive pending, against the version seen. */
  setArrivesPending: adminProcedure
    .input(z.object({ id: IdSchema, version: VersionSchema, arrivesPending: z.boolean() }))
    .use(transactional)
    .mutation(async ({ ctx, input }) => {
      const trx = ctx.trx;
      const find = async () => (await listImportSources(trx)).find((s) => s.id === input.id);
      const before = await find();
      const row = before
        ? await updateWithVersion(trx, "import_mapping", input.id, input.version, {
            arrives_pending: input.arrivesPending ? 1 : 0,
          })
        : undefined;
      const after = row && (await find());
      if (!before || !after) throw staleOrMissing("import source", before);
      await ctx.audit({
        action: "update",
        entity: "import_mapping",
        entityId: after.id,
        partnershipId: null,
        before: { version: before.version, source: before.source, arrivesPending: before.arrivesPending },
        after: { version: after.version, source: after.source, arrivesPending: after.arrivesPending },
      });
      return after;
    }),
});
