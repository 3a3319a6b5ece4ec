import { DEMO_INDICATORS, seedDemoPlan, upsertObservations } from "@fivestep/db";
import type { PriorityIndicatorSchema } from "@fivestep/domain";
import { afterEach, describe, expect, it } from "vitest";
import type { z } from "zod";
import { recomputeStatuses } from "./monitoring.ts";
import { analyseIndicator } from "./plan-analysis.ts";
import { qualityReport } from "./quality.ts";
import { createFixture, type Fixture } from "./testing/fixtures.ts";

const COVENTRY = "E08000026";
type TargetInput = z.input<typeof PriorityIndicatorSchema>;

let fx: Fixture;
afterEach(async () => {
  await fx?.db.destroy();
});

/**
 * Every place that shows a target's status, for every target of a plan: the overview, the report,
 * the dashboard's grid, step 3's analysis and the stored `target_status` row. Each must say the
 * same, and the stored row must carry the overview's period and expectation.
 */
async function statusesEverywhere(f: Fixture, planId: number) {
  const lead = await f.caller("lead");
  const ref = { partnershipId: f.coventryId, planId };
  const overview = await lead.plan.overview(ref);
  const report = await lead.monitoring.report(ref);
  const dashboard = await lead.monitoring.dashboard(ref);
  const shown = overview.priorities.flatMap((p) => p.indicators);
  const ids = shown.map((i) => i.itemId);
  const stored = new Map(
    (ids.length
      ? await f.db.selectFrom("target_status").selectAll().where("item_id", "in", ids).execute()
      : []
    ).map((s) => [s.item_id, s]),
  );
  const rows = [];
  for (const i of shown) {
    const analysis = await lead.priority.analysis({ partnershipId: f.coventryId, itemId: i.itemId });
    const s = stored.get(i.itemId);
    rows.push({
      itemId: i.itemId,
      overview: i.status,
      report: report.priorities.flatMap((p) => p.indicators).find((r) => r.itemId === i.itemId)?.status,
      analysis: analysis.target.status,
      stored: s?.status,
      storedPeriod: s?.period,
      storedExpected: s?.expected,
      overviewPeriod: i.latest?.period ?? null,
      overviewExpected: i.expected,
    });
  }
  const grid = dashboard.grid.flatMap((g) => g.statuses.map((s) => s.status));
  return { rows, grid, overview };
}

async function expectAgreement(f: Fixture, planId: number) {
  const { rows, grid } = await statusesEverywhere(f, planId);
  for (const r of rows) {
    expect({ itemId: r.itemId, status: r.report }).toEqual({ itemId: r.itemId, status: r.overview });
    expect({ itemId: r.itemId, status: r.analysis }).toEqual({ itemId: r.itemId, status: r.overview });
    expect({ itemId: r.itemId, status: r.stored }).toEqual({ itemId: r.itemId, status: r.overview });
    expect(r.storedPeriod).toBe(r.overviewPeriod);
    if (r.overviewExpected === null) expect(r.storedExpected).toBeNull();
    else expect(r.storedExpected).toBeCloseTo(r.overviewExpected, 9);
  }
  expect(grid).toEqual(rows.map((r) => r.overview));
  return Object.fromEntries(rows.map((r) => [r.itemId, r.overview]));
}

/** A draft Coventry plan with one priority, made through the router. */
async function draftPlan(f: Fixture) {
  const editor = await f.caller("editor");
  const plan = await editor.plan.create({
    partnershipId: f.coventryId,
    title: "Crafted targets",
    startYear: 2008,
  });
  const priority = await editor.priority.create({
    partnershipId: f.coventryId,
    planId: plan.id,
    theme: "Economy",
    title: "To promote job creation",
    ownerName: "Head of Economic Development",
  });
  const save = async (data: TargetInput) =>
    editor.item.save({
      partnershipId: f.coventryId,
      priorityId: priority.id,
      item: { kind: "indicator", data: data as never },
    });
  return { planId: plan.id, priorityId: priority.id, save, editor };
}

