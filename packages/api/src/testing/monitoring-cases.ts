import { insertDataReturn, insertNotification, insertPlan, nowIso, saveCommentary } from "@fivestep/db";
import { ACTORS, type Actor, type Fixture } from "./fixtures.ts";
import { planFixture } from "./plan-fixture.ts";

type Access = "allow" | "deny";
type AccessMap = Record<Actor, Access>;
const all = (a: Access): AccessMap => ({
  anonymous: a,
  viewer: a,
  contributor: a,
  editor: a,
  lead: a,
  otherLead: a,
  admin: a,
});
const signedIn: AccessMap = { ...all("allow"), anonymous: "deny" };
const members: AccessMap = { ...signedIn, otherLead: "deny" };
const lead: AccessMap = { ...all("deny"), lead: "allow" };
const editors: AccessMap = { ...lead, editor: "allow" };

/** An agreed Coventry plan (only agreed plans may be published), created once per fixture. */
const agreedPlans = new WeakMap<Fixture, Promise<number>>();
async function agreedPlan(fx: Fixture): Promise<{ partnershipId: number; planId: number }> {
  let made = agreedPlans.get(fx);
  if (!made) {
    const now = nowIso();
    made = insertPlan(fx.db, {
      partnership_id: fx.coventryId,
      title: "Coventry agreed plan",
      vision: "",
      start_year: 2008,
      status: "agreed",
      revision: 1,
      previous_plan_id: null,
      created_at: now,
      updated_at: now,
    }).then((p) => p.id);
    agreedPlans.set(fx, made);
  }
  return { partnershipId: fx.coventryId, planId: await made };
}

/** A data return owed by the Coventry contributor, created once per fixture. */
const returns = new WeakMap<Fixture, Promise<number>>();
async function dueReturn(fx: Fixture): Promise<number> {
  const existing = returns.get(fx);
  if (existing) return existing;
  const made = (async () =>
    (
      await insertDataReturn(fx.db, {
        partnership_id: fx.coventryId,
        indicator_code: "NI 151",
        period: "2007 Q3",
        due_date: "2007-11-30",
        assignee_user_id: await fx.userId(ACTORS.contributor),
        status: "due",
        note: "",
        created_at: nowIso(),
      })
    ).id)();
  returns.set(fx, made);
  return made;
}

const plan = async (fx: Fixture) => ({
  partnershipId: fx.coventryId,
  planId: (await planFixture(fx)).planId,
});

/**
 * The monitoring procedures for the authorization matrix: who may call each, and with what.
 *
 * @example Object.assign(MATRIX, MONITORING_MATRIX);
 */
export const MONITORING_MATRIX: Record<
  string,
  { access: AccessMap; input: (fx: Fixture) => Promise<unknown> | unknown }
> = {
  "monitoring.dashboard": { access: members, input: plan },
  "monitoring.report": { access: members, input: plan },
  "monitoring.startExport": {
    access: members,
    input: async (fx) => ({ ...(await plan(fx)), pack: "board", format: "csv", lang: "en-GB" }),
  },
  "monitoring.returns": { access: members, input: (fx) => ({ partnershipId: fx.coventryId }) },
  "monitoring.publicPlan": {
    access: all("allow"),
    input: async (fx) => ({ planId: (await planFixture(fx)).planId }),
  },
  "monitoring.myReturns": { access: signedIn, input: () => undefined },
  "monitoring.notifications": { access: signedIn, input: () => undefined },
  "monitoring.markRead": { access: signedIn, input: () => ({ ids: [1] }) },
  "monitoring.saveCommentary": {
    access: editors,
    input: async (fx) => ({
      partnershipId: fx.coventryId,
      itemId: (await planFixture(fx)).indicatorItemId,
      period: "2007 Q2",
      text: "Plant closures",
    }),
  },
  "monitoring.issue": { access: lead, input: async (fx) => ({ ...(await plan(fx)), audience: "board" }) },
  "monitoring.setPublished": {
    access: lead,
    input: async (fx) => ({ ...(await agreedPlan(fx)), version: 1, published: true }),
  },
  "monitoring.recompute": { access: lead, input: plan },
  "monitoring.startRecompute": { access: lead, input: plan },
  "monitoring.startRecomputeAll": { access: { ...all("deny"), admin: "allow" }, input: () => ({}) },
  "monitoring.scheduleReturns": {
    access: lead,
    input: async (fx) => ({
      partnershipId: fx.coventryId,
      indicatorCode: "NI 151",
      assigneeUserId: await fx.userId(ACTORS.contributor),
      returns: [{ period: "2008 Q1", dueDate: "2099-06-30" }],
    }),
  },
  // Not monitoring, but kept with the later additions: area types are edited by administrators.
  "area.saveType": {
    access: { ...all("deny"), admin: "allow" },
    input: () => ({ name: "županija", rank: 2 }),
  },
  "monitoring.submitReturn": {
    access: { ...editors, contributor: "allow" },
    input: async (fx) => ({ partnershipId: fx.coventryId, id: await dueReturn(fx), version: 1, value: 72.1 }),
  },
};

