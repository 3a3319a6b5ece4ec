import { DEMO_INDICATORS } from "@fivestep/db";
import { testEngine } from "@fivestep/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, describe, expect, it } from "vitest";
import { TOKEN_SCOPE_PROCEDURES } from "./auth/tokens.ts";
import { appRouter } from "./root.ts";
import { APPROVAL_MATRIX } from "./testing/approval-cases.ts";
import {
  ACTORS,
  type Actor,
  createFixture,
  type Fixture,
  procedureAt,
  TEST_PASSWORD,
} from "./testing/fixtures.ts";
import {
  type CoventryRecords,
  changedTables,
  coventryRecords,
  FOREIGN_MARK,
  FOREIGN_OFFSET,
  foreignRows,
  type IdSlot,
  idSlots,
  mirrorCoventry,
  schemaIdFields,
  snapshotTables,
  withIds,
} from "./testing/foreign-records.ts";
import { JOBS_MATRIX, JOBS_NOT_SWEPT } from "./testing/jobs-cases.ts";
import { MONITORING_MATRIX } from "./testing/monitoring-cases.ts";
import { planFixture } from "./testing/plan-fixture.ts";
import { makeToken, TOKEN_ACTORS, TOKEN_MATRIX, tokenCaller } from "./testing/token-cases.ts";

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
const coventryEditors: Record<Actor, Access> = { ...coventryLead, editor: "allow" };

/**
 * Every procedure: who may call it, and an input to call it with. A procedure added to the
 * router without a row here fails the first test.
 */
const MATRIX: Record<
  string,
  { access: Record<Actor, Access>; input: (fx: Fixture) => Promise<unknown> | unknown }