/** Local indicators the demo catalogue lacks: no judgement, confidence limits, no Coventry data. */
async function localIndicators(f: Fixture) {
  const admin = await f.caller("admin");
  await admin.indicator.create({
    code: "LOCAL N",
    title: "Share of lettings to local people",
    valueType: "percentage",
    polarity: "no-judgement",
    frequency: "annual",
  });
  await admin.indicator.create({
    code: "LOCAL CI",
    title: "Adults satisfied with their area",
    valueType: "percentage",
    polarity: "high-is-good",
    frequency: "annual",
  });
  await admin.indicator.create({
    code: "LOCAL W",
    title: "Measured only in Wolverhampton",
    valueType: "count",
    polarity: "high-is-good",
    frequency: "annual",
  });
  const point = (indicatorCode: string, areaCode: string, period: string, value: number) => ({
    indicatorCode,
    areaCode,
    period,
    value,
    numerator: null,
    denominator: null,
    lower: null,
    upper: null,
  });
  await upsertObservations(f.db, [
    point("LOCAL N", COVENTRY, "2006", 50),
    point("LOCAL N", COVENTRY, "2007", 52),
    { ...point("LOCAL CI", COVENTRY, "2007", 70), lower: 68, upper: 73 },
    point("LOCAL W", "E08000031", "2007", 12),
  ]);
}

/**
 * Crafted targets on Coventry's data, each with the status the one judge must give. NI 151's
 * latest value is 72.4 (2007 Q2); NI 152's 17.5 (2006 Q4, low is good); NI 171's 29.1 (2005).
 */
const CRAFTED: Array<{ name: string; target: TargetInput; status: string }> = [
  {
    name: "below a rising path",
    target: {
      indicatorCode: "NI 151",
      baselinePeriod: "2006 Q2",
      baselineValue: 73.3,
      milestones: [{ period: "2008 Q4", value: 74 }],
    },
    status: "off-track",
  },
  {
    name: "a shortfall inside the tolerance",
    target: {
      indicatorCode: "NI 151",
      baselinePeriod: "2006 Q2",
      baselineValue: 73.3,
      tolerance: 2,
      milestones: [{ period: "2008 Q4", value: 74 }],
    },
    status: "at-risk",
  },
  {
    name: "low is good, under the path, milestones out of order",
    target: {
      indicatorCode: "NI 152",
      baselinePeriod: "2005 Q2",
      baselineValue: 17.1,
      milestones: [
        { period: "2010 Q4", value: 19.5 },
        { period: "2008 Q4", value: 19 },
      ],
    },
    status: "on-track",
  },
  {
    name: "no milestones yet",
    target: { indicatorCode: "NI 171", baselinePeriod: "2005", baselineValue: 29.1 },
    status: "no-data",
  },
  {
    name: "a baseline later than the latest value",
    target: {
      indicatorCode: "NI 171",
      baselinePeriod: "2007",
      baselineValue: 30,
      milestones: [{ period: "2010", value: 34 }],
    },
    status: "no-data",
  },
  {
    name: "no judgement, within the tolerance either side",
    target: {
      indicatorCode: "LOCAL N",
      baselinePeriod: "2006",
      baselineValue: 50,
      tolerance: 1,
      milestones: [{ period: "2008", value: 55 }],
    },
    status: "on-track",
  },
  {
    name: "a miss the confidence interval cannot tell from the milestone",
    target: {
      indicatorCode: "LOCAL CI",
      baselinePeriod: "2006",
      baselineValue: 70,
      milestones: [{ period: "2008", value: 74 }],
    },
    status: "at-risk",
  },
  {
    name: "no value for the partnership's area",
    target: {
      indicatorCode: "LOCAL W",
      baselinePeriod: "2006",
      baselineValue: 10,
      milestones: [{ period: "2008", value: 20 }],
    },
    status: "no-data",
  },
];

