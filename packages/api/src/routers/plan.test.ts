import { DEMO_PLAN_TITLE, seedDemoPlan } from "@fivestep/db";
import { afterEach, describe, expect, it } from "vitest";
import { createFixture, type Fixture } from "../testing/fixtures.ts";
import { completePriority } from "../testing/ready-priority.ts";

let fx: Fixture;
afterEach(async () => {
  await fx?.db.destroy();
});

async function newPlan(f: Fixture) {
  const editor = await f.caller("editor");
  const plan = await editor.plan.create({
    partnershipId: f.coventryId,
    title: "Coventry LAA",
    vision: "Quality of life",
    startYear: 2008,
  });
  return { editor, plan };
}

describe("plans and priorities", () => {
  it("builds a priority through the five steps", async () => {
    fx = await createFixture();
    const { editor, plan } = await newPlan(fx);
    expect(plan).toMatchObject({ status: "draft", periodLabel: "2008/09–2010/11", revision: 1 });
    const priority = await editor.priority.create({
      partnershipId: fx.coventryId,
      planId: plan.id,
      theme: "Economy",
      title: "To promote job creation",
      ownerName: "Head of Economy",
    });
    const base = { partnershipId: fx.coventryId, priorityId: priority.id };
    const indicator = await editor.item.save({
      ...base,
      item: {
        kind: "indicator",
        data: {
          indicatorCode: "NI 171",
          baselinePeriod: "2005",
          baselineValue: 29.1,
          milestones: [
            { period: "2008", value: 31 },
            { period: "2010", value: 34 },
          ],
        },
      },
    });
    const evidence = await editor.item.save({
      ...base,
      item: {
        kind: "evidence",
        data: { kind: "survey", title: "Business survey", summary: "Advice, not money" },
      },
    });
    await editor.item.save({
      ...base,
      item: {
        kind: "option",
        data: { title: "Coaching", evidenceIds: [evidence.id], decision: "selected", score: 4 },
      },
    });
    await editor.item.save({
      ...base,
      item: {
        kind: "action",
        data: {
          kind: "new-intervention",
          what: "Commission coaching",
          leadPerson: "Cory",
          priorityIndicatorId: indicator.id,
        },
      },
    });
    await editor.item.save({
      ...base,
      item: { kind: "communication", data: { audience: "community", message: "Progress on jobs" } },
    });
    await editor.item.save({
      partnershipId: fx.coventryId,
      planId: plan.id,
      item: { kind: "report", data: { audience: "Board", frequency: "quarterly" } },
    });

    const detail = await editor.priority.byId(base);
    expect(detail.items.map((i) => i.kind).sort()).toEqual([
      "action",
      "communication",
      "evidence",
      "indicator",
      "option",
    ]);
    const full = await editor.plan.byId({ partnershipId: fx.coventryId, planId: plan.id });
    expect(full.reports).toHaveLength(1);

    const analysis = await editor.priority.analysis({ partnershipId: fx.coventryId, itemId: indicator.id });
    expect(analysis.context).toMatchObject({
      area: { name: "Coventry" },
      region: { name: "West Midlands" },
      nation: { name: "England" },
    });
    expect(analysis.latest).toMatchObject({ period: "2005", value: 29.1 });
    expect(analysis.target.realism?.rating).toMatch(/realistic|stretching|unrealistic/);
    expect(analysis.target.forecast.length).toBeGreaterThan(0);
    for (const f of analysis.target.forecast) expect(f.lower).toBeLessThanOrEqual(f.upper);
  });

  it("refuses a 36th priority with a clear message", async () => {
    fx = await createFixture();
    const { editor, plan } = await newPlan(fx);
    for (let i = 1; i <= 35; i++) {
      await editor.priority.create({
        partnershipId: fx.coventryId,
        planId: plan.id,
        theme: "Theme",
        title: `Priority ${i}`,
        ownerName: "Owner",
      });
    }
    await expect(
      editor.priority.create({
        partnershipId: fx.coventryId,
        planId: plan.id,
        theme: "Theme",
        title: "Priority 36",
        ownerName: "Owner",
      }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("at most 35 designated priorities"),
    });
  });

  it("checks that an action's indicator belongs to its priority", async () => {
    fx = await createFixture();
    const { editor, plan } = await newPlan(fx);
    const a = await editor.priority.create({
      partnershipId: fx.coventryId,
      planId: plan.id,
      theme: "A",
      title: "A",
      ownerName: "A",
    });
    const b = await editor.priority.create({
      partnershipId: fx.coventryId,
      planId: plan.id,
      theme: "B",
      title: "B",
      ownerName: "B",
    });
    const ind = await editor.item.save({
      partnershipId: fx.coventryId,
      priorityId: a.id,
      item: { kind: "indicator", data: { indicatorCode: "NI 151" } },
    });
    await expect(
      editor.item.save({
        partnershipId: fx.coventryId,
        priorityId: b.id,
        item: {
          kind: "action",
          data: { kind: "training", what: "Train", leadPerson: "X", priorityIndicatorId: ind.id },
        },
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", cause: { field: "data.priorityIndicatorId" } });
  });

  it("never lets another partnership reach a plan's records by id", async () => {
    fx = await createFixture();
    const { editor, plan } = await newPlan(fx);
    const priority = await editor.priority.create({
      partnershipId: fx.coventryId,
      planId: plan.id,
      theme: "A",
      title: "A",
      ownerName: "A",
    });
    const other = await fx.caller("otherLead");
    await expect(
      other.priority.byId({ partnershipId: fx.wolverhamptonId, priorityId: priority.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      other.priority.update({
        partnershipId: fx.wolverhamptonId,
        priorityId: priority.id,
        version: 1,
        theme: "X",
        title: "X",
        ownerName: "X",
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("moves a plan through its statuses, locks targets once agreed, and refreshes it with reasons", async () => {
    fx = await createFixture();
    const { editor, plan } = await newPlan(fx);
    const lead = await fx.caller("lead");
    const priority = await editor.priority.create({
      partnershipId: fx.coventryId,
      planId: plan.id,
      theme: "Economy",
      title: "Jobs",
      ownerName: "Owner",
    });
    const ind = await editor.item.save({
      partnershipId: fx.coventryId,
      priorityId: priority.id,
      item: {
        kind: "indicator",
        data: {
          indicatorCode: "NI 171",
          baselinePeriod: "2005",
          baselineValue: 29.1,
          milestones: [{ period: "2009", value: 32 }],
        },
      },
    });
    await completePriority(fx, priority.id);
    await expect(
      lead.plan.setStatus({ partnershipId: fx.coventryId, planId: plan.id, version: 1, status: "agreed" }),
    ).rejects.toMatchObject({
      cause: { field: "status" },
    });
    const submitted = await lead.plan.setStatus({
      partnershipId: fx.coventryId,
      planId: plan.id,
      version: 1,
      status: "submitted",
    });
    const agreed = await lead.plan.setStatus({
      partnershipId: fx.coventryId,
      planId: plan.id,
      version: submitted.version,
      status: "agreed",
    });
    expect(agreed.status).toBe("agreed");
    await expect(
      editor.item.save({
        partnershipId: fx.coventryId,
        priorityId: priority.id,
        id: ind.id,
        version: ind.version,
        item: { kind: "indicator", data: { indicatorCode: "NI 171" } },
      }),
    ).rejects.toMatchObject({ message: expect.stringContaining("annual refresh") });

    const next = await lead.plan.refresh({ partnershipId: fx.coventryId, planId: plan.id });
    expect(next).toMatchObject({ revision: 2, status: "draft", previousPlanId: plan.id });
    const copy = await editor.plan.byId({ partnershipId: fx.coventryId, planId: next.id });
    const copiedPriority = copy.priorities[0];
    if (!copiedPriority) throw new Error("no copied priority");
    const copied = (
      await editor.priority.byId({ partnershipId: fx.coventryId, priorityId: copiedPriority.id })
    ).items.find((i) => i.kind === "indicator");
    if (!copied || copied.kind !== "indicator") throw new Error("no copied indicator");
    await editor.item.save({
      partnershipId: fx.coventryId,
      priorityId: copiedPriority.id,
      id: copied.id,
      version: copied.version,
      item: {
        kind: "indicator",
        data: {
          ...copied.data,
          milestones: [
            { period: "2009", value: 31, reason: "Recession: registrations fell across the region" },
          ],
        },
      },
    });
    const diff = await editor.plan.compare({
      partnershipId: fx.coventryId,
      fromPlanId: plan.id,
      toPlanId: next.id,
    });
    expect(diff.targets).toEqual([
      {
        priority: "Jobs",
        indicatorCode: "NI 171",
        period: "2009",
        before: 32,
        after: 31,
        reason: "Recession: registrations fell across the region",
      },
    ]);
    // The agreed revision is untouched.
    const original = await editor.priority.byId({ partnershipId: fx.coventryId, priorityId: priority.id });
    const kept = original.items.find((i) => i.kind === "indicator");
    expect(kept?.kind === "indicator" && kept.data.milestones[0]?.value).toBe(32);
  });

  it("lets a contributor update only the actions they lead", async () => {
    fx = await createFixture();
    const { editor, plan } = await newPlan(fx);
    const priority = await editor.priority.create({
      partnershipId: fx.coventryId,
      planId: plan.id,
      theme: "A",
      title: "A",
      ownerName: "A",
    });
    const contributorId = await fx.userId("contributor@coventry.example");
    const mine = await editor.item.save({
      partnershipId: fx.coventryId,
      priorityId: priority.id,
      item: {
        kind: "action",
        data: { kind: "training", what: "Mine", leadPerson: "Cory", leadUserId: contributorId },
      },
    });
    const theirs = await editor.item.save({
      partnershipId: fx.coventryId,
      priorityId: priority.id,
      item: { kind: "action", data: { kind: "training", what: "Theirs", leadPerson: "Ed" } },
    });
    const contributor = await fx.caller("contributor");
    const update = { partnershipId: fx.coventryId, date: "2008-07-01", note: "Started", percentComplete: 10 };
    await expect(contributor.item.addActionUpdate({ ...update, actionId: mine.id })).resolves.toMatchObject({
      id: expect.any(Number),
    });
    await expect(contributor.item.addActionUpdate({ ...update, actionId: theirs.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const detail = await editor.priority.byId({ partnershipId: fx.coventryId, priorityId: priority.id });
    expect(detail.updates).toEqual([
      expect.objectContaining({
        itemId: mine.id,
        note: "Started",
        percentComplete: 10,
        author: "Cory Contributor (Coventry)",
      }),
    ]);
  });

  it("publishes an option to the good-practice library and finds it by indicator", async () => {
    fx = await createFixture();
    const { editor, plan } = await newPlan(fx);
    const priority = await editor.priority.create({
      partnershipId: fx.coventryId,
      planId: plan.id,
      theme: "Economy",
      title: "Jobs",
      ownerName: "A",
    });
    await editor.item.save({
      partnershipId: fx.coventryId,
      priorityId: priority.id,
      item: { kind: "indicator", data: { indicatorCode: "NI 171" } },
    });
    const option = await editor.item.save({
      partnershipId: fx.coventryId,
      priorityId: priority.id,
      item: { kind: "option", data: { title: "Peer mentoring for founders" } },
    });
    await editor.item.publishPractice({
      partnershipId: fx.coventryId,
      optionId: option.id,
      outcome: "Registrations rose",
    });
    const other = await fx.caller("otherLead");
    expect(
      (await other.item.searchPractice({ indicatorCode: "NI 171" })).map((g) => [g.title, g.partnershipName]),
    ).toEqual([["Peer mentoring for founders", "Coventry Partnership"]]);
    expect(await other.item.searchPractice({ indicatorCode: "NI 151" })).toEqual([]);
    expect(await other.item.searchPractice({ theme: "ECONOMY", text: "MENTOR" })).toHaveLength(1);
  });
});

describe("plan versions", () => {
  it("lists only the versions of the same plan, not other plans for the same years", async () => {
    fx = await createFixture();
    const { planId: laaId } = await seedDemoPlan(fx.db);
    const lead = await fx.caller("lead");
    // A new plan for the same years as the demo LAA is its own version 1, alone.
    const { editor, plan } = await newPlan(fx);
    const own = await editor.plan.byId({ partnershipId: fx.coventryId, planId: plan.id });
    expect(own.revisions.map((r) => [r.id, r.revision])).toEqual([[plan.id, 1]]);
    const laa = await editor.plan.byId({ partnershipId: fx.coventryId, planId: laaId });
    expect(laa.revisions.map((r) => r.id)).toEqual([laaId]);
    // The LAA's refresh is its version 2, listed with version 1 on both (newest first), even
    // after the new version's years change; the other plan still stands alone.
    const next = await lead.plan.refresh({ partnershipId: fx.coventryId, planId: laaId });
    await editor.plan.update({
      partnershipId: fx.coventryId,
      planId: next.id,
      version: next.version,
      title: next.title,
      vision: next.vision,
      startYear: 2009,
    });
    for (const id of [laaId, next.id]) {
      const detail = await editor.plan.byId({ partnershipId: fx.coventryId, planId: id });
      expect(detail.revisions.map((r) => [r.id, r.revision])).toEqual([
        [next.id, 2],
        [laaId, 1],
      ]);
    }
    const alone = await editor.plan.byId({ partnershipId: fx.coventryId, planId: plan.id });
    expect(alone.revisions.map((r) => r.id)).toEqual([plan.id]);
  });
});

describe("the demo plan", () => {
  it("shows the expected statuses and warnings on the overview", async () => {
    fx = await createFixture();
    const { planId } = await seedDemoPlan(fx.db);
    const viewer = await fx.caller("viewer");
    const overview = await viewer.plan.overview({ partnershipId: fx.coventryId, planId });
    expect(overview.plan.title).toBe(DEMO_PLAN_TITLE);
    expect(overview.priorities.map((p) => p.priority.fields.title)).toEqual([
      "To reduce health inequalities",
      "To reduce crime",
      "To improve educational attainment",
      "To promote job creation",
    ]);
    const jobs = overview.priorities[3];
    expect(jobs?.indicators.map((i) => [i.code, i.latest?.period, i.latest?.value, i.status])).toEqual([
      ["NI 151", "2007 Q2", 72.4, "off-track"],
      ["NI 152", "2006 Q4", 17.5, "off-track"],
      ["NI 171", "2005", 29.1, "on-track"],
    ]);
    // Data from 2005–07 is long past its release calendar.
    expect(overview.warnings.filter((w) => w.kind === "stale-data")).toHaveLength(3);
    // Every demo action is linked to an indicator, and every off-track indicator has an action.
    expect(
      overview.warnings.filter(
        (w) => w.kind === "action-without-indicator" || w.kind === "off-track-without-action",
      ),
    ).toEqual([]);
    expect(overview.counts).toMatchObject({ "off-track": 2, "on-track": 1 });
    // Seeding again changes nothing.
    expect((await seedDemoPlan(fx.db)).created).toBe(false);
  });

  it("explains the change point the talk asks about", async () => {
    fx = await createFixture();
    await seedDemoPlan(fx.db);
    const viewer = await fx.caller("viewer");
    const [plan] = await viewer.plan.list({ partnershipId: fx.coventryId });
    const detail = await viewer.plan.byId({ partnershipId: fx.coventryId, planId: plan?.id ?? 0 });
    const jobs = detail.priorities.find((p) => p.fields.title === "To promote job creation");
    const priority = await viewer.priority.byId({ partnershipId: fx.coventryId, priorityId: jobs?.id ?? 0 });
    const vat = priority.items.find((i) => i.kind === "indicator" && i.data.indicatorCode === "NI 171");
    const analysis = await viewer.priority.analysis({ partnershipId: fx.coventryId, itemId: vat?.id ?? 0 });
    expect(analysis.series.map((s) => s.areaName)).toEqual(["Coventry", "West Midlands", "England"]);
    expect(analysis.benchmark.region).toBe("not-compared");
    expect(priority.notes.map((n) => n.period)).toEqual(["2003"]);
    expect(analysis.target.realism?.reasons.length).toBeGreaterThan(0);
  });
});