> = {
  "plan.list": { access: coventryMembersAndAdmin, input: (fx) => ({ partnershipId: fx.coventryId }) },
  "plan.byId": {
    access: coventryMembersAndAdmin,
    input: async (fx) => ({ partnershipId: fx.coventryId, planId: (await planFixture(fx)).planId }),
  },
  "plan.overview": {
    access: coventryMembersAndAdmin,
    input: async (fx) => ({ partnershipId: fx.coventryId, planId: (await planFixture(fx)).planId }),
  },
  "plan.compare": {
    access: coventryMembersAndAdmin,
    input: async (fx) => {
      const { planId } = await planFixture(fx);
      return { partnershipId: fx.coventryId, fromPlanId: planId, toPlanId: planId };
    },
  },
  "plan.create": {
    access: coventryEditors,
    input: (fx) => ({ partnershipId: fx.coventryId, title: "A new plan", startYear: 2011 }),
  },
  "plan.update": {
    access: coventryEditors,
    input: async (fx) => ({
      partnershipId: fx.coventryId,
      planId: (await planFixture(fx)).planId,
      version: 1,
      title: "Renamed",
      startYear: 2008,
    }),
  },
  "plan.setStatus": {
    access: coventryLead,
    input: async (fx) => ({
      partnershipId: fx.coventryId,
      planId: (await planFixture(fx)).planId,
      version: 1,
      status: "submitted",
    }),
  },
  "plan.refresh": {
    access: coventryLead,
    input: async (fx) => ({ partnershipId: fx.coventryId, planId: (await planFixture(fx)).planId }),
  },
  "priority.byId": {
    access: coventryMembersAndAdmin,
    input: async (fx) => ({ partnershipId: fx.coventryId, priorityId: (await planFixture(fx)).priorityId }),
  },
  "priority.analysis": {
    access: coventryMembersAndAdmin,
    input: async (fx) => ({ partnershipId: fx.coventryId, itemId: (await planFixture(fx)).indicatorItemId }),
  },
  "priority.areaProfile": {
    access: coventryMembersAndAdmin,
    input: (fx) => ({ partnershipId: fx.coventryId }),
  },
  "priority.create": {
    access: coventryEditors,
    input: async (fx) => ({
      partnershipId: fx.coventryId,
      planId: (await planFixture(fx)).planId,
      theme: "Crime",
      title: "To reduce crime",
      ownerName: "Police",
    }),
  },
  "priority.update": {
    access: coventryEditors,
    input: async (fx) => ({
      partnershipId: fx.coventryId,
      priorityId: (await planFixture(fx)).priorityId,
      version: 1,
      theme: "Economy",
      title: "Jobs",
      ownerName: "Head of Economy",
    }),
  },
  "priority.reorder": {
    access: coventryEditors,
    input: async (fx) => {
      const p = await planFixture(fx);
      return { partnershipId: fx.coventryId, planId: p.planId, priorityIds: [p.priorityId] };
    },
  },
  "priority.remove": {
    access: coventryEditors,
    input: async (fx) => ({
      partnershipId: fx.coventryId,
      priorityId: (await planFixture(fx)).priorityId,
      version: 1,
    }),
  },
  "item.save": {
    access: coventryEditors,
    input: async (fx) => ({
      partnershipId: fx.coventryId,
      priorityId: (await planFixture(fx)).priorityId,
      item: { kind: "communication", data: { audience: "community", message: "How job creation is going" } },
    }),
  },
  "item.remove": {
    access: coventryEditors,
    input: async (fx) => ({
      partnershipId: fx.coventryId,
      id: (await planFixture(fx)).evidenceItemId,
      version: 1,
    }),
  },
  "item.addActionUpdate": {
    access: { ...coventryEditors, contributor: "allow" },
    input: async (fx) => ({
      partnershipId: fx.coventryId,
      actionId: (await planFixture(fx)).actionItemId,
      date: "2008-07-01",
      note: "Lease signed",
      percentComplete: 20,
    }),
  },
  "item.saveChangePointNote": {
    access: coventryEditors,
    input: async (fx) => ({
      partnershipId: fx.coventryId,
      itemId: (await planFixture(fx)).indicatorItemId,
      period: "2006 Q3",
      note: "Plant closure",
    }),
  },
  "item.publishPractice": {
    access: coventryEditors,
    input: async (fx) => ({
      partnershipId: fx.coventryId,
      optionId: (await planFixture(fx)).optionItemId,
      outcome: "Registrations rose",
    }),
  },
  "item.searchPractice": { access: signedIn, input: () => ({ indicatorCode: "NI 151" }) },
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
  "auth.emailSettings": { access: signedIn, input: () => undefined },
  "auth.saveEmailSettings": {
    access: signedIn,
    input: () => ({ locale: "hr-HR", dataReturns: true, actions: false, targets: true }),
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
  "indicator.sets": { access: everyone, input: () => undefined },
  "indicator.history": { access: everyone, input: () => ({ code: "NI 151" }) },
  "indicator.create": { access: adminOnly, input: () => NEW_INDICATOR },
  "indicator.update": { access: adminOnly, input: () => ({ ...DEMO_INDICATORS[0], version: 1 }) },
  "indicator.setStatus": {
    access: adminOnly,
    input: () => ({ code: "NI 151", version: 1, status: "retired" }),
  },
  "area.byCode": { access: everyone, input: () => ({ code: "E08000026" }) },
  "area.types": { access: everyone, input: () => undefined },
  "area.create": {
    access: adminOnly,
    input: () => ({ code: "E08000025", name: "Birmingham", type: "district", parentCode: "E12000005" }),
  },
  "area.update": {
    access: adminOnly,
    input: () => ({
      code: "E08000026",
      version: 1,
      name: "Coventry",
      type: "district",
      parentCode: "E12000005",
    }),
  },
  "area.import": {
    access: adminOnly,
    input: async (fx) => ({ fileId: await fx.upload("lookup.csv", LOOKUP_CSV) }),
  },
  "comparatorGroup.list": { access: everyone, input: () => undefined },
  "comparatorGroup.byId": { access: everyone, input: () => ({ id: 1 }) },
  "comparatorGroup.create": { access: adminOnly, input: () => ({ name: "Pair", areaCodes: ["E08000026"] }) },
  "comparatorGroup.update": { access: adminOnly, input: () => ({ id: 1, version: 1, name: "Pair" }) },
  "comparatorGroup.addAreas": {
    access: adminOnly,
    input: () => ({ id: 1, version: 1, areaCodes: ["E08000031"] }),
  },
  "comparatorGroup.removeArea": {
    access: adminOnly,
    input: () => ({ id: 1, version: 1, areaCode: "E08000031" }),
  },
  "imports.file": {
    access: adminOnly,
    input: async (fx) => ({ fileId: await fx.upload("data.csv", DATA_CSV) }),
  },
  "imports.mappings": { access: adminOnly, input: () => undefined },
  "imports.preview": {
    access: adminOnly,
    input: async (fx) => ({ fileId: await fx.upload("data.csv", DATA_CSV), mapping: DATA_MAPPING }),
  },
  "imports.commit": {
    access: adminOnly,
    input: async (fx) => ({ fileId: await fx.upload("data.csv", DATA_CSV) }),
  },
  "imports.saveMapping": { access: adminOnly, input: () => ({ name: "Test", mapping: DATA_MAPPING }) },
  "imports.addAreas": {
    access: adminOnly,
    input: () => ({
      areas: [
        { code: "E06000061", name: "North Northamptonshire", type: "district", parentCode: "E12000005" },
      ],
    }),
  },
  "imports.status": { access: adminOnly, input: () => ({ fileId: 1 }) },
  "imports.batches": { access: adminOnly, input: () => ({}) },
  "imports.batch": { access: adminOnly, input: () => ({ batchId: 1 }) },
  "imports.revisions": { access: adminOnly, input: () => ({}) },
  "imports.rollback": { access: adminOnly, input: () => ({ batchId: 1, version: 1 }) },
  "quality.report": { access: adminOnly, input: () => ({}) },
  "audit.forPartnership": { access: coventryLead, input: (fx) => ({ partnershipId: fx.coventryId }) },
};

const NEW_INDICATOR = {
  code: "LOCAL 1",
  title: "A local indicator",
  valueType: "count",
  polarity: "no-judgement",
  frequency: "annual",
};
const LOOKUP_CSV = "LAD19CD,LAD19NM,RGN19CD,RGN19NM\nE08000026,Coventry,E12000005,West Midlands\n";
const DATA_CSV = "code,when,value\nE08000026,2007 Q3,73.1\n";
const DATA_MAPPING = {
  source: "Test",
  indicatorCode: "NI 151",
  columns: { area: "code", period: "when", value: "value" },
};

Object.assign(MATRIX, MONITORING_MATRIX, APPROVAL_MATRIX, JOBS_MATRIX, TOKEN_MATRIX);

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

  // Every procedure is called by every actor. On SQLite each call gets a database of its own. On
  // PostgreSQL a new database is a copy of a template, which costs a third of a second or more on
  // a busy machine, about all that 700 calls would spend; so there a procedure's seven calls share
  // one database. The actors it must refuse go first, so each meets the database as it was made
  // but for their sessions (unless a call before was wrongly let in, and that case fails). Then
  // come the actors it must let in, for whom any answer but UNAUTHORIZED or FORBIDDEN passes: what
  // one of them changed cannot let the next one in, since only the administrator may change
  // accounts, roles or memberships, and is the only one let in to those procedures.
  const shared = testEngine() === "postgres";
  const actors = Object.keys(ACTORS) as Actor[];
  for (const [path, spec] of Object.entries(MATRIX)) {
    const refusedFirst = [
      ...actors.filter((a) => spec.access[a] === "deny"),
      ...actors.filter((a) => spec.access[a] !== "deny"),
    ];
    describe(path, () => {
      let sharedFixture: Promise<Fixture> | undefined;
      const fixture = () => {
        if (!shared) return createFixture();
        sharedFixture ??= createFixture();
        return sharedFixture;
      };
      afterAll(async () => {
        if (sharedFixture) await (await sharedFixture).db.destroy();
      });

      it.each(refusedFirst)(`${path} as %s`, async (actor) => {
        const fx = await fixture();
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
          if (!shared) await fx.db.destroy();
        }
      });
    });
  }
});