type Changed = { entity: string; entityId: number; action: string };
type Scenario = {
  actor: Actor;
  input: (fx: Fixture) => Promise<unknown>;
  changed: (fx: Fixture, result: unknown) => Promise<Changed[]>;
};

/**
 * The monitoring mutations for the audit test.
 *
 * @example Object.assign(SCENARIOS, MONITORING_SCENARIOS);
 */
export const MONITORING_SCENARIOS: Record<string, Scenario> = {
  "monitoring.startExport": {
    actor: "viewer",
    input: async (fx) => ({ ...(await plan(fx)), pack: "operational", format: "xlsx", lang: "hr-HR" }),
    changed: async (fx, r) => {
      // Only the start is a change: the export itself reads the plan and writes a file.
      await fx.jobs.idle();
      return [{ entity: "job", entityId: (r as { jobId: number }).jobId, action: "start" }];
    },
  },
  "monitoring.saveCommentary": {
    actor: "editor",
    input: (fx) => Promise.resolve(MONITORING_MATRIX["monitoring.saveCommentary"]?.input(fx)),
    changed: async (fx) => [
      { entity: "report_commentary", entityId: (await planFixture(fx)).indicatorItemId, action: "update" },
    ],
  },
  "monitoring.issue": {
    actor: "lead",
    input: async (fx) => {
      // The board's pack goes only with every exception explained (the fixture's NI 151 is off track).
      const { indicatorItemId } = await planFixture(fx);
      const lead = await fx.userId(ACTORS.lead);
      await saveCommentary(fx.db, indicatorItemId, "2007 Q2", "Plant closures", lead, nowIso());
      return { ...(await plan(fx)), audience: "board" };
    },
    changed: async (_fx, r) => [
      { entity: "report_issue", entityId: (r as { id: number }).id, action: "issue" },
    ],
  },
  "monitoring.setPublished": {
    actor: "lead",
    input: async (fx) => ({ ...(await agreedPlan(fx)), version: 1, published: true }),
    changed: async (fx) => [
      { entity: "plan", entityId: (await agreedPlan(fx)).planId, action: "set-published" },
    ],
  },
  "monitoring.recompute": {
    actor: "lead",
    input: plan,
    changed: async (fx) => [
      { entity: "plan", entityId: (await planFixture(fx)).planId, action: "recompute" },
    ],
  },
  "monitoring.startRecompute": {
    actor: "lead",
    input: plan,
    changed: async (fx, r) => {
      await fx.jobs.idle();
      return [
        { entity: "job", entityId: (r as { jobId: number }).jobId, action: "start" },
        { entity: "plan", entityId: (await planFixture(fx)).planId, action: "recompute" },
      ];
    },
  },
  "monitoring.startRecomputeAll": {
    actor: "admin",
    input: async () => ({}),
    changed: async (fx, r) => {
      await fx.jobs.idle();
      const { jobId } = r as { jobId: number };
      return [
        { entity: "job", entityId: jobId, action: "start" },
        { entity: "job", entityId: jobId, action: "recompute" },
      ];
    },
  },
  "monitoring.scheduleReturns": {
    actor: "lead",
    input: async (fx) => ({
      partnershipId: fx.coventryId,
      indicatorCode: "NI 151",
      assigneeUserId: await fx.userId(ACTORS.contributor),
      returns: [
        { period: "2008 Q1", dueDate: "2099-06-30" },
        { period: "2008 Q2", dueDate: "2099-09-30" },
      ],
    }),
    changed: async (_fx, r) =>
      (r as { ids: number[] }).ids.map((id) => ({ entity: "data_return", entityId: id, action: "create" })),
  },
  "monitoring.submitReturn": {
    actor: "contributor",
    input: async (fx) => ({ partnershipId: fx.coventryId, id: await dueReturn(fx), version: 1, value: 72.1 }),
    changed: async (_fx, r) => [
      { entity: "data_return", entityId: (r as { id: number }).id, action: "submit" },
    ],
  },
  "area.saveType": {
    actor: "admin",
    input: async () => ({ name: "županija", rank: 2, lookupPrefix: null }),
    changed: async (fx) => {
      const row = await fx.db
        .selectFrom("area_type")
        .select("id")
        .where("name", "=", "županija")
        .executeTakeFirstOrThrow();
      return [{ entity: "area_type", entityId: row.id, action: "create" }];
    },
  },
  "monitoring.markRead": {
    actor: "contributor",
    input: async (fx) => {
      const userId = await fx.userId(ACTORS.contributor);
      await insertNotification(fx.db, {
        user_id: userId,
        kind: "test",
        text: "Hello",
        link: "/",
        created_at: nowIso(),
      });
      const n = await fx.db
        .selectFrom("notification")
        .select("id")
        .where("user_id", "=", userId)
        .executeTakeFirstOrThrow();
      return { ids: [n.id] };
    },
    changed: async (fx) => {
      const n = await fx.db.selectFrom("notification").select("id").executeTakeFirstOrThrow();
      return [{ entity: "notification", entityId: n.id, action: "read" }];
    },
  },
};
