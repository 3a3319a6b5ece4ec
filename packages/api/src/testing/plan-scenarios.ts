import { ACTORS, type Actor, type Fixture } from "./fixtures.ts";
import { planFixture } from "./plan-fixture.ts";

type Changed = { entity: string; entityId: number; action: string };
type Scenario = {
  actor: Actor;
  input: (fx: Fixture) => Promise<unknown>;
  changed: (fx: Fixture, result: unknown) => Promise<Changed[]>;
};

const idOf = (r: unknown) => (r as { id: number }).id;

/**
 * The plan mutations for the audit test: who performs each, with what, and which records change.
 * A refresh copies a whole plan; it is audited as the one new plan record (the copy's parts are
 * its contents, not separate changes anyone made).
 *
 * @example Object.assign(SCENARIOS, PLAN_SCENARIOS);
 */
export const PLAN_SCENARIOS: Record<string, Scenario> = {
  "plan.create": {
    actor: "editor",
    input: async (fx) => ({ partnershipId: fx.coventryId, title: "Coventry LAA 2011–14", startYear: 2011 }),
    changed: async (_fx, r) => [{ entity: "plan", entityId: idOf(r), action: "create" }],
  },
  "plan.update": {
    actor: "editor",
    input: async (fx) => ({
      partnershipId: fx.coventryId,
      planId: (await planFixture(fx)).planId,
      version: 1,
      title: "Renamed",
      startYear: 2008,
    }),
    changed: async (fx) => [{ entity: "plan", entityId: (await planFixture(fx)).planId, action: "update" }],
  },
  "plan.setStatus": {
    actor: "lead",
    input: async (fx) => ({
      partnershipId: fx.coventryId,
      planId: (await planFixture(fx)).planId,
      version: 1,
      status: "submitted",
    }),
    changed: async (fx) => [
      { entity: "plan", entityId: (await planFixture(fx)).planId, action: "set-status" },
    ],
  },
  "plan.refresh": {
    actor: "lead",
    input: async (fx) => {
      const { planId } = await planFixture(fx);
      await fx.db.updateTable("plan").set({ status: "agreed" }).where("id", "=", planId).execute();
      return { partnershipId: fx.coventryId, planId };
    },
    changed: async (_fx, r) => [{ entity: "plan", entityId: idOf(r), action: "refresh" }],
  },
  "priority.create": {
    actor: "editor",
    input: async (fx) => ({
      partnershipId: fx.coventryId,
      planId: (await planFixture(fx)).planId,
      theme: "Crime",
      title: "To reduce crime",
      ownerName: "",
      ownerUserId: await fx.userId(ACTORS.editor),
    }),
    changed: async (_fx, r) => [{ entity: "priority", entityId: idOf(r), action: "create" }],
  },
  "priority.update": {
    actor: "editor",
    input: async (fx) => ({
      partnershipId: fx.coventryId,
      priorityId: (await planFixture(fx)).priorityId,
      version: 1,
      theme: "Economy",
      title: "Jobs",
      ownerName: "Head of Economy",
      ownerUserId: await fx.userId(ACTORS.contributor),
    }),
    changed: async (fx) => [
      { entity: "priority", entityId: (await planFixture(fx)).priorityId, action: "update" },
    ],
  },
  "priority.reorder": {
    actor: "editor",
    input: async (fx) => {
      const p = await planFixture(fx);
      return { partnershipId: fx.coventryId, planId: p.planId, priorityIds: [p.priorityId] };
    },
    changed: async (fx) => [{ entity: "plan", entityId: (await planFixture(fx)).planId, action: "reorder" }],
  },
  "priority.remove": {
    actor: "editor",
    input: async (fx) => ({
      partnershipId: fx.coventryId,
      priorityId: (await planFixture(fx)).priorityId,
      version: 1,
    }),
    changed: async (fx) => [
      { entity: "priority", entityId: (await planFixture(fx)).priorityId, action: "delete" },
    ],
  },
  "item.save": {
    actor: "editor",
    input: async (fx) => ({
      partnershipId: fx.coventryId,
      id: (await planFixture(fx)).evidenceItemId,
      version: 1,
      priorityId: (await planFixture(fx)).priorityId,
      item: {
        kind: "evidence",
        data: { kind: "focus-group", title: "Business focus group", summary: "Premises are the barrier" },
      },
    }),
    changed: async (fx) => [
      { entity: "plan_item", entityId: (await planFixture(fx)).evidenceItemId, action: "update" },
    ],
  },
  "item.remove": {
    actor: "editor",
    input: async (fx) => ({
      partnershipId: fx.coventryId,
      id: (await planFixture(fx)).actionItemId,
      version: 1,
    }),
    changed: async (fx) => [
      { entity: "plan_item", entityId: (await planFixture(fx)).actionItemId, action: "delete" },
    ],
  },
  "item.addActionUpdate": {
    actor: "contributor",
    input: async (fx) => ({
      partnershipId: fx.coventryId,
      actionId: (await planFixture(fx)).actionItemId,
      date: "2008-07-01",
      note: "Lease signed",
      percentComplete: 20,
    }),
    // 20% on a planned action moves it to in progress.
    changed: async (fx, r) => [
      { entity: "action_update", entityId: idOf(r), action: "create" },
      { entity: "plan_item", entityId: (await planFixture(fx)).actionItemId, action: "update" },
    ],
  },
  "item.saveChangePointNote": {
    actor: "editor",
    input: async (fx) => ({
      partnershipId: fx.coventryId,
      itemId: (await planFixture(fx)).indicatorItemId,
      period: "2006 Q3",
      note: "A large employer closed",
    }),
    changed: async (fx) => [
      { entity: "change_point_note", entityId: (await planFixture(fx)).indicatorItemId, action: "update" },
    ],
  },
  "item.publishPractice": {
    actor: "editor",
    input: async (fx) => ({
      partnershipId: fx.coventryId,
      optionId: (await planFixture(fx)).optionItemId,
      outcome: "Registrations rose by a tenth",
    }),
    changed: async (_fx, r) => [{ entity: "good_practice", entityId: idOf(r), action: "publish" }],
  },
};
