import { TRPCError } from "@trpc/server";
import { afterEach, describe, expect, it } from "vitest";
import { sha256 } from "../auth/password.ts";
import { resolveSession } from "../auth/sessions.ts";
import { FieldError } from "../field-error.ts";
import { ACTORS, createFixture, type Fixture, TEST_PASSWORD } from "../testing/fixtures.ts";

let fx: Fixture;
const getErrorShape = (cause: unknown) =>
  cause instanceof FieldError ? { [cause.field]: [cause.message] } : null;
afterEach(async () => {
  await fx?.db.destroy();
});

describe("signing in and out", () => {
  it("starts a session in the database and sets its cookie", async () => {
    fx = await createFixture();
    const anon = await fx.caller("anonymous");
    const me = await anon.auth.signIn({ email: "Lead@Coventry.example ", password: TEST_PASSWORD });
    expect(me).toMatchObject({ email: ACTORS.lead, isAdmin: false });
    expect(me.memberships).toEqual([
      { partnershipId: fx.coventryId, partnershipName: "Coventry Partnership", role: "lead" },
    ]);
    const token = fx.cookies.filter((c) => c.op === "set").at(-1)?.value ?? "";
    expect(token.length).toBeGreaterThan(40);
    // Only the token's hash is stored.
    const stored = await fx.db.selectFrom("session").select("id_hash").execute();
    expect(stored.map((s) => s.id_hash)).toContain(sha256(token));
    expect(stored.map((s) => s.id_hash)).not.toContain(token);
    expect((await resolveSession(fx.db, token))?.user.email).toBe(ACTORS.lead);
  });

  it("refuses a wrong password without saying whether the account exists", async () => {
    fx = await createFixture();
    const anon = await fx.caller("anonymous");
    const wrong = await anon.auth
      .signIn({ email: ACTORS.lead, password: "not the password" })
      .catch((e: unknown) => e);
    const unknown = await anon.auth
      .signIn({ email: "nobody@example.org", password: "whatever" })
      .catch((e: unknown) => e);
    expect(wrong).toMatchObject({
      code: "UNAUTHORIZED",
      message: "The email address or password is not right.",
    });
    expect(unknown).toMatchObject({
      code: "UNAUTHORIZED",
      message: "The email address or password is not right.",
    });
  });

  // Throttling of failed attempts: sign-in-throttle.test.ts.

  it("ends the session on sign-out", async () => {
    fx = await createFixture();
    const anon = await fx.caller("anonymous");
    await anon.auth.signIn({ email: ACTORS.editor, password: TEST_PASSWORD });
    const token = fx.cookies.filter((c) => c.op === "set").at(-1)?.value ?? "";
    const session = await resolveSession(fx.db, token);
    const { createCaller } = await import("../root.ts");
    const { createContextInner } = await import("../context.ts");
    const cleared: string[] = [];
    const caller = createCaller(
      createContextInner({
        db: fx.db,
        session,
        cookies: { setSession() {}, setDevice() {}, clearSession: () => cleared.push("x") },
      }),
    );
    await caller.auth.signOut();
    expect(cleared).toHaveLength(1);
    expect(await resolveSession(fx.db, token)).toBeNull();
  });

  it("expires sessions", async () => {
    fx = await createFixture();
    const anon = await fx.caller("anonymous");
    await anon.auth.signIn({ email: ACTORS.editor, password: TEST_PASSWORD });
    const token = fx.cookies.filter((c) => c.op === "set").at(-1)?.value ?? "";
    await fx.db
      .updateTable("session")
      .set({ expires_at: "2000-01-01T00:00:00.000Z" })
      .where("id_hash", "=", sha256(token))
      .execute();
    expect(await resolveSession(fx.db, token)).toBeNull();
  });
});