describe("one judge for every place that shows a target's status", () => {
  it("gives the demo plan's targets the same status in the overview, report, dashboard, step 3 and the store", async () => {
    fx = await createFixture();
    const { planId } = await seedDemoPlan(fx.db);
    await fx.db.transaction().execute((trx) => recomputeStatuses(trx, { cause: "Demo data loaded" }));
    const { rows } = await statusesEverywhere(fx, planId);
    await expectAgreement(fx, planId);
    expect(rows.map((r) => r.overview)).toEqual(["off-track", "off-track", "on-track"]);
  });

  it("judges a refreshed plan's copied targets in the same call", async () => {
    fx = await createFixture();
    const { planId } = await seedDemoPlan(fx.db);
    await fx.db.transaction().execute((trx) => recomputeStatuses(trx, { cause: "Demo data loaded" }));
    const lead = await fx.caller("lead");
    const next = await lead.plan.refresh({ partnershipId: fx.coventryId, planId });
    const { rows } = await statusesEverywhere(fx, next.id);
    await expectAgreement(fx, next.id);
    expect(rows.map((r) => r.stored)).toEqual(["off-track", "off-track", "on-track"]);
    const causes = await fx.db
      .selectFrom("status_change")
      .select("cause")
      .where("plan_id", "=", next.id)
      .execute();
    expect(causes.map((c) => c.cause)).toEqual(Array(3).fill("Plan refreshed by Cara Lead (Coventry)"));
  });

  it("judges every target of an indicator again when its polarity changes in the catalogue", async () => {
    fx = await createFixture();
    const { planId } = await seedDemoPlan(fx.db);
    await fx.db.transaction().execute((trx) => recomputeStatuses(trx, { cause: "Demo data loaded" }));
    const admin = await fx.caller("admin");
    await admin.indicator.update({
      ...(DEMO_INDICATORS[1] as (typeof DEMO_INDICATORS)[number]),
      polarity: "high-is-good",
      version: 1,
      changeNote: "Read the wrong way round",
    });
    const agreed = await expectAgreement(fx, planId);
    expect(Object.values(agreed)).toEqual(["off-track", "on-track", "on-track"]);
    const change = await fx.db
      .selectFrom("status_change")
      .select(["indicator_code", "from_status", "to_status", "cause"])
      .where("plan_id", "=", planId)
      .orderBy("id", "desc")
      .executeTakeFirst();
    expect(change).toEqual({
      indicator_code: "NI 152",
      from_status: "off-track",
      to_status: "on-track",
      cause: "Indicator NI 152 changed by Demo Administrator",
    });
  });

  it("gives crafted targets the same status everywhere as soon as they are saved, and as data arrives", async () => {
    fx = await createFixture();
    await localIndicators(fx);
    const { planId, save } = await draftPlan(fx);
    const ids: number[] = [];
    for (const c of CRAFTED) ids.push((await save(c.target)).id);
    const agreed = await expectAgreement(fx, planId);
    expect(ids.map((id, k) => [CRAFTED[k]?.name, agreed[id]])).toEqual(
      CRAFTED.map((c) => [c.name, c.status]),
    );

    // New values arrive by import: Coventry's employment rate recovers, and LOCAL W gains a value.
    const admin = await fx.caller("admin");
    const csv = "indicator,area,period,value\nNI 151,E08000026,2008 Q4,74.6\nLOCAL W,E08000026,2007,25\n";
    const fileId = await fx.upload("crafted.csv", csv);
    await admin.imports.preview({
      fileId,
      mapping: {
        source: "crafted",
        columns: { indicator: "indicator", area: "area", period: "period", value: "value" },
      },
    });
    expect((await admin.imports.commit({ fileId })).ok).toBe(true);
    const after = await expectAgreement(fx, planId);
    expect(ids.map((id) => after[id])).toEqual([
      "on-track",
      "on-track",
      "on-track",
      "no-data",
      "no-data",
      "on-track",
      "at-risk",
      "on-track",
    ]);
  });
});

describe("the cached overview", () => {
  it("never serves one database's overview for another's with the same plan id, version and audit count", async () => {
    const other = await createFixture();
    try {
      fx = await createFixture();
      // The same steps in both databases; only the second has a newer value, written without audit.
      await upsertObservations(other.db, [
        {
          indicatorCode: "NI 151",
          areaCode: COVENTRY,
          period: "2008 Q4",
          value: 74.6,
          numerator: null,
          denominator: null,
          lower: null,
          upper: null,
        },
      ]);
      const statusIn = async (f: Fixture) => {
        const { planId, save } = await draftPlan(f);
        await save(CRAFTED[0]?.target as TargetInput);
        const viewer = await f.caller("viewer");
        const overview = await viewer.plan.overview({ partnershipId: f.coventryId, planId });
        return overview.priorities[0]?.indicators[0]?.status;
      };
      expect(await statusIn(fx)).toBe("off-track");
      expect(await statusIn(other)).toBe("on-track");
    } finally {
      await other.db.destroy();
    }
  });
});