// API tokens: a new kind of actor. Each procedure is called with a token of each scope, made by
// someone who may grant it. A token may call exactly the procedures its scope lists
// (`TOKEN_SCOPE_PROCEDURES`) that its creator may call; every other call is FORBIDDEN.
describe("authorization matrix: API tokens", () => {
  it("lists only procedures the router has, and each scope admits something", () => {
    const procedures = new Set(Object.keys(appRouter._def.procedures));
    for (const [scope, paths] of Object.entries(TOKEN_SCOPE_PROCEDURES)) {
      expect(
        paths.filter((p) => !procedures.has(p)),
        scope,
      ).toEqual([]);
      expect(paths.length, scope).toBeGreaterThan(0);
    }
  });

  it("no scope lets a token manage tokens, accounts or sign in", () => {
    const listed = Object.values(TOKEN_SCOPE_PROCEDURES).flat();
    expect(listed.filter((p) => /^(tokens|auth|user|membership)\./.test(p))).toEqual([]);
  });

  const tokenActors = Object.entries(TOKEN_ACTORS);
  for (const [path, spec] of Object.entries(MATRIX)) {
    const expected = (name: string): Access => {
      const token = TOKEN_ACTORS[name];
      if (!token) throw new Error(name);
      const listed = token.scopes.some((s) => TOKEN_SCOPE_PROCEDURES[s].includes(path));
      return listed && spec.access[token.creator] === "allow" ? "allow" : "deny";
    };
    // Refused tokens first, so they meet the database as it was made (as above).
    const order = [
      ...tokenActors.filter(([n]) => expected(n) === "deny"),
      ...tokenActors.filter(([n]) => expected(n) === "allow"),
    ].map(([n]) => n);
    it(`${path} with a token of each scope`, async () => {
      const fx = await createFixture();
      try {
        const outcomes: Record<string, string> = {};
        const wanted: Record<string, string> = {};
        for (const name of order) {
          const token = TOKEN_ACTORS[name];
          if (!token) throw new Error(name);
          const { secret } = await makeToken(fx, token);
          const call = procedureAt(await tokenCaller(fx, secret), path);
          outcomes[name] = await Promise.resolve(spec.input(fx))
            .then((input) => call(input))
            .then(
              () => "allow",
              (error: unknown) => {
                if (!(error instanceof TRPCError)) throw error;
                if (error.code === "FORBIDDEN") return "deny";
                // A token never meets UNAUTHORIZED from a procedure: it is authenticated.
                if (error.code === "UNAUTHORIZED") return "UNAUTHORIZED";
                return "allow";
              },
            );
          wanted[name] = expected(name);
        }
        expect(outcomes).toEqual(wanted);
      } finally {
        await fx.db.destroy();
      }
    });
  }
});