describe("the session read of every request", () => {
  it("carries the user's memberships by partnership name, none for a user with none, and nothing for a deactivated user", async () => {
    fx = await createFixture();
    const { startSession } = await import("../auth/sessions.ts");
    const signedIn = async (email: string) =>
      startSession(fx.db, await fx.userId(email), { ip: "127.0.0.1", userAgent: "vitest" });
    const analyst = await resolveSession(fx.db, await signedIn("analyst@westmidlands.example"));
    expect(analyst?.user.memberships.map((m) => [m.partnershipName, m.role])).toEqual([
      ["Coventry Partnership", expect.any(String)],
      ["Wolverhampton Partnership", expect.any(String)],
    ]);
    const admin = await resolveSession(fx.db, await signedIn(ACTORS.admin));
    expect(admin?.user).toMatchObject({ email: ACTORS.admin, isAdmin: true, memberships: [] });
    const viewerToken = await signedIn(ACTORS.viewer);
    expect((await resolveSession(fx.db, viewerToken))?.user.memberships).toEqual([
      { partnershipId: fx.coventryId, partnershipName: "Coventry Partnership", role: "viewer" },
    ]);
    await fx.db
      .updateTable("app_user")
      .set({ status: "deactivated" })
      .where("email", "=", ACTORS.viewer)
      .execute();
    expect(await resolveSession(fx.db, viewerToken)).toBeNull();
  });
});

