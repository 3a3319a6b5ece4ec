import { listAudit } from "@fivestep/db";
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

type Changed = { entity: string; entityId: number; action: string };

/**
 * Every mutation: who performs it, with what, and which records it changes. The test checks
 * exactly one audit entry per changed record, and that the entry's before/after match the
 * record's versions before and after the call.
 */
const SCENARIOS: Record<
  string,
  {
    actor: Actor;
    /** Who the trail should name, when not the caller (signing in, accepting an invitation). */
    actsAs?: string;
    input: (fx: Fixture) => Promise<unknown>;
    changed: (fx: Fixture, result: unknown) => Promise<Changed[]>;
  }
> = {
  "auth.signIn": {
    actor: "anonymous",
    actsAs: ACTORS.editor,
    input: async () => ({ email: ACTORS.editor, password: TEST_PASSWORD }),
    changed: async (fx) => [
      { entity: "app_user", entityId: await fx.userId(ACTORS.editor), action: "sign-in" },
    ],
  },
  "auth.signOut": {
    actor: "editor",
    input: async () => undefined,
    changed: async (fx) => [
      { entity: "app_user", entityId: await fx.userId(ACTORS.editor), action: "sign-out" },
    ],
  },
  "auth.changePassword": {
    actor: "editor",
    input: async () => ({ currentPassword: TEST_PASSWORD, newPassword: "a completely new password" }),
    changed: async (fx) => [
      { entity: "app_user", entityId: await fx.userId(ACTORS.editor), action: "change-password" },
    ],
  },
  "auth.acceptInvite": {
    actor: "anonymous",
    actsAs: "invitee@coventry.example",
    input: async (fx) => {
      const admin = await fx.caller("admin");
      const { inviteToken } = await admin.user.invite({
        email: "invitee@coventry.example",
        displayName: "Invitee",
      });
      return { token: inviteToken, password: "my own long password" };
    },
    changed: async (fx) => [
      { entity: "app_user", entityId: await fx.userId("invitee@coventry.example"), action: "accept-invite" },
    ],
  },
  "partnership.create": {
    actor: "admin",
    input: async () => ({ name: "Black Country Forum", areaCode: "E12000005" }),
    changed: async (_fx, r) => [
      { entity: "partnership", entityId: (r as { id: number }).id, action: "create" },
    ],
  },
  "partnership.update": {
    actor: "admin",
    input: async (fx) => ({
      id: fx.coventryId,
      version: 1,
      name: "Coventry Together",
      areaCode: "E08000026",
    }),
    changed: async (fx) => [{ entity: "partnership", entityId: fx.coventryId, action: "update" }],
  },
  "membership.add": {
    actor: "admin",
    input: async (fx) => ({
      userId: await fx.userId(ACTORS.viewer),
      partnershipId: fx.wolverhamptonId,
      role: "viewer",
    }),
    changed: async (_fx, r) => [
      { entity: "membership", entityId: (r as { id: number }).id, action: "create" },
    ],
  },
  "membership.changeRole": {
    actor: "admin",
    input: async (fx) => ({ ...(await coventryMembership(fx, ACTORS.viewer)), role: "contributor" }),
    changed: async (_fx, r) => [
      { entity: "membership", entityId: (r as { id: number }).id, action: "update" },
    ],
  },
  "membership.remove": {
    actor: "admin",
    input: async (fx) => coventryMembership(fx, ACTORS.viewer),
    changed: async (fx) => [{ entity: "membership", entityId: removedId.get(fx) ?? -1, action: "delete" }],
  },
  "user.invite": {
    actor: "admin",
    input: async (fx) => ({
      email: "third@coventry.example",
      displayName: "Third Person",
      membership: { partnershipId: fx.coventryId, role: "editor" },
    }),
    changed: async (fx, r) => {
      const userId = (r as { user: { id: number } }).user.id;
      const m = await fx.db
        .selectFrom("membership")
        .select("id")
        .where("user_id", "=", userId)
        .executeTakeFirstOrThrow();
      return [
        { entity: "app_user", entityId: userId, action: "invite" },
        { entity: "membership", entityId: m.id, action: "create" },
      ];
    },
  },
  "user.update": {
    actor: "admin",
    input: async (fx) => ({
      id: await fx.userId(ACTORS.viewer),
      version: 1,
      displayName: "Vi V.",
      isAdmin: false,
    }),
    changed: async (fx) => [
      { entity: "app_user", entityId: await fx.userId(ACTORS.viewer), action: "update" },
    ],
  },
  "user.deactivate": {
    actor: "admin",
    input: async (fx) => ({ id: await fx.userId(ACTORS.viewer), version: 1 }),
    changed: async (fx) => [
      { entity: "app_user", entityId: await fx.userId(ACTORS.viewer), action: "deactivate" },
    ],
  },
  "user.reactivate": {
    actor: "admin",
    input: async (fx) => {
      const id = await fx.userId(ACTORS.viewer);
      await (await fx.caller("admin")).user.deactivate({ id, version: 1 });
      return { id, version: 2 };
    },
    changed: async (fx) => [
      { entity: "app_user", entityId: await fx.userId(ACTORS.viewer), action: "reactivate" },
    ],
  },
};

