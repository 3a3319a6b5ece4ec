import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { appRouter } from "./root.ts";
import {
  ACTORS,
  type Actor,
  createFixture,
  type Fixture,
  procedureAt,
  TEST_PASSWORD,
} from "./testing/fixtures.ts";

type Access = "allow" | "deny";
const everyone: Record<Actor, Access> = {
  anonymous: "allow",
  viewer: "allow",
  contributor: "allow",
  editor: "allow",
  lead: "allow",
  otherLead: "allow",
  admin: "allow",
};
const signedIn = { ...everyone, anonymous: "deny" } as const;
const adminOnly: Record<Actor, Access> = {
  anonymous: "deny",
  viewer: "deny",
  contributor: "deny",
  editor: "deny",
  lead: "deny",
  otherLead: "deny",
  admin: "allow",
};
const coventryMembersAndAdmin: Record<Actor, Access> = { ...signedIn, otherLead: "deny" };
const coventryLead: Record<Actor, Access> = { ...adminOnly, admin: "deny", lead: "allow" };

/**
 * Every procedure: who may call it, and an input to call it with. A procedure added to the
 * router without a row here fails the first test.
 */
const MATRIX: Record<
  string,
  { access: Record<Actor, Access>; input: (fx: Fixture) => Promise<unknown> | unknown }
> = {
  "area.list": { access: everyone, input: () => undefined },
  "indicator.list": { access: everyone, input: () => undefined },
  "indicator.byCode": { access: everyone, input: () => ({ code: "NI 151" }) },
  "observation.series": {
    access: everyone,
    input: () => ({ indicatorCode: "NI 151", areaCodes: ["E08000026"] }),
  },
  "auth.me": { access: everyone, input: () => undefined },
  "auth.signIn": { access: everyone, input: () => ({ email: ACTORS.viewer, password: TEST_PASSWORD }) },
  "auth.acceptInvite": {
    access: everyone,
    input: () => ({ token: "x".repeat(43), password: "a brand new password" }),
  },
  "auth.signOut": { access: signedIn, input: () => undefined },
  "auth.changePassword": {
    access: signedIn,
    input: () => ({ currentPassword: TEST_PASSWORD, newPassword: "another long password" }),
  },
  "partnership.mine": { access: signedIn, input: () => undefined },
  "partnership.byId": { access: coventryMembersAndAdmin, input: (fx) => ({ partnershipId: fx.coventryId }) },
  "partnership.list": { access: adminOnly, input: () => undefined },
  "partnership.create": {
    access: adminOnly,
    input: () => ({ name: "West Midlands Forum", areaCode: "E12000005" }),
  },
  "partnership.update": {
    access: adminOnly,
    input: (fx) => ({ id: fx.coventryId, version: 1, name: "Coventry Together", areaCode: "E08000026" }),
  },
  "membership.add": {
    access: adminOnly,
    input: async (fx) => ({
      userId: await fx.userId(ACTORS.viewer),
      partnershipId: fx.wolverhamptonId,
      role: "viewer",
    }),
  },
  "membership.changeRole": {
    access: adminOnly,
    input: async (fx) => ({ ...(await membershipOf(fx, ACTORS.viewer)), role: "editor" }),
  },
  "membership.remove": { access: adminOnly, input: (fx) => membershipOf(fx, ACTORS.viewer) },
  "user.list": { access: adminOnly, input: () => undefined },
  "user.invite": {
    access: adminOnly,
    input: (fx) => ({
      email: "new.person@coventry.example",
      displayName: "New Person",
      isAdmin: false,
      membership: { partnershipId: fx.coventryId, role: "viewer" },
    }),
  },
  "user.update": {
    access: adminOnly,
    input: async (fx) => ({
      id: await fx.userId(ACTORS.viewer),
      version: 1,
      displayName: "Vi V.",
      isAdmin: false,
    }),
  },
  "user.deactivate": {
    access: adminOnly,
    input: async (fx) => ({ id: await fx.userId(ACTORS.viewer), version: 1 }),
  },
  "user.reactivate": {
    access: adminOnly,
    input: async (fx) => ({ id: await fx.userId(ACTORS.viewer), version: 1 }),
  },
  "audit.list": { access: adminOnly, input: () => ({}) },
  "audit.forPartnership": { access: coventryLead, input: (fx) => ({ partnershipId: fx.coventryId }) },
};

async function membershipOf(fx: Fixture, email: string) {
  const userId = await fx.userId(email);
  const m = await fx.db
    .selectFrom("membership")
    .select(["id", "version"])
    .where("user_id", "=", userId)
    .where("partnership_id", "=", fx.coventryId)
    .executeTakeFirstOrThrow();
  return { id: m.id, version: m.version };
}

describe("authorization matrix", () => {
  it("has an entry for every procedure in the router", () => {
    const procedures = Object.keys(appRouter._def.procedures).sort();
    expect(procedures).toEqual(Object.keys(MATRIX).sort());
  });

  const actors = Object.keys(ACTORS) as Actor[];
  for (const [path, spec] of Object.entries(MATRIX)) {
    it.each(actors)(`${path} as %s`, async (actor) => {
      const fx = await createFixture();
      try {
        const call = procedureAt(await fx.caller(actor), path);
        const outcome = await call(await spec.input(fx)).then(
          () => "allow" as const,
          (error: unknown) => {
            if (!(error instanceof TRPCError)) throw error;
            if (error.code === "UNAUTHORIZED" || error.code === "FORBIDDEN") return "deny" as const;
            // Any other answer (not found, bad request, conflict) means the gate let the call in.
            return "allow" as const;
          },
        );
        expect(outcome).toBe(spec.access[actor]);
      } finally {
        await fx.db.destroy();
      }
    });
  }
});