// Foreign records: a Coventry member names Wolverhampton's records by id.
//
// Wolverhampton holds a mirror of everything Coventry has (`mirrorCoventry`): each record's id is
// its Coventry twin's plus FOREIGN_OFFSET, and its texts carry FOREIGN_MARK. Each procedure a
// member may call that takes an id is called, with Coventry's partnershipId, on an input that
// works in Coventry, with Wolverhampton's ids put in its id fields, nested ones included: one
// field at a time (every Wolverhampton id, of any kind, for the lead; the twin for the others),
// then every field at once (the twins). Each such call must
//   - be refused: FORBIDDEN, NOT_FOUND, or BAD_REQUEST where a field is checked as belonging to
//     the partnership (an action's lead, an option's evidence); only the filters in MAY_ANSWER
//     may answer, and then with nothing of Wolverhampton's;
//   - answer exactly as it does for an id that names nothing, so nobody can learn that one exists;
//   - show nothing of Wolverhampton's (no FOREIGN_MARK in the answer or the error);
//   - change no row of any table (audit entries included).

/** Coventry members who try Wolverhampton's ids: the lead (every role check passes), an editor and a contributor. */
const FOREIGN_ACTORS = ["lead", "editor", "contributor"] as const;

/** An id that names no record in any table. */
const MISSING_ID = 999_999;

/** Id fields that name records every partnership shares, with why; these are not swept. */
const SHARED_ID_FIELDS: Record<string, string> = {
  "item.data.comparatorGroupId": "comparator groups are a catalogue shared by every partnership",
};

