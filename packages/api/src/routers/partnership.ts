import {
  findAreaByCode,
  findPartnershipByName,
  findVersioned,
  insertPartnership,
  listMemberships,
  listPartnerships,
  nowIso,
  updateWithVersion,
} from "@fivestep/db";
import { IdSchema, PartnershipSchema, VersionSchema } from "@fivestep/domain";
import { audit } from "../audit.ts";
import { staleOrMissing } from "../errors.ts";
import { fieldError } from "../field-error.ts";
import { adminProcedure, authedProcedure, createTRPCRouter, partnershipProcedure } from "../trpc.ts";

async function checkNameAndArea(
  db: Parameters<typeof listPartnerships>[0],
  input: { name: string; areaCode: string },
  exceptId?: number,
) {
  if (!(await findAreaByCode(db, input.areaCode)))
    throw fieldError("areaCode", `No area with code "${input.areaCode}"`);
  const clash = await findPartnershipByName(db, input.name);
  if (clash && clash.id !== exceptId) throw fieldError("name", "A partnership with this name already exists");
}

const recordOf = (p: { id: number; version: number; name: string; area_code: string }) => ({
  id: p.id,
  version: p.version,
  name: p.name,
  areaCode: p.area_code,
});

/** Partnerships: the ones a user may see, one in detail, and their upkeep by administrators. */
export const partnershipRouter = createTRPCRouter({
  /** The partnerships the caller belongs to, with their role (administrators see all). */
  mine: authedProcedure.query(async ({ ctx }) => {
    const { user } = ctx.session;
    const list = await listPartnerships(
      ctx.db,
      user.isAdmin ? {} : { ids: user.memberships.map((m) => m.partnershipId) },
    );
    return list.map((p) => ({
      ...p,
      role: user.memberships.find((m) => m.partnershipId === p.id)?.role ?? null,
    }));
  }),

  /** One partnership with its members; for its members (and administrators, read-only). */
  byId: partnershipProcedure("viewer").query(async ({ ctx, input }) => {
    const [partnership] = await listPartnerships(ctx.db, { ids: [input.partnershipId] });
    if (!partnership) throw staleOrMissing("partnership", null);
    const members = await listMemberships(ctx.db, { partnershipId: input.partnershipId });
    return {
      ...partnership,
      role: ctx.session.user.memberships.find((m) => m.partnershipId === input.partnershipId)?.role ?? null,
      members: members.map((m) => ({
        id: m.id,
        userId: m.userId,
        displayName: m.displayName,
        role: m.role,
        status: m.userStatus,
      })),
    };
  }),

  /** Every partnership (administrators). */
  list: adminProcedure.query(({ ctx }) => listPartnerships(ctx.db)),

  /** Creates a partnership for an area. */
  create: adminProcedure.input(PartnershipSchema).mutation(async ({ ctx, input }) => {
    await checkNameAndArea(ctx.db, input);
    return ctx.db.transaction().execute(async (trx) => {
      const now = nowIso();
      const row = await insertPartnership(trx, {
        name: input.name,
        area_code: input.areaCode,
        created_at: now,
        updated_at: now,
      });
      await audit(trx, ctx, {
        action: "create",
        entity: "partnership",
        entityId: row.id,
        partnershipId: row.id,
        before: null,
        after: recordOf(row),
      });
      return recordOf(row);
    });
  }),

  /** Renames a partnership or changes its area, against the version the editor saw. */
  update: adminProcedure
    .input(PartnershipSchema.extend({ id: IdSchema, version: VersionSchema }))
    .mutation(async ({ ctx, input }) => {
      await checkNameAndArea(ctx.db, input, input.id);
      return ctx.db.transaction().execute(async (trx) => {
        const before = await findVersioned(trx, "partnership", input.id);
        const row = await updateWithVersion(trx, "partnership", input.id, input.version, {
          name: input.name,
          area_code: input.areaCode,
          updated_at: nowIso(),
        });
        if (!before || !row) throw staleOrMissing("partnership", before && recordOf(before));
        await audit(trx, ctx, {
          action: "update",
          entity: "partnership",
          entityId: row.id,
          partnershipId: row.id,
          before: recordOf(before),
          after: recordOf(row),
        });
        return recordOf(row);
      });
    }),
});