describe("saving or removing a target", () => {
  it("judges the target again in the same call when a milestone changes, with the cause", async () => {
    fx = await createFixture();
    const { planId, priorityId, save, editor } = await draftPlan(fx);
    const target = CRAFTED[0]?.target as TargetInput;
    const saved = await save(target);
    const stored = () =>
      fx.db.selectFrom("target_status").selectAll().where("item_id", "=", saved.id).executeTakeFirst();
    const history = () =>
      fx.db
        .selectFrom("status_change")
        .select(["from_status", "to_status", "cause", "period", "actual"])
        .where("item_id", "=", saved.id)
        .orderBy("id")
        .execute();
    expect((await stored())?.status).toBe("off-track");
    expect(await history()).toEqual([
      {
        from_status: null,
        to_status: "off-track",
        cause: "Target added by Ed Editor (Coventry)",
        period: "2007 Q2",
        actual: 72.4,
      },
    ]);

    // A gentler path: 70 by 2008 Q4 expects about 72.0 at 2007 Q2, and 72.4 beats it.
    const gentler = { ...target, milestones: [{ period: "2008 Q4", value: 70 }] };
    const changed = await editor.item.save({
      partnershipId: fx.coventryId,
      priorityId,
      id: saved.id,
      version: saved.version,
      item: { kind: "indicator", data: gentler as never },
    });
    expect((await stored())?.status).toBe("on-track");
    expect((await history()).at(-1)).toEqual({
      from_status: "off-track",
      to_status: "on-track",
      cause: "Target changed by Ed Editor (Coventry)",
      period: "2007 Q2",
      actual: 72.4,
    });
    await expectAgreement(fx, planId);

    // A save that moves no status records no change.
    await editor.item.save({
      partnershipId: fx.coventryId,
      priorityId,
      id: saved.id,
      version: changed.version,
      item: { kind: "indicator", data: { ...gentler, stretch: true } as never },
    });
    expect(await history()).toHaveLength(2);
  });

  it("leaves no status behind when the target is removed", async () => {
    fx = await createFixture();
    const { planId, save, editor } = await draftPlan(fx);
    const saved = await save(CRAFTED[0]?.target as TargetInput);
    expect(
      await fx.db.selectFrom("target_status").select("status").where("item_id", "=", saved.id).execute(),
    ).toHaveLength(1);
    await editor.item.remove({ partnershipId: fx.coventryId, id: saved.id, version: saved.version });
    expect(
      await fx.db.selectFrom("target_status").select("status").where("item_id", "=", saved.id).execute(),
    ).toEqual([]);
    expect(
      await fx.db.selectFrom("status_change").select("id").where("item_id", "=", saved.id).execute(),
    ).toEqual([]);
    await expectAgreement(fx, planId);
  });
});

describe("one staleness rule", () => {
  it("makes the overview and the quality report call the same data out of date on the same day", async () => {
    fx = await createFixture();
    const { save } = await draftPlan(fx);
    const saved = await save({ indicatorCode: "NI 151" });
    if (saved.kind !== "indicator") throw new Error("not a target");
    // NI 151 (quarterly, no release lag given) ends at 2007 Q2; 2007 Q3 ends on 30 September.
    for (const day of ["2007-12-30", "2008-01-28", "2008-01-29"]) {
      const analysis = await analyseIndicator(fx.db, {
        areaCode: COVENTRY,
        itemId: saved.id,
        data: saved.data,
        now: new Date(`${day}T12:00:00Z`),
        forecast: false,
      });
      const quality = await qualityReport(fx.db, { asOf: day, indicatorCode: "NI 151" });
      expect({ day, overview: analysis.freshness.stale }).toEqual({
        day,
        overview: quality.stale.some((s) => s.indicatorCode === "NI 151"),
      });
    }
  });

  it("expects the quarter after one ending 31 March to end on 30 June, not 1 July", async () => {
    fx = await createFixture();
    const admin = await fx.caller("admin");
    await admin.indicator.create({
      code: "LOCAL Q",
      title: "Quarterly, published the day the quarter ends",
      valueType: "count",
      polarity: "high-is-good",
      frequency: "quarterly",
      releaseLagDays: 0,
    });
    await upsertObservations(fx.db, [
      {
        indicatorCode: "LOCAL Q",
        areaCode: COVENTRY,
        period: "2007 Q1",
        value: 5,
        numerator: null,
        denominator: null,
        lower: null,
        upper: null,
      },
    ]);
    const { planId, save } = await draftPlan(fx);
    await save({ indicatorCode: "LOCAL Q" });
    const viewer = await fx.caller("viewer");
    const overview = await viewer.plan.overview({ partnershipId: fx.coventryId, planId });
    expect(overview.warnings.filter((w) => w.kind === "stale-data").map((w) => w.text)).toEqual([
      "LOCAL Q Quarterly, published the day the quarter ends: the latest value is for 2007 Q1; a newer one was due by 2007-06-30.",
    ]);
    const quality = await qualityReport(fx.db, { asOf: "2007-07-01", indicatorCode: "LOCAL Q" });
    expect(quality.stale).toMatchObject([{ expectedPeriod: "2007 Q2", dueSince: "2007-06-30" }]);
  });
});