/** Procedures a member may call with ids that are left out of the sweep, with why. */
const NOT_SWEPT: Record<string, string> = {
  "comparatorGroup.byId": "comparator groups are a catalogue shared by every partnership",
  ...JOBS_NOT_SWEPT,
};

/**
 * Id fields that filter what the caller may already see, and so may answer (with nothing of
 * Wolverhampton's, and the same answer as for a missing id) rather than refuse.
 */
const MAY_ANSWER: Record<string, string[]> = {
  // Coventry's audit trail, by an actor or before an entry: an outsider's id just matches nothing.
  "audit.forPartnership": ["actorUserId", "cursor"],
  // Marks the caller's own notifications among those given; anyone else's are passed over.
  "monitoring.markRead": ["ids[]"],
};

/**
 * Inputs for the sweep where the matrix's one does not fill every id field or does not work in
 * Coventry as it stands; each must succeed for Coventry's lead (a test below checks).
 */
const FOREIGN_INPUTS: Record<string, (fx: Fixture, coventry: CoventryRecords) => Promise<unknown[]>> = {
  // Every kind of item, as an update of Coventry's and as a new one: evidence ids, the lead, the
  // indicator an action serves, and the plan of a plan-level item are all named by id.
  "item.save": async (fx) => {
    const items = await fx.db
      .selectFrom("plan_item as i")
      .innerJoin("plan as p", "p.id", "i.plan_id")
      .select(["i.id", "i.version", "i.kind", "i.plan_id", "i.priority_id", "i.data_json"])
      .where("p.partnership_id", "=", fx.coventryId)
      .where("p.status", "=", "draft")
      .execute();
    return items.flatMap((i) => {
      const where = i.priority_id === null ? { planId: i.plan_id } : { priorityId: i.priority_id };
      const item = { kind: i.kind, data: JSON.parse(i.data_json) };
      const created = { partnershipId: fx.coventryId, ...where, item };
      return [created, { ...created, id: i.id, version: i.version }];
    });
  },
  // Only an agreed plan can be refreshed.
  "plan.refresh": async (fx, c) => [{ partnershipId: fx.coventryId, planId: c.agreedPlanId }],
  "audit.forPartnership": async (fx, c) => [
    { partnershipId: fx.coventryId, actorUserId: await fx.userId(ACTORS.lead), cursor: c.auditEventId + 1 },
  ],
  "monitoring.markRead": async (_fx, c) => [{ ids: c.notificationIds }],
  "monitoring.publicPlan": async (_fx, c) => [{ planId: c.agreedPlanId }],
  // Only an agreed plan can be published.
  "monitoring.setPublished": async (fx, c) => [
    { partnershipId: fx.coventryId, planId: c.agreedPlanId, version: 1, published: true },
  ],
};

type ProcedureDef = { _def: { inputs: unknown[] } };
const PROCEDURES = appRouter._def.procedures as unknown as Record<string, ProcedureDef>;

/** The id fields a procedure's input accepts, other than the partnership's own. */
function idFieldsOf(path: string): string[] {
  const fields = (PROCEDURES[path]?._def.inputs ?? []).flatMap((s) => schemaIdFields(s));
  return [...new Set(fields)].filter((f) => f !== "partnershipId" && !(f in SHARED_ID_FIELDS));
}

/** Every procedure a Coventry member may call that takes an id: the ones swept. */
const SWEPT = Object.keys(MATRIX)
  .filter((path) => MATRIX[path]?.access.lead === "allow" && idFieldsOf(path).length > 0)
  .filter((path) => !(path in NOT_SWEPT))
  .sort();

/** A fresh database with Coventry's records, each swept procedure's inputs, and Wolverhampton's mirror. */
async function foreignFixture() {
  const fx = await createFixture();
  const coventry = await coventryRecords(fx);
  const inputs: Array<{ path: string; input: unknown }> = [];
  // Every input is made before the mirror, so whatever it names in Coventry has a twin.
  for (const path of SWEPT) {
    const made = FOREIGN_INPUTS[path];
    for (const input of made ? await made(fx, coventry) : [await MATRIX[path]?.input(fx)])
      inputs.push({ path, input });
  }
  const foreign = await mirrorCoventry(fx);
  return { fx, coventry, inputs, foreign };
}

