import {
  type ApiTokenView,
  findVersioned,
  insertApiToken,
  listApiTokens,
  nowIso,
  revokeApiToken,
} from "@fivestep/db";
import {
  ADMIN_ONLY_SCOPES,
  CreateApiTokenSchema,
  type CurrentUser,
  IdSchema,
  VersionSchema,
} from "@fivestep/domain";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { newTokenSecret } from "../auth/tokens.ts";
import { staleOrMissing } from "../errors.ts";
import { fieldError } from "../field-error.ts";
import { authedProcedure, createTRPCRouter, transactional } from "../trpc.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

const leads = (user: CurrentUser, partnershipId: number) =>
  user.memberships.some((m) => m.partnershipId === partnershipId && m.role === "lead");

/** Administrators manage every token; a lead, only their partnership's. */
function mayManage(user: CurrentUser, partnershipId: number | null): boolean {
  return user.isAdmin || (partnershipId !== null && leads(user, partnershipId));
}

const refuse = () =>
  new TRPCError({
    code: "FORBIDDEN",
    message: "Only an administrator, or the lead of the token's partnership, may do this.",
  });

/** What the audit trail keeps of a token: never its secret or hash. */
const auditRecord = (t: ApiTokenView) => ({
  name: t.name,
  prefix: t.prefix,
  scopes: t.scopes,
  sources: t.sources,
  partnershipId: t.partnershipId,
  expiresAt: t.expiresAt,
  revokedAt: t.revokedAt,
  version: t.version,
});

/**
 * API tokens for machines (administrators, and partnership leads for their partnership). A token
 * is shown once, when made; only its hash is kept.
 */
export const tokensRouter = createTRPCRouter({
  /**
   * Makes a token; answers with the secret, which is never shown again. Administrators grant any
   * scope, with or without a partnership; a lead makes tokens only for a partnership they lead and
   * only with scopes that write what the partnership could send as data returns (held for approval).
   */
  create: authedProcedure
    .input(CreateApiTokenSchema)
    .use(transactional)
    .mutation(async ({ ctx, input }) => {
      const user = ctx.session.user;
      if (!mayManage(user, input.partnershipId)) throw refuse();
      const adminOnly = input.scopes.filter((s) => ADMIN_ONLY_SCOPES.includes(s));
      if (!user.isAdmin && adminOnly.length > 0)
        throw fieldError("scopes", `Only an administrator may grant ${adminOnly.join(", ")}`);
      if (input.partnershipId !== null && !(await findVersioned(ctx.trx, "partnership", input.partnershipId)))
        throw fieldError("partnershipId", "Choose a partnership that exists");
      const { secret, hash, prefix } = newTokenSecret();
      const now = ctx.clock();
      const row = await insertApiToken(ctx.trx, {
        name: input.name,
        prefix,
        hash,
        scopes_json: JSON.stringify(input.scopes),
        sources_json: JSON.stringify([...new Set(input.sources)]),
        partnership_id: input.partnershipId,
        created_by: user.id,
        created_at: new Date(now).toISOString(),
        expires_at: new Date(now + input.days * DAY_MS).toISOString(),
        last_used_at: null,
        revoked_at: null,
        revoked_by: null,
      });
      const [token] = await listApiTokens(ctx.trx, { id: row.id });
      if (!token) throw new Error("the token just made is missing");
      await ctx.audit({
        action: "create",
        entity: "api_token",
        entityId: token.id,
        partnershipId: token.partnershipId,
        before: null,
        after: auditRecord(token),
      });
      return { token, secret };
    }),

  /**
   * Tokens, newest first: a partnership's (its leads and administrators), or every token
   * (administrators, without `partnershipId`).
   */
  list: authedProcedure
    .input(z.object({ partnershipId: IdSchema.nullable().default(null) }).default({ partnershipId: null }))
    .query(async ({ ctx, input }) => {
      const user = ctx.session.user;
      if (input.partnershipId === null) {
        if (!user.isAdmin) throw refuse();
        return listApiTokens(ctx.db);
      }
      if (!mayManage(user, input.partnershipId)) throw refuse();
      return listApiTokens(ctx.db, { partnershipId: input.partnershipId });
    }),

  /**
   * Revokes a token against the version seen; it stops working at once. A lead names their
   * partnership, and the token is looked up within it; an administrator may leave it out.
   */
  revoke: authedProcedure
    .input(
      z.object({ partnershipId: IdSchema.nullable().default(null), id: IdSchema, version: VersionSchema }),
    )
    .use(transactional)
    .mutation(async ({ ctx, input }) => {
      const user = ctx.session.user;
      if (input.partnershipId === null ? !user.isAdmin : !mayManage(user, input.partnershipId))
        throw refuse();
      const [before] = await listApiTokens(ctx.trx, {
        id: input.id,
        ...(input.partnershipId === null ? {} : { partnershipId: input.partnershipId }),
      });
      if (!before) throw staleOrMissing("API token", undefined);
      if (before.revokedAt !== null)
        throw new TRPCError({ code: "BAD_REQUEST", message: "This token is already revoked" });
      const row = await revokeApiToken(ctx.trx, input.id, input.version, {
        by: ctx.session.user.id,
        at: new Date(ctx.clock()).toISOString(),
      });
      const [after] = row ? await listApiTokens(ctx.trx, { id: input.id }) : [];
      if (!after) throw staleOrMissing("API token", before);
      await ctx.audit({
        action: "revoke",
        entity: "api_token",
        entityId: after.id,
        partnershipId: after.partnershipId,
        before: auditRecord(before),
        after: auditRecord(after),
      });
      return after;
    }),
});
