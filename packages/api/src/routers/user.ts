import {
  deleteUserSessions,
  findUserByEmail,
  findVersioned,
  insertMembership,
  insertUser,
  listMemberships,
  listUsers,
  nowIso,
  updateWithVersion,
} from "@fivestep/db";
import { IdSchema, InviteUserSchema, UpdateUserSchema, VersionSchema } from "@fivestep/domain";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { audit } from "../audit.ts";
import { randomToken, sha256 } from "../auth/password.ts";
import { staleOrMissing } from "../errors.ts";
import { fieldError } from "../field-error.ts";
import { adminProcedure, createTRPCRouter } from "../trpc.ts";
import { toMembershipRecord, toUserView } from "../views.ts";

/** How long an invitation link stays valid. */
export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const VersionedId = z.object({ id: IdSchema, version: VersionSchema });

/** Accounts, for system administrators. Users with history are deactivated, never deleted. */
export const userRouter = createTRPCRouter({
  /** Every user with their memberships. */
  list: adminProcedure.query(async ({ ctx }) => {
    const [users, memberships] = await Promise.all([listUsers(ctx.db), listMemberships(ctx.db)]);
    return users.map((u) => ({
      ...toUserView(u),
      memberships: memberships
        .filter((m) => m.userId === u.id)
        .map((m) => ({
          id: m.id,
          version: m.version,
          partnershipId: m.partnershipId,
          partnershipName: m.partnershipName,
          role: m.role,
        })),
    }));
  }),

  /**
   * Creates an invited account (optionally with a first membership) and returns the one-time
   * invitation token; the person sets their own password from the link.
   */
  invite: adminProcedure.input(InviteUserSchema).mutation(async ({ ctx, input }) => {
    if (await findUserByEmail(ctx.db, input.email)) {
      throw fieldError("email", "An account with this email address already exists");
    }
    const token = randomToken();
    const now = nowIso();
    const user = await ctx.db.transaction().execute(async (trx) => {
      const row = await insertUser(trx, {
        email: input.email,
        display_name: input.displayName,
        password_hash: null,
        is_admin: input.isAdmin ? 1 : 0,
        status: "invited",
        invite_token_hash: sha256(token),
        invite_expires_at: new Date(Date.parse(now) + INVITE_TTL_MS).toISOString(),
        created_at: now,
        updated_at: now,
      });
      await audit(trx, ctx, {
        action: "invite",
        entity: "app_user",
        entityId: row.id,
        partnershipId: null,
        before: null,
        after: toUserView(row),
      });
      if (input.membership) {
        const exists = await findVersioned(trx, "partnership", input.membership.partnershipId);
        if (!exists) throw fieldError("membership.partnershipId", "Choose a partnership that exists");
        const m = await insertMembership(trx, {
          user_id: row.id,
          partnership_id: input.membership.partnershipId,
          role: input.membership.role,
          created_at: now,
        });
        await audit(trx, ctx, {
          action: "create",
          entity: "membership",
          entityId: m.id,
          partnershipId: m.partnership_id,
          before: null,
          after: toMembershipRecord(m),
        });
      }
      return row;
    });
    return { user: toUserView(user), inviteToken: token };
  }),

  /** Changes a user's name or administrator flag, against the version the editor saw. */
  update: adminProcedure.input(UpdateUserSchema).mutation(async ({ ctx, input }) => {
    if (input.id === ctx.session.user.id && !input.isAdmin) {
      throw fieldError("isAdmin", "You cannot remove your own administrator role; ask another administrator");
    }
    return ctx.db.transaction().execute(async (trx) => {
      const before = await findVersioned(trx, "app_user", input.id);
      const row = await updateWithVersion(trx, "app_user", input.id, input.version, {
        display_name: input.displayName,
        is_admin: input.isAdmin ? 1 : 0,
        updated_at: nowIso(),
      });
      if (!before || !row) throw staleOrMissing("user", before && toUserView(before));
      await audit(trx, ctx, {
        action: "update",
        entity: "app_user",
        entityId: row.id,
        partnershipId: null,
        before: toUserView(before),
        after: toUserView(row),
      });
      return toUserView(row);
    });
  }),

  /** Stops a user signing in and ends their sessions; their history stays. */
  deactivate: adminProcedure.input(VersionedId).mutation(async ({ ctx, input }) => {
    if (input.id === ctx.session.user.id) {
      throw new TRPCError({ code: "BAD_REQUEST", message: "You cannot deactivate your own account." });
    }
    return ctx.db.transaction().execute(async (trx) => {
      const before = await findVersioned(trx, "app_user", input.id);
      const row = await updateWithVersion(trx, "app_user", input.id, input.version, {
        status: "deactivated",
        updated_at: nowIso(),
      });
      if (!before || !row) throw staleOrMissing("user", before && toUserView(before));
      await deleteUserSessions(trx, row.id);
      await audit(trx, ctx, {
        action: "deactivate",
        entity: "app_user",
        entityId: row.id,
        partnershipId: null,
        before: toUserView(before),
        after: toUserView(row),
      });
      return toUserView(row);
    });
  }),

  /** Lets a deactivated user sign in again (or accept their invitation, if they never did). */
  reactivate: adminProcedure.input(VersionedId).mutation(async ({ ctx, input }) =>
    ctx.db.transaction().execute(async (trx) => {
      const before = await findVersioned(trx, "app_user", input.id);
      const row = await updateWithVersion(trx, "app_user", input.id, input.version, {
        status: before?.password_hash ? "active" : "invited",
        updated_at: nowIso(),
      });
      if (!before || !row) throw staleOrMissing("user", before && toUserView(before));
      await audit(trx, ctx, {
        action: "reactivate",
        entity: "app_user",
        entityId: row.id,
        partnershipId: null,
        before: toUserView(before),
        after: toUserView(row),
      });
      return toUserView(row);
    }),
  ),
});