/** "OK" or the error's code, and what the caller sees: the answer, or the message and its details. */
type Outcome = { code: string; text: string };

/** Calls a procedure; its answer or error, as the caller would see it. */
async function attempt(caller: unknown, path: string, input: unknown): Promise<Outcome> {
  try {
    return { code: "OK", text: JSON.stringify(await procedureAt(caller, path)(input)) ?? "" };
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return { code: error.code, text: `${error.message} ${JSON.stringify(error.cause ?? null)}` };
  }
}

/** What is wrong with a call that named Wolverhampton's records, or null when nothing is. */
function fault(call: { outcome: Outcome; missing: Outcome; changed: string[]; mayAnswer: boolean }) {
  const { outcome, missing, changed, mayAnswer } = call;
  // The ids themselves (six digits here) may differ; nothing else may.
  const seen = (o: Outcome) => `${o.code} ${o.text}`.replace(/\d{6}/g, "#").slice(0, 300);
  if (changed.length > 0) return `changed ${changed.join(", ")}`;
  if (outcome.text.includes(FOREIGN_MARK)) return `showed Wolverhampton's record: ${seen(outcome)}`;
  if (outcome.code === "OK" && !mayAnswer) return `succeeded: ${seen(outcome)}`;
  if (!["OK", "FORBIDDEN", "NOT_FOUND", "BAD_REQUEST"].includes(outcome.code))
    return `answered ${seen(outcome)}`;
  if (seen(outcome) !== seen(missing))
    return `answered "${seen(outcome)}" but "${seen(missing)}" for a missing id`;
  return null;
}

