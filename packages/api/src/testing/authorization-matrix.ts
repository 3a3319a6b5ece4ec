// Every procedure of the router: who may call it, and an input to call it with. Shared by the
// router-wide tests (authorization.test.ts, authorization-tokens.test.ts, foreign-records.test.ts),
// which run as separate files so that they run side by side.
import { DEMO_INDICATORS } from "@fivestep/db";
import { APPROVAL_MATRIX } from "./approval-cases.ts";
import { ACTORS, type Actor, type Fixture, TEST_PASSWORD } from "./fixtures.ts";
import { JOBS_MATRIX } from "./jobs-cases.ts";
import { MONITORING_MATRIX } from "./monitoring-cases.ts";
import { planFixture } from "./plan-fixture.ts";
import { TOKEN_MATRIX } from "./token-cases.ts";

/** What a call must meet: let in, or refused (UNAUTHORIZED or FORBIDDEN). */
export type Access = "allow" | "deny";
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
 * router without a row here fails the first test of authorization.test.ts.
 */
export const MATRIX: Record<
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
  "priority.heatMap": {
    access: coventryMembersAndAdmin,
    input: async (fx) => ({ partnershipId: fx.coventryId, priorityId: (await planFixture(fx)).priorityId }),
  },
  "priority.breakdowns": {
    access: coventryMembersAndAdmin,
    input: async (fx) => ({ partnershipId: fx.coventryId, itemId: (await planFixture(fx)).indicatorItemId }),
  },
  "priority.create": {
    access: coventryEditors,
    input: async (fx) => ({
      partnershipId: fx.coventryId,
      planId: (await planFixture(fx)).planId,
      theme: "Crime",
      title: "To reduce crime",
      ownerName: "",
      ownerUserId: await fx.userId(ACTORS.editor),
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
      ownerUserId: await fx.userId(ACTORS.contributor),
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
  "observation.write": {
    access: adminOnly,
    input: () => ({
      source: "Council returns",
      observations: [{ indicatorCode: "NI 151", areaCode: "E08000026", period: "2007 Q3", value: 73.1 }],
    }),
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
    input: () => ({ locale: "hr-HR", dataReturns: true, actions: false, targets: true, weeklyDigest: true }),
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
