import {
  deleteSession,
  deleteUserSessions,
  findEmailPreferences,
  findUserByEmail,
  findUserById,
  findUserByInviteTokenHash,
  nowIso,
  saveEmailPreferences,
  setUserLocale,
  trustDevice,
  updateWithVersion,
} from "@fivestep/db";
import {
  AcceptInviteSchema,
  ChangePasswordSchema,
  EmailSettingsSchema,
  SignInSchema,
} from "@fivestep/domain";
import { TRPCError } from "@trpc/server";
import { audit } from "../audit.ts";
import { hashPassword, randomToken, sha256, verifyPassword } from "../auth/password.ts";
import { requireGuessResistantPassword } from "../auth/password-policy.ts";
import { currentUser, SESSION_TTL_MS, startSession } from "../auth/sessions.ts";
import { claimAttempt, THROTTLE } from "../auth/throttle.ts";
import type { Context } from "../context.ts";
import { staleOrMissing } from "../errors.ts";
import { fieldError } from "../field-error.ts";
import { authedProcedure, createTRPCRouter, publicProcedure } from "../trpc.ts";

/** The account key that invitation attempts are throttled under (with the address). */
const INVITATION_ACCOUNT = "invitation";

/**
 * Marks this browser as one that has signed in to the user's account (the device cookie), so a
 * guesser elsewhere filling the account's daily ceiling never stops its owner here.
 */
async function rememberDevice(ctx: Context, userId: number): Promise<void> {
  const token = ctx.deviceToken && /^[\w-]{40,60}$/.test(ctx.deviceToken) ? ctx.deviceToken : randomToken();
  await trustDevice(ctx.db, sha256(token), userId, new Date(ctx.clock()).toISOString());
  ctx.cookies.setDevice(token, THROTTLE.deviceMs);
}

/** Signing in and out, the current user, passwords and invitations. */
export const authRouter = createTRPCRouter({
  /** The signed-in user with their memberships, or null. */
  me: publicProcedure.query(({ ctx }) => ctx.session?.user ?? null),

  /** Checks email and password, starts a session and sets its cookie. Rate-limited. */
  signIn: publicProcedure.input(SignInSchema).mutation(async ({ ctx, input }) => {
    // Counted before the password is checked, so attempts made at once cannot pass the limit.
    const attempt = await claimAttempt(ctx.db, {
      account: input.email,
      ip: ctx.ip,
      deviceToken: ctx.deviceToken,
      now: ctx.clock(),
    });
    const user = await findUserByEmail(ctx.db, input.email);
    const ok = (await verifyPassword(user?.password_hash ?? null, input.password)) && user !== undefined;
    await attempt.settle(ok);
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
    await rememberDevice(ctx, user.id);
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
    const attempt = await claimAttempt(ctx.db, {
      account: ctx.session.user.email,
      ip: ctx.ip,
      deviceToken: ctx.deviceToken,
      now: ctx.clock(),
    });
    const user = await findUserById(ctx.db, ctx.session.user.id);
    const ok = user !== undefined && (await verifyPassword(user.password_hash, input.currentPassword));
    await attempt.settle(ok);
    if (!user || !ok) {
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
    // Invitation links are unguessable, but guessing is still counted, by address (an account-wide
    // ceiling would let anyone block every invitation).
    const attempt = await claimAttempt(ctx.db, {
      account: INVITATION_ACCOUNT,
      ip: ctx.ip,
      deviceToken: null,
      now: ctx.clock(),
      accountCeiling: false,
    });
    const user = await findUserByInviteTokenHash(ctx.db, sha256(input.token));
    const now = nowIso();
    const valid = user?.status === "invited" && !!user.invite_expires_at && user.invite_expires_at > now;
    await attempt.settle(valid);
    if (!user || !valid) {
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
    await rememberDevice(ctx, user.id);
    return currentUser(ctx.db, user);
  }),

  /** The caller's saved language and which reminders they receive by email. */
  emailSettings: authedProcedure.query(async ({ ctx }) => {
    const user = await findUserById(ctx.db, ctx.session.user.id);
    const prefs = await findEmailPreferences(ctx.db, ctx.session.user.id);
    return { locale: user?.locale === "hr-HR" ? ("hr-HR" as const) : ("en-GB" as const), ...prefs };
  }),

  /** Saves the caller's language and email choices (audited). */
  saveEmailSettings: authedProcedure.input(EmailSettingsSchema).mutation(async ({ ctx, input }) => {
    const userId = ctx.session.user.id;
    await ctx.db.transaction().execute(async (trx) => {
      const user = await findUserById(trx, userId);
      const prefs = await findEmailPreferences(trx, userId);
      const at = nowIso();
      const { locale, ...wanted } = input;
      await setUserLocale(trx, userId, locale, at);
      await saveEmailPreferences(trx, userId, wanted, at);
      await audit(trx, ctx, {
        action: "update-email-settings",
        entity: "app_user",
        entityId: userId,
        partnershipId: null,
        before: { locale: user?.locale ?? null, ...prefs },
        after: input,
      });
    });
    return input;
  }),
});