describe("foreign records", () => {
  it("sweeps every procedure a member may call with an id, and fills every id field", async () => {
    const { fx, inputs } = await foreignFixture();
    try {
      expect(SWEPT.length).toBeGreaterThan(25);
      const unfilled = SWEPT.flatMap((path) => {
        const filled = new Set(
          inputs
            .filter((i) => i.path === path)
            .flatMap((i) => idSlots(i.input))
            .map((s) => s.field),
        );
        return idFieldsOf(path)
          .filter((f) => !filled.has(f))
          .map((f) => `${path}: ${f} (add an input that fills it to FOREIGN_INPUTS)`);
      });
      expect(unfilled).toEqual([]);
    } finally {
      await fx.db.destroy();
    }
  });

  // The sweep means something only if each input works in Coventry: otherwise a refusal says
  // nothing about the id. And working in Coventry must leave Wolverhampton's records alone.
  it.each(SWEPT)("%s: its sweep inputs work in Coventry and leave Wolverhampton alone", async (path) => {
    const { fx, inputs } = await foreignFixture();
    try {
      const caller = await fx.caller("lead");
      // One after another on one database: a procedure's inputs name different records.
      for (const { input } of inputs.filter((i) => i.path === path)) {
        const before = await snapshotTables(fx.db);
        const outcome = await attempt(caller, path, input);
        expect(outcome, JSON.stringify(input)).toMatchObject({ code: "OK" });
        const after = await snapshotTables(fx.db);
        const touched = changedTables(
          foreignRows(before, fx.wolverhamptonId),
          foreignRows(after, fx.wolverhamptonId),
        );
        expect(touched, "Wolverhampton's rows changed").toEqual([]);
      }
    } finally {
      await fx.db.destroy();
    }
  });

  // Found by the sweep: an action's lead could be any user id, so a Coventry editor could make a
  // Wolverhampton member the lead of a Coventry action (and a missing id was a server error).
  it("item.save takes an action's lead only from the partnership's members, or keeps the one it had", async () => {
    const fx = await createFixture();
    try {
      const plan = await planFixture(fx);
      const editor = await fx.caller("editor");
      const contributor = await fx.userId(ACTORS.contributor);
      const row = await fx.db
        .selectFrom("plan_item")
        .select("data_json")
        .where("id", "=", plan.actionItemId)
        .executeTakeFirstOrThrow();
      const save = (leadUserId: number, version: number) =>
        editor.item.save({
          partnershipId: fx.coventryId,
          priorityId: plan.priorityId,
          id: plan.actionItemId,
          version,
          item: { kind: "action", data: { ...JSON.parse(row.data_json), leadUserId } },
        });
      const refused = { code: "BAD_REQUEST", message: "Choose a member of this partnership" };
      await expect(save(await fx.userId(ACTORS.otherLead), 1)).rejects.toMatchObject(refused);
      await expect(save(MISSING_ID, 1)).rejects.toMatchObject(refused);
      // Its lead leaves Coventry: the action can still be edited, and keeps them as its lead.
      await fx.db
        .deleteFrom("membership")
        .where("user_id", "=", contributor)
        .where("partnership_id", "=", fx.coventryId)
        .execute();
      await expect(save(contributor, 1)).resolves.toMatchObject({ version: 2 });
      await expect(save(await fx.userId(ACTORS.lead), 2)).resolves.toMatchObject({ version: 3 });
      await expect(save(contributor, 3)).rejects.toMatchObject(refused);
    } finally {
      await fx.db.destroy();
    }
  });

  it.each(FOREIGN_ACTORS)("Coventry's %s cannot reach Wolverhampton's records by id", async (actor) => {
    const { fx, inputs, foreign } = await foreignFixture();
    try {
      const caller = await fx.caller(actor);
      const findings: string[] = [];
      let calls = 0;
      let tables = await snapshotTables(fx.db);
      /** Calls the procedure; what it answered, and which tables it changed. */
      const call = async (path: string, input: unknown) => {
        calls++;
        const outcome = await attempt(caller, path, input);
        const after = await snapshotTables(fx.db);
        const changed = changedTables(tables, after);
        tables = after; // so that each call is judged on its own
        return { outcome, changed };
      };

      for (const { path, input } of inputs) {
        const slots = idSlots(input).filter(
          (s) => s.field !== "partnershipId" && !(s.field in SHARED_ID_FIELDS),
        );
        const twins = (slot: IdSlot) => slot.ids.map((id) => id + FOREIGN_OFFSET);
        /** Calls with Wolverhampton's ids in these fields (the same fields with ids that name nothing first, to compare). */
        const tryIds = async (fields: IdSlot[], idSets: Array<{ what: string; ids: number[][] }>) => {
          const missing = await call(
            path,
            withIds(
              input,
              fields.map((s) => [s, [MISSING_ID]]),
            ),
          );
          const what = fields.map((s) => s.field).join(", ");
          if (missing.changed.length) findings.push(`${path} ${what}=missing: changed ${missing.changed}`);
          const mayAnswer = fields.every((s) => MAY_ANSWER[path]?.includes(s.field));
          for (const set of idSets) {
            const { outcome, changed } = await call(
              path,
              withIds(
                input,
                fields.map((s, i) => [s, set.ids[i] ?? []]),
              ),
            );
            const wrong = fault({ outcome, missing: missing.outcome, changed, mayAnswer });
            if (wrong) findings.push(`${path} ${set.what}: ${wrong}`);
          }
        };

        for (const slot of slots) {
          for (const twin of twins(slot).filter((id) => !foreign.ids.includes(id)))
            findings.push(`${path} ${slot.field}: ${twin - FOREIGN_OFFSET} has no Wolverhampton twin`);
          // A list gets one Wolverhampton id alone, so the Coventry ids beside it cannot act. The lead
          // tries every Wolverhampton id in every field on SQLite; on PostgreSQL (where snapshotting
          // every table per call is slow) each field's own twin, as for the other actors.
          const everyId = actor === "lead" && testEngine() === "sqlite";
          const ids = everyId ? foreign.ids : twins(slot);
          await tryIds(
            [slot],
            ids.map((id) => ({
              what: `${slot.field}=${id} (Wolverhampton's ${foreign.describe(id)})`,
              ids: [[id]],
            })),
          );
        }
        if (slots.length > 1)
          await tryIds(slots, [{ what: "with every id Wolverhampton's", ids: slots.map(twins) }]);
      }
      expect(calls).toBeGreaterThan(actor === "lead" && testEngine() === "sqlite" ? 500 : 50);
      expect(findings).toEqual([]);
    } finally {
      await fx.db.destroy();
    }
  });
});
