import {
  deleteSession,
  deleteUserSessions,
  findUserByEmail,
  findUserById,
  findUserByInviteTokenHash,
  nowIso,
  recentFailures,
  recordLoginAttempt,
  updateWithVersion,
} from "@fivestep/db";
import { AcceptInviteSchema, ChangePasswordSchema, SignInSchema } from "@fivestep/domain";
import { TRPCError } from "@trpc/server";
import { audit } from "../audit.ts";
import { hashPassword, sha256, verifyPassword } from "../auth/password.ts";
import { requireGuessResistantPassword } from "../auth/password-policy.ts";
import { currentUser, SESSION_TTL_MS, startSession } from "../auth/sessions.ts";
import { staleOrMissing } from "../errors.ts";
import { fieldError } from "../field-error.ts";
import { authedProcedure, createTRPCRouter, publicProcedure } from "../trpc.ts";

/** Sign-in limits: failures counted over this window, per account and per address. */
export const SIGN_IN_LIMITS = { windowMs: 15 * 60 * 1000, perAccount: 5, perAddress: 20 } as const;

const minutesUntil = (oldest: string | null) =>
  Math.max(
    1,
    Math.ceil(((oldest ? Date.parse(oldest) : Date.now()) + SIGN_IN_LIMITS.windowMs - Date.now()) / 60_000),
  );

/** Signing in and out, the current user, passwords and invitations. */
export const authRouter = createTRPCRouter({
  /** The signed-in user with their memberships, or null. */
  me: publicProcedure.query(({ ctx }) => ctx.session?.user ?? null),

  /** Checks email and password, starts a session and sets its cookie. Rate-limited. */
  signIn: publicProcedure.input(SignInSchema).mutation(async ({ ctx, input }) => {
    const now = nowIso();
    const since = new Date(Date.parse(now) - SIGN_IN_LIMITS.windowMs).toISOString();
    const failures = await recentFailures(ctx.db, { email: input.email, ip: ctx.ip, since });
    if (failures.byEmail >= SIGN_IN_LIMITS.perAccount) {
      throw new TRPCError({
        code: "TOO_MANY_REQUESTS",
        message: `Too many failed sign-in attempts for this account. Try again in ${minutesUntil(failures.oldestEmail)} minutes, or ask an administrator to help.`,
      });
    }
    if (failures.byIp >= SIGN_IN_LIMITS.perAddress) {
      throw new TRPCError({
        code: "TOO_MANY_REQUESTS",
        message: `Too many failed sign-in attempts from your network address. Try again in ${minutesUntil(failures.oldestIp)} minutes.`,
      });
    }
    const user = await findUserByEmail(ctx.db, input.email);
    const ok = await verifyPassword(user?.password_hash ?? null, input.password);
    await recordLoginAttempt(ctx.db, { email: input.email, ip: ctx.ip, at: now, succeeded: ok });
    if (!ok || !user) {
      throw new TRPCError({ code: "UNAUTHORIZED", message: "The email address or password is not right." });
    }
    if (user.status !== "active") {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: "This account has been deactivated. Ask an administrator if you need access again.",
      });
    }
    const token = await startSession(ctx.db, user.id, { ip: ctx.ip, userAgent: ctx.userAgent });
    await audit(ctx.db, ctx, {
      actorUserId: user.id,
      action: "sign-in",
      entity: "app_user",
      entityId: user.id,
      partnershipId: null,
      before: null,
      after: { ip: ctx.ip },
    });
    ctx.cookies.setSession(token, SESSION_TTL_MS);
    return currentUser(ctx.db, user);
  }),

  /** Ends this session and clears its cookie. */
  signOut: authedProcedure.mutation(async ({ ctx }) => {
    await ctx.db.transaction().execute(async (trx) => {
      await deleteSession(trx, ctx.session.idHash);
      await audit(trx, ctx, {
        action: "sign-out",
        entity: "app_user",
        entityId: ctx.session.user.id,
        partnershipId: null,
        before: null,
        after: null,
      });
    });
    ctx.cookies.clearSession();
    return { signedOut: true };
  }),

  /** Changes the caller's password and ends their other sessions. */
  changePassword: authedProcedure.input(ChangePasswordSchema).mutation(async ({ ctx, input }) => {
    const user = await findUserById(ctx.db, ctx.session.user.id);
    if (!user || !(await verifyPassword(user.password_hash, input.currentPassword))) {
      throw fieldError("currentPassword", "Your current password is not right");
    }
    await requireGuessResistantPassword("newPassword", input.newPassword, {
      email: user.email,
      displayName: user.display_name,
    });
    const hash = await hashPassword(input.newPassword);
    const ended = await ctx.db.transaction().execute(async (trx) => {
      // Against the version read above: a concurrent change (say, a deactivation) wins.
      if (
        !(await updateWithVersion(trx, "app_user", user.id, user.version, {
          password_hash: hash,
          updated_at: nowIso(),
        }))
      ) {
        throw staleOrMissing("user", null);
      }
      const n = await deleteUserSessions(trx, user.id, ctx.session.idHash);
      await audit(trx, ctx, {
        action: "change-password",
        entity: "app_user",
        entityId: user.id,
        partnershipId: null,
        before: { version: user.version },
        after: { version: user.version + 1, passwordChanged: true, otherSessionsEnded: n },
      });
      return n;
    });
    return { otherSessionsEnded: ended };
  }),

  /** Sets the password of an invited account from its one-time link, and signs it in. */
  acceptInvite: publicProcedure.input(AcceptInviteSchema).mutation(async ({ ctx, input }) => {
    const user = await findUserByInviteTokenHash(ctx.db, sha256(input.token));
    const now = nowIso();
    if (user?.status !== "invited" || !user.invite_expires_at || user.invite_expires_at <= now) {
      throw fieldError(
        "token",
        "This invitation link is not valid or has expired. Ask an administrator for a new one.",
      );
    }
    await requireGuessResistantPassword("password", input.password, {
      email: user.email,
      displayName: user.display_name,
    });
    const hash = await hashPassword(input.password);
    await ctx.db.transaction().execute(async (trx) => {
      const accepted = await updateWithVersion(trx, "app_user", user.id, user.version, {
        password_hash: hash,
        status: "active",
        invite_token_hash: null,
        invite_expires_at: null,
        updated_at: now,
      });
      if (!accepted)
        throw fieldError(
          "token",
          "This invitation link is not valid or has expired. Ask an administrator for a new one.",
        );
      await audit(trx, ctx, {
        actorUserId: user.id,
        action: "accept-invite",
        entity: "app_user",
        entityId: user.id,
        partnershipId: null,
        before: { status: "invited", version: user.version },
        after: { status: "active", version: user.version + 1 },
      });
    });
    const token = await startSession(ctx.db, user.id, { ip: ctx.ip, userAgent: ctx.userAgent });
    ctx.cookies.setSession(token, SESSION_TTL_MS);
    return currentUser(ctx.db, user);
  }),
});