describe("passwords, invitations and deactivation", () => {
  it("changes a password, keeps this session and ends the others", async () => {
    fx = await createFixture();
    const first = await fx.caller("editor");
    const second = await fx.session("editor");
    const result = await first.auth.changePassword({
      currentPassword: TEST_PASSWORD,
      newPassword: "my new long password",
    });
    expect(result.otherSessionsEnded).toBeGreaterThanOrEqual(1);
    expect(
      await fx.db
        .selectFrom("session")
        .select("id_hash")
        .where("id_hash", "=", second?.idHash ?? "")
        .executeTakeFirst(),
    ).toBeUndefined();
    const anon = await fx.caller("anonymous");
    await expect(anon.auth.signIn({ email: ACTORS.editor, password: TEST_PASSWORD })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    await expect(
      anon.auth.signIn({ email: ACTORS.editor, password: "my new long password" }),
    ).resolves.toBeTruthy();
  });

  it("says which field is wrong when the current password is not right", async () => {
    fx = await createFixture();
    const editor = await fx.caller("editor");
    const error = await editor.auth
      .changePassword({ currentPassword: "wrong one", newPassword: "my new long password" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST", cause: { field: "currentPassword" } });
    expect(error).toBeInstanceOf(TRPCError);
    expect(getErrorShape((error as TRPCError).cause)).toEqual({
      currentPassword: ["Your current password is not right"],
    });
  });

  it("invites a person who sets their own password from the link", async () => {
    fx = await createFixture();
    const admin = await fx.caller("admin");
    const { user, inviteToken } = await admin.user.invite({
      email: "New.Officer@Coventry.example",
      displayName: "New Officer",
      membership: { partnershipId: fx.coventryId, role: "contributor" },
    });
    expect(user).toMatchObject({ email: "new.officer@coventry.example", status: "invited" });
    const anon = await fx.caller("anonymous");
    // An invited account has no password to sign in with yet.
    await expect(anon.auth.signIn({ email: user.email, password: "anything at all" })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    const me = await anon.auth.acceptInvite({ token: inviteToken, password: "chosen by the officer" });
    expect(me.memberships[0]).toMatchObject({ role: "contributor", partnershipName: "Coventry Partnership" });
    // The link works once.
    await expect(
      anon.auth.acceptInvite({ token: inviteToken, password: "chosen by the officer" }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(admin.user.invite({ email: user.email, displayName: "Again" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("deactivates without deleting: sessions end, sign-in is refused, history stays", async () => {
    fx = await createFixture();
    const viewerSession = await fx.session("viewer");
    const admin = await fx.caller("admin");
    const id = await fx.userId(ACTORS.viewer);
    const after = await admin.user.deactivate({ id, version: 1 });
    expect(after.status).toBe("deactivated");
    expect(
      await fx.db
        .selectFrom("session")
        .select("id_hash")
        .where("id_hash", "=", viewerSession?.idHash ?? "")
        .executeTakeFirst(),
    ).toBeUndefined();
    const anon = await fx.caller("anonymous");
    await expect(anon.auth.signIn({ email: ACTORS.viewer, password: TEST_PASSWORD })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("deactivated"),
    });
    expect(
      await fx.db.selectFrom("app_user").select("id").where("id", "=", id).executeTakeFirst(),
    ).toBeDefined();
    await expect(
      admin.user.deactivate({ id: await fx.userId(ACTORS.admin), version: 1 }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("optimistic concurrency", () => {
  it("refuses an edit made against a stale version and returns the newer values", async () => {
    fx = await createFixture();
    const admin = await fx.caller("admin");
    const id = await fx.userId(ACTORS.viewer);
    await admin.user.update({ id, version: 1, displayName: "First Edit", isAdmin: false });
    const error = await admin.user
      .update({ id, version: 1, displayName: "Second Edit", isAdmin: false })
      .catch(
        (e: unknown) => e as { code: string; cause: { current: { displayName: string; version: number } } },
      );
    expect(error).toMatchObject({ code: "CONFLICT" });
    expect((error as { cause: { current: unknown } }).cause.current).toMatchObject({
      displayName: "First Edit",
      version: 2,
    });
    const row = await fx.db
      .selectFrom("app_user")
      .select("display_name")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.display_name).toBe("First Edit");
  });

  it("says NOT_FOUND for a record that does not exist", async () => {
    fx = await createFixture();
    const admin = await fx.caller("admin");
    await expect(
      admin.partnership.update({ id: 999, version: 1, name: "X", areaCode: "E08000026" }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("partnership scoping", () => {
  it("shows each user only their own partnerships", async () => {
    fx = await createFixture();
    const coventryLead = await fx.caller("lead");
    const wolverhamptonLead = await fx.caller("otherLead");
    expect((await coventryLead.partnership.mine()).map((p) => p.name)).toEqual(["Coventry Partnership"]);
    expect((await wolverhamptonLead.partnership.mine()).map((p) => p.name)).toEqual([
      "Wolverhampton Partnership",
    ]);
    await expect(wolverhamptonLead.partnership.byId({ partnershipId: fx.coventryId })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const detail = await coventryLead.partnership.byId({ partnershipId: fx.coventryId });
    expect(detail).toMatchObject({ areaCode: "E08000026", areaName: "Coventry", role: "lead" });
    expect(detail.members.map((m) => m.role).sort()).toEqual([
      "contributor",
      "editor",
      "editor",
      "lead",
      "viewer",
    ]);
  });

  it("lets one person hold different roles in two partnerships", async () => {
    fx = await createFixture();
    const anon = await fx.caller("anonymous");
    const me = await anon.auth.signIn({ email: "analyst@westmidlands.example", password: TEST_PASSWORD });
    expect(me.memberships.map((m) => [m.partnershipName, m.role])).toEqual([
      ["Coventry Partnership", "editor"],
      ["Wolverhampton Partnership", "viewer"],
    ]);
  });

  it("shows a lead their partnership's audit trail only", async () => {
    fx = await createFixture();
    const admin = await fx.caller("admin");
    await admin.partnership.update({
      id: fx.wolverhamptonId,
      version: 1,
      name: "Wolverhampton Together",
      areaCode: "E08000031",
    });
    const lead = await fx.caller("lead");
    const trail = await lead.audit.forPartnership({ partnershipId: fx.coventryId });
    expect(trail.length).toBeGreaterThan(0);
    expect(trail.every((e) => e.partnershipId === fx.coventryId)).toBe(true);
    const all = await admin.audit.list({ entity: "partnership", action: "update" });
    expect(all.map((e) => (e.after as { name: string }).name)).toEqual(["Wolverhampton Together"]);
  });
});

describe("text with U+0000", () => {
  it("is refused at the door on every engine, with a clear message", async () => {
    fx = await createFixture();
    const admin = await fx.caller("admin");
    await expect(
      admin.partnership.create({ name: "Nul\u0000Partnership", areaCode: "E08000026" }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Text may not contain the NUL character (U+0000)",
    });
    // A backslash followed by "u0000" is ordinary text.
    await expect(
      admin.partnership.create({ name: "Literal \\u0000 text", areaCode: "E08000026" }),
    ).resolves.toMatchObject({
      name: "Literal \\u0000 text",
    });
  });
});