const removedId = new WeakMap<Fixture, number>();
async function coventryMembership(fx: Fixture, email: string) {
  const userId = await fx.userId(email);
  const m = await fx.db
    .selectFrom("membership")
    .select(["id", "version"])
    .where("user_id", "=", userId)
    .where("partnership_id", "=", fx.coventryId)
    .executeTakeFirstOrThrow();
  removedId.set(fx, m.id);
  return { id: m.id, version: m.version };
}

const TABLE_OF: Record<string, "app_user" | "membership" | "partnership"> = {
  app_user: "app_user",
  membership: "membership",
  partnership: "partnership",
};

describe("audit trail", () => {
  it("has a scenario for every mutation in the router", () => {
    const mutations = Object.entries(appRouter._def.procedures)
      .filter(([, p]) => (p as unknown as { _def: { type: string } })._def.type === "mutation")
      .map(([path]) => path)
      .sort();
    expect(mutations).toEqual(Object.keys(SCENARIOS).sort());
  });

  for (const [path, scenario] of Object.entries(SCENARIOS)) {
    it(`${path} leaves one entry per changed record with correct before and after`, async () => {
      const fx = await createFixture();
      try {
        const input = await scenario.input(fx);
        const caller = await fx.caller(scenario.actor);
        const lastId =
          (
            await fx.db
              .selectFrom("audit_event")
              .select((eb) => eb.fn.max("id").as("m"))
              .executeTakeFirst()
          )?.m ?? 0;
        // Versions before the call, for every row of the tables that carry one.
        const versionsBefore = new Map<string, number>();
        for (const table of Object.values(TABLE_OF)) {
          for (const r of await fx.db.selectFrom(table).select(["id", "version"]).execute()) {
            versionsBefore.set(`${table}:${r.id}`, r.version);
          }
        }
        const result = await procedureAt(caller, path)(input);
        const changed = await scenario.changed(fx, result);
        const events = (await listAudit(fx.db, { limit: 200 }))
          .filter((e) => e.id > Number(lastId))
          .reverse();

        expect(
          events.map((e) => ({ entity: e.entity, entityId: Number(e.entityId), action: e.action })),
        ).toEqual(changed);
        const actorEmail = scenario.actsAs ?? ACTORS[scenario.actor];
        const expectedActor = actorEmail ? await fx.userId(actorEmail) : null;
        for (const e of events) {
          expect(e.actorUserId).toBe(expectedActor);
          expect(e.requestId).toBe(`test-${scenario.actor}`);
          const table = TABLE_OF[e.entity];
          const current = table
            ? await fx.db
                .selectFrom(table)
                .select("version")
                .where("id", "=", Number(e.entityId))
                .executeTakeFirst()
            : undefined;
          const before = e.before as { version?: number } | null;
          const after = e.after as { version?: number } | null;
          if (before?.version !== undefined)
            expect(before.version).toBe(versionsBefore.get(`${table}:${e.entityId}`));
          if (after?.version !== undefined) expect(after.version).toBe(current?.version);
          if (e.action === "delete") expect(current).toBeUndefined();
          if (e.action === "create" || e.action === "invite") expect(e.before).toBeNull();
          // Secrets never reach the trail.
          expect(JSON.stringify([e.before, e.after])).not.toMatch(/argon2|password_hash|invite_token/);
        }
      } finally {
        await fx.db.destroy();
      }
    });
  }

  it("records nothing when the change is refused", async () => {
    const fx = await createFixture();
    try {
      const admin = await fx.caller("admin");
      const before = await listAudit(fx.db, { limit: 500 });
      const id = await fx.userId(ACTORS.viewer);
      await expect(
        admin.user.update({ id, version: 7, displayName: "Stale", isAdmin: false }),
      ).rejects.toMatchObject({
        code: "CONFLICT",
      });
      expect(await listAudit(fx.db, { limit: 500 })).toHaveLength(before.length);
    } finally {
      await fx.db.destroy();
    }
  });
});
