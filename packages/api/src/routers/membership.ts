import {
  deleteMembership,
  findMembership,
  findVersioned,
  insertMembership,
  nowIso,
  updateWithVersion,
} from "@fivestep/db";
import { IdSchema, RoleSchema, VersionSchema } from "@fivestep/domain";
import { z } from "zod";
import { audit } from "../audit.ts";
import { staleOrMissing } from "../errors.ts";
import { fieldError } from "../field-error.ts";
import { adminProcedure, createTRPCRouter } from "../trpc.ts";
import { toMembershipRecord } from "../views.ts";

/** Who belongs to which partnership with which role (system administrators). */
export const membershipRouter = createTRPCRouter({
  /** Adds a user to a partnership with a role. */
  add: adminProcedure
    .input(z.object({ userId: IdSchema, partnershipId: IdSchema, role: RoleSchema }))
    .mutation(async ({ ctx, input }) =>
      ctx.db.transaction().execute(async (trx) => {
        const user = await findVersioned(trx, "app_user", input.userId);
        if (!user) throw fieldError("userId", "Choose a user who exists");
        const partnership = await findVersioned(trx, "partnership", input.partnershipId);
        if (!partnership) throw fieldError("partnershipId", "Choose a partnership that exists");
        const clash = await findMembership(trx, input.userId, input.partnershipId);
        if (clash)
          throw fieldError("partnershipId", `${user.display_name} already belongs to ${partnership.name}`);
        const row = await insertMembership(trx, {
          user_id: input.userId,
          partnership_id: input.partnershipId,
          role: input.role,
          created_at: nowIso(),
        });
        await audit(trx, ctx, {
          action: "create",
          entity: "membership",
          entityId: row.id,
          partnershipId: row.partnership_id,
          before: null,
          after: toMembershipRecord(row),
        });
        return toMembershipRecord(row);
      }),
    ),

  /** Changes a member's role, against the version the editor saw. */
  changeRole: adminProcedure
    .input(z.object({ id: IdSchema, version: VersionSchema, role: RoleSchema }))
    .mutation(async ({ ctx, input }) =>
      ctx.db.transaction().execute(async (trx) => {
        const before = await findVersioned(trx, "membership", input.id);
        const row = await updateWithVersion(trx, "membership", input.id, input.version, { role: input.role });
        if (!before || !row) throw staleOrMissing("membership", before && toMembershipRecord(before));
        await audit(trx, ctx, {
          action: "update",
          entity: "membership",
          entityId: row.id,
          partnershipId: row.partnership_id,
          before: toMembershipRecord(before),
          after: toMembershipRecord(row),
        });
        return toMembershipRecord(row);
      }),
    ),

  /** Removes a member from a partnership (the user and their history stay). */
  remove: adminProcedure
    .input(z.object({ id: IdSchema, version: VersionSchema }))
    .mutation(async ({ ctx, input }) =>
      ctx.db.transaction().execute(async (trx) => {
        const before = await findVersioned(trx, "membership", input.id);
        if (!before || !(await deleteMembership(trx, input.id, input.version))) {
          throw staleOrMissing("membership", before && toMembershipRecord(before));
        }
        await audit(trx, ctx, {
          action: "delete",
          entity: "membership",
          entityId: before.id,
          partnershipId: before.partnership_id,
          before: toMembershipRecord(before),
          after: null,
        });
        return { removed: true };
      }),
    ),
});
