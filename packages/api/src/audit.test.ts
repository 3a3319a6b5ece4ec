import { DEMO_INDICATORS, listAudit, type VersionedTable } from "@fivestep/db";
import { describe, expect, it } from "vitest";
import { appRouter } from "./root.ts";
import { APPROVAL_SCENARIOS } from "./testing/approval-cases.ts";
import {
  ACTORS,
  type Actor,
  createFixture,
  type Fixture,
  procedureAt,
  TEST_PASSWORD,
} from "./testing/fixtures.ts";
import { JOBS_SCENARIOS } from "./testing/jobs-cases.ts";
import { MONITORING_SCENARIOS } from "./testing/monitoring-cases.ts";
import { PLAN_SCENARIOS } from "./testing/plan-scenarios.ts";
import { TOKEN_SCENARIOS } from "./testing/token-cases.ts";

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
  "auth.saveEmailSettings": {
    actor: "editor",
    input: async () => ({
      locale: "hr-HR",
      dataReturns: false,
      actions: true,
      targets: true,
      weeklyDigest: true,
    }),
    changed: async (fx) => [
      { entity: "app_user", entityId: await fx.userId(ACTORS.editor), action: "update-email-settings" },
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

const DATA_CSV = "code,when,value\nE08000026,2007 Q3,73.1\nE08000026,2007 Q2,72.5\n";
const DATA_MAPPING = {
  source: "Test",
  indicatorCode: "NI 151",
  columns: { area: "code", period: "when", value: "value" },
};
const previewed = async (fx: Fixture) => {
  const fileId = await fx.upload("data.csv", DATA_CSV);
  await (await fx.caller("admin")).imports.preview({ fileId, mapping: DATA_MAPPING });
  return fileId;
};
const idOf = async (fx: Fixture, table: "indicator" | "area", code: string) =>
  (await fx.db.selectFrom(table).select("id").where("code", "=", code).executeTakeFirstOrThrow()).id;
const groupOf = async (fx: Fixture) =>
  (await (await fx.caller("admin")).comparatorGroup.create({ name: "Pair", areaCodes: ["E08000026"] })).id;

const CATALOGUE_SCENARIOS: typeof SCENARIOS = {
  "indicator.create": {
    actor: "admin",
    input: async () => ({
      code: "LOCAL 1",
      title: "Local",
      valueType: "count",
      polarity: "no-judgement",
      frequency: "annual",
    }),
    changed: async (_fx, r) => [
      { entity: "indicator", entityId: (r as { id: number }).id, action: "create" },
    ],
  },
  "indicator.update": {
    actor: "admin",
    input: async () => ({
      ...DEMO_INDICATORS[0],
      title: "Employment rate",
      version: 1,
      changeNote: "Shorter title",
    }),
    changed: async (fx) => [
      { entity: "indicator", entityId: await idOf(fx, "indicator", "NI 151"), action: "update" },
    ],
  },
  "indicator.setStatus": {
    actor: "admin",
    input: async () => ({ code: "NI 151", version: 1, status: "retired", year: 2011 }),
    changed: async (fx) => [
      { entity: "indicator", entityId: await idOf(fx, "indicator", "NI 151"), action: "set-status" },
    ],
  },
  "area.create": {
    actor: "admin",
    input: async () => ({ code: "E08000025", name: "Birmingham", type: "district", parentCode: "E12000005" }),
    changed: async (_fx, r) => [{ entity: "area", entityId: (r as { id: number }).id, action: "create" }],
  },
  "area.update": {
    actor: "admin",
    input: async () => ({
      code: "E08000026",
      version: 1,
      name: "Coventry MD",
      type: "district",
      parentCode: "E12000005",
    }),
    changed: async (fx) => [
      { entity: "area", entityId: await idOf(fx, "area", "E08000026"), action: "update" },
    ],
  },
  "area.import": {
    actor: "admin",
    input: async (fx) => ({
      fileId: await fx.upload(
        "lookup.csv",
        "LAD19CD,LAD19NM,RGN19CD,RGN19NM\nE08000025,Birmingham,E12000005,West Midlands\n",
      ),
    }),
    changed: async (_fx, r) => [
      { entity: "area_import", entityId: (r as { fileId: number }).fileId, action: "import" },
    ],
  },
  "comparatorGroup.create": {
    actor: "admin",
    input: async () => ({ name: "Pair", areaCodes: ["E08000026", "E08000031"] }),
    changed: async (_fx, r) => [
      { entity: "comparator_group", entityId: (r as { id: number }).id, action: "create" },
    ],
  },
  "comparatorGroup.update": {
    actor: "admin",
    input: async (fx) => ({ id: await groupOf(fx), version: 1, name: "Coventry and friends" }),
    changed: async (_fx, r) => [
      { entity: "comparator_group", entityId: (r as { id: number }).id, action: "update" },
    ],
  },
  "comparatorGroup.addAreas": {
    actor: "admin",
    input: async (fx) => ({ id: await groupOf(fx), version: 1, areaCodes: ["E08000031"] }),
    changed: async (_fx, r) => [
      { entity: "comparator_group", entityId: (r as { id: number }).id, action: "update" },
    ],
  },
  "comparatorGroup.removeArea": {
    actor: "admin",
    input: async (fx) => ({ id: await groupOf(fx), version: 1, areaCode: "E08000026" }),
    changed: async (_fx, r) => [
      { entity: "comparator_group", entityId: (r as { id: number }).id, action: "update" },
    ],
  },
  "imports.preview": {
    actor: "admin",
    input: async (fx) => ({ fileId: await fx.upload("data.csv", DATA_CSV), mapping: DATA_MAPPING }),
    changed: async (_fx, r) => [
      { entity: "import_file", entityId: (r as { fileId: number }).fileId, action: "preview" },
    ],
  },
  "imports.commit": {
    actor: "admin",
    input: async (fx) => ({ fileId: await previewed(fx) }),
    changed: async (_fx, r) => [
      {
        entity: "import_batch",
        entityId: (r as { result: { batchId: number } }).result.batchId,
        action: "import",
      },
    ],
  },
  "observation.write": {
    actor: "admin",
    input: async () => ({
      source: "Council returns",
      observations: [{ indicatorCode: "NI 151", areaCode: "E08000026", period: "2007 Q3", value: 73.1 }],
    }),
    changed: async (_fx, r) => {
      const { fileId, batchId } = r as { fileId: number; batchId: number };
      return [
        { entity: "import_file", entityId: fileId, action: "upload" },
        { entity: "import_batch", entityId: batchId, action: "import" },
      ];
    },
  },
  "imports.saveMapping": {
    actor: "admin",
    input: async () => ({ name: "Test", mapping: DATA_MAPPING }),
    changed: async (_fx, r) => [
      { entity: "import_mapping", entityId: (r as { id: number }).id, action: "create" },
    ],
  },
  "imports.addAreas": {
    actor: "admin",
    input: async () => ({
      areas: [
        { code: "E06000061", name: "North Northamptonshire", type: "district", parentCode: "E12000005" },
        { code: "E05015239", name: "Altrincham", type: "ward", parentCode: "E08000026" },
      ],
    }),
    changed: async (_fx, r) =>
      (r as { created: Array<{ id: number }> }).created.map((a) => ({
        entity: "area",
        entityId: a.id,
        action: "create",
      })),
  },
  "imports.rollback": {
    actor: "admin",
    input: async (fx) => {
      const r = await (await fx.caller("admin")).imports.commit({ fileId: await previewed(fx) });
      if (!r.ok || r.result.batchId === null) throw new Error("scenario: the commit wrote nothing");
      return { batchId: r.result.batchId, version: 1 };
    },
    changed: async (_fx, r) => [
      { entity: "import_batch", entityId: (r as { batchId: number }).batchId, action: "rollback" },
    ],
  },
};
Object.assign(
  SCENARIOS,
  CATALOGUE_SCENARIOS,
  PLAN_SCENARIOS,
  MONITORING_SCENARIOS,
  APPROVAL_SCENARIOS,
  JOBS_SCENARIOS,
  TOKEN_SCENARIOS,
);

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

const TABLE_OF: Record<string, VersionedTable> = {
  api_token: "api_token",
  app_user: "app_user",
  area: "area",
  comparator_group: "comparator_group",
  data_return: "data_return",
  import_batch: "import_batch",
  import_file: "import_file",
  import_mapping: "import_mapping",
  indicator: "indicator",
  membership: "membership",
  partnership: "partnership",
  plan: "plan",
  plan_item: "plan_item",
  priority: "priority",
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
          expect(JSON.stringify([e.before, e.after])).not.toMatch(
            /argon2|password_hash|invite_token|fst_[\w-]{20}|"hash"/,
          );
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
