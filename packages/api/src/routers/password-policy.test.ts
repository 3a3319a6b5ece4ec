import { checkPasswordStrength } from "@fivestep/domain/password-strength";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterEach, describe, expect, it } from "vitest";
import { randomPassword } from "../auth/password.ts";
import { createContextInner } from "../context.ts";
import { appRouter } from "../root.ts";
import { ACTORS, createFixture, type Fixture, TEST_PASSWORD } from "../testing/fixtures.ts";

let fx: Fixture;
afterEach(async () => {
  await fx?.db.destroy();
});

const tooGuessable = (field: string, warning?: string) => ({
  code: "BAD_REQUEST",
  cause: {
    field,
    reason: { code: "password-too-guessable", ...(warning ? { warning } : {}) },
  },
});

/** The editor can still sign in with the old password: a refused change changed nothing. */
async function stillSignsInWithTheOldPassword() {
  const anon = await fx.caller("anonymous", { ip: "10.1.1.1" });
  await expect(anon.auth.signIn({ email: ACTORS.editor, password: TEST_PASSWORD })).resolves.toBeTruthy();
}

describe("password policy on a password change", () => {
  it("refuses aaaaaaaaaaaa on the newPassword field, saying it is a repeat", async () => {
    fx = await createFixture();
    const editor = await fx.caller("editor");
    await expect(
      editor.auth.changePassword({ currentPassword: TEST_PASSWORD, newPassword: "aaaaaaaaaaaa" }),
    ).rejects.toMatchObject(tooGuessable("newPassword", "simpleRepeat"));
    await stillSignsInWithTheOldPassword();
  });

  it("refuses 123456789012", async () => {
    fx = await createFixture();
    const editor = await fx.caller("editor");
    await expect(
      editor.auth.changePassword({ currentPassword: TEST_PASSWORD, newPassword: "123456789012" }),
    ).rejects.toMatchObject(tooGuessable("newPassword"));
    await stillSignsInWithTheOldPassword();
  });

  it("refuses a password made of the person's email address and name", async () => {
    fx = await createFixture();
    const editor = await fx.caller("editor");
    // The editor is "Ed Editor (Coventry)", editor@coventry.example.
    for (const newPassword of ["editor@coventry.example", "Ed Editor Coventry", "coventry.editor.fivestep"]) {
      await expect(
        editor.auth.changePassword({ currentPassword: TEST_PASSWORD, newPassword }),
        newPassword,
      ).rejects.toMatchObject(tooGuessable("newPassword", "userInputs"));
    }
    await stillSignsInWithTheOldPassword();
  });

  it("checks the current password before judging the new one", async () => {
    fx = await createFixture();
    const editor = await fx.caller("editor");
    await expect(
      editor.auth.changePassword({ currentPassword: "not the password", newPassword: "aaaaaaaaaaaa" }),
    ).rejects.toMatchObject({ cause: { field: "currentPassword" } });
  });

  it("accepts a strong passphrase", async () => {
    fx = await createFixture();
    const editor = await fx.caller("editor");
    await expect(
      editor.auth.changePassword({
        currentPassword: TEST_PASSWORD,
        newPassword: "violet tractor mango lantern",
      }),
    ).resolves.toMatchObject({ otherSessionsEnded: expect.any(Number) });
    const anon = await fx.caller("anonymous", { ip: "10.1.1.2" });
    await expect(
      anon.auth.signIn({ email: ACTORS.editor, password: "violet tractor mango lantern" }),
    ).resolves.toBeTruthy();
  });

  it("sends the codes over HTTP for the apps to translate", async () => {
    fx = await createFixture();
    const session = await fx.session("editor");
    const res = await fetchRequestHandler({
      endpoint: "/trpc",
      router: appRouter,
      req: new Request("http://localhost/trpc/auth.changePassword", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ currentPassword: TEST_PASSWORD, newPassword: "aaaaaaaaaaaa" }),
      }),
      createContext: () => createContextInner({ db: fx.db, session }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: { data: { zodError: unknown; fieldReasons: unknown } };
    };
    expect(body.error.data.zodError).toEqual({
      formErrors: [],
      fieldErrors: { newPassword: [expect.stringContaining("too easy to guess")] },
    });
    expect(body.error.data.fieldReasons).toEqual({
      newPassword: {
        code: "password-too-guessable",
        warning: "simpleRepeat",
        suggestions: ["anotherWord", "repeated"],
      },
    });
  });
});

describe("password policy on accepting an invitation", () => {
  async function invite() {
    const admin = await fx.caller("admin");
    const { inviteToken } = await admin.user.invite({
      email: "mira.kovac@coventry.example",
      displayName: "Mira Kovač",
      membership: { partnershipId: fx.coventryId, role: "viewer" },
    });
    return inviteToken;
  }

  it("refuses weak passwords on the password field and keeps the link usable", async () => {
    fx = await createFixture();
    const token = await invite();
    const anon = await fx.caller("anonymous");
    await expect(anon.auth.acceptInvite({ token, password: "aaaaaaaaaaaa" })).rejects.toMatchObject(
      tooGuessable("password", "simpleRepeat"),
    );
    await expect(anon.auth.acceptInvite({ token, password: "123456789012" })).rejects.toMatchObject(
      tooGuessable("password"),
    );
    await expect(anon.auth.acceptInvite({ token, password: "Mira Kovač mira.kovac" })).rejects.toMatchObject(
      tooGuessable("password", "userInputs"),
    );
    const me = await anon.auth.acceptInvite({ token, password: "quarry lantern biscuit meadow" });
    expect(me).toMatchObject({ email: "mira.kovac@coventry.example" });
  });

  it("says the link is not valid before judging the password", async () => {
    fx = await createFixture();
    const anon = await fx.caller("anonymous");
    await expect(
      anon.auth.acceptInvite({ token: "x".repeat(43), password: "aaaaaaaaaaaa" }),
    ).rejects.toMatchObject({ cause: { field: "token" } });
  });
});

describe("generated passwords", () => {
  it("always pass the policy (demo accounts and create-admin print them)", () => {
    for (let i = 0; i < 100; i++) {
      const password = randomPassword();
      expect(
        checkPasswordStrength(password, ["admin@fivestep.example", "Demo Administrator"]),
        password,
      ).toMatchObject({ ok: true });
    }
  });
});
