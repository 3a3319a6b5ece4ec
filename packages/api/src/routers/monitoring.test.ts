import { seedDemoPlan } from "@fivestep/db";
import { afterEach, describe, expect, it } from "vitest";
import { recomputeStatuses } from "../monitoring.ts";
import { ACTORS, createFixture, type Fixture } from "../testing/fixtures.ts";

let fx: Fixture;
afterEach(async () => {
  await fx?.db.destroy();
});

/** The demo plan with its targets judged once, as a demo start leaves it. */
async function demo(f: Fixture) {
  const { planId } = await seedDemoPlan(f.db);
  const initial = await f.db
    .transaction()
    .execute((trx) => recomputeStatuses(trx, { cause: "Demo data loaded" }));
  return { planId, initial };
}

const statuses = async (f: Fixture, planId: number) => {
  const viewer = await f.caller("viewer");
  const report = await viewer.monitoring.report({ partnershipId: f.coventryId, planId });
  return Object.fromEntries(report.priorities.flatMap((p) => p.indicators.map((i) => [i.code, i.status])));
};

describe("recomputing statuses when data arrives", () => {
  it("changes exactly the statuses a crafted import should, and records why", async () => {
    fx = await createFixture();
    const { planId, initial } = await demo(fx);
    expect(initial.map((c) => [c.indicatorCode, c.from, c.to])).toEqual([
      ["NI 151", null, "off-track"],
      ["NI 152", null, "off-track"],
      ["NI 171", null, "on-track"],
    ]);
    expect(await statuses(fx, planId)).toEqual({
      "NI 151": "off-track",
      "NI 152": "off-track",
      "NI 171": "on-track",
    });

    // Coventry's employment rate recovers to 74.6 in 2008 Q4 (the milestone is 74.5); Wolverhampton's
    // value and a claimant-count value for another area change nothing of Coventry's.
    const csv = [
      "indicator,area,period,value",
      "NI 151,E08000026,2008 Q4,74.6",
      "NI 151,E08000031,2008 Q4,66",
      "NI 152,E08000031,2007 Q1,21",
    ].join("\n");
    const admin = await fx.caller("admin");
    const fileId = await fx.upload("crafted.csv", Buffer.from(csv));
    const preview = await admin.imports.preview({
      fileId,
      mapping: {
        source: "crafted",
        columns: { indicator: "indicator", area: "area", period: "period", value: "value" },
      },
    });
    expect(preview.problemCount).toBe(0);
    const committed = await admin.imports.commit({ fileId });
    expect(committed.ok).toBe(true);

    expect(await statuses(fx, planId)).toEqual({
      "NI 151": "on-track",
      "NI 152": "off-track",
      "NI 171": "on-track",
    });
    const lead = await fx.caller("lead");
    const dashboard = await lead.monitoring.dashboard({ partnershipId: fx.coventryId, planId });
    const fromImport = dashboard.changes.filter((c) => c.batch_id !== null);
    expect(fromImport.map((c) => [c.indicator_code, c.from_status, c.to_status, c.period, c.actual])).toEqual(
      [["NI 151", "off-track", "on-track", "2008 Q4", 74.6]],
    );
    expect(fromImport[0]?.cause).toMatch(/^Import batch \d+ \(crafted\.csv\)$/);

    // Rolling the batch back restores the earlier status, again with its cause.
    const batchId = committed.ok ? committed.result.batchId : null;
    await admin.imports.rollback({ batchId: batchId ?? 0, version: 1 });
    expect((await statuses(fx, planId))["NI 151"]).toBe("off-track");
  });

  it("lists what changed since the report was last issued", async () => {
    fx = await createFixture();
    const { planId } = await demo(fx);
    const lead = await fx.caller("lead");
    expect((await lead.monitoring.dashboard({ partnershipId: fx.coventryId, planId })).changes).toHaveLength(
      3,
    );
    // The board's pack goes only with every exception explained.
    const editor = await fx.caller("editor");
    for (const e of (await lead.monitoring.report({ partnershipId: fx.coventryId, planId })).exceptions) {
      await editor.monitoring.saveCommentary({
        partnershipId: fx.coventryId,
        itemId: e.itemId,
        period: e.latest?.period ?? "",
        text: "Explained to the board",
      });
    }
    await lead.monitoring.issue({ partnershipId: fx.coventryId, planId, audience: "board" });
    const after = await lead.monitoring.dashboard({ partnershipId: fx.coventryId, planId });
    expect(after.since).not.toBeNull();
    expect(after.changes).toEqual([]);
  });
});

describe("data returns", () => {
  it("lets the assigned contributor submit a due return, which is judged once a lead approves it", async () => {
    fx = await createFixture();
    const { planId } = await demo(fx);
    // Scheduled in January 2009, so the first return is late by now.
    const lead = await fx.caller("lead", { clock: () => Date.parse("2009-01-15T09:00:00Z") });
    const contributorId = await fx.userId(ACTORS.contributor);
    const { ids } = await lead.monitoring.scheduleReturns({
      partnershipId: fx.coventryId,
      indicatorCode: "NI 151",
      assigneeUserId: contributorId,
      returns: [
        { period: "2008 Q4", dueDate: "2009-02-28" },
        { period: "2009 Q1", dueDate: "2099-05-31" },
      ],
    });
    const contributor = await fx.caller("contributor");
    const inbox = await contributor.monitoring.notifications();
    // One coded entry per return (the reminders job will only email them).
    expect(inbox.map((n) => [n.code, n.params])).toEqual([
      ["reminder.dataReturn.assigned", { indicator: "NI 151", period: "2009 Q1", due: "2099-05-31" }],
      ["reminder.dataReturn.assigned", { indicator: "NI 151", period: "2008 Q4", due: "2009-02-28" }],
    ]);
    const queued = await fx.db.selectFrom("reminder_claim").select(["subject_id", "state"]).execute();
    expect(queued.map((c) => c.state)).toEqual(["queued", "queued"]);
    expect(queued.map((c) => c.subject_id).sort()).toEqual([...ids].sort());
    const mine = await contributor.monitoring.myReturns();
    expect(mine.map((r) => [r.period, r.late])).toEqual([
      ["2008 Q4", true],
      ["2009 Q1", false],
    ]);
    const other = await fx.caller("editor");
    const result = await contributor.monitoring.submitReturn({
      partnershipId: fx.coventryId,
      id: ids[0] ?? 0,
      version: 1,
      value: 74.7,
      note: "From the LFS",
    });
    expect(result).toMatchObject({ status: "pending", version: 2 });
    const pending = await other.observation.series({ indicatorCode: "NI 151", areaCodes: ["E08000026"] });
    expect(pending.series[0]?.points.at(-1)).toMatchObject({ period: "2007 Q2" });
    const approved = await lead.monitoring.approveReturns({
      partnershipId: fx.coventryId,
      returns: [{ id: ids[0] ?? 0, version: 2 }],
    });
    expect(approved.changes.map((c) => [c.indicatorCode, c.to])).toEqual([["NI 151", "on-track"]]);
    const series = await other.observation.series({ indicatorCode: "NI 151", areaCodes: ["E08000026"] });
    expect(series.series[0]?.points.at(-1)).toMatchObject({ period: "2008 Q4", value: 74.7 });
    // A contributor cannot submit someone else's return.
    const { ids: theirs } = await lead.monitoring.scheduleReturns({
      partnershipId: fx.coventryId,
      indicatorCode: "NI 152",
      assigneeUserId: await fx.userId(ACTORS.editor),
      returns: [{ period: "2008 Q4", dueDate: "2009-02-28" }],
    });
    await expect(
      contributor.monitoring.submitReturn({
        partnershipId: fx.coventryId,
        id: theirs[0] ?? 0,
        version: 1,
        value: 1,
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const all = await lead.monitoring.returns({ partnershipId: fx.coventryId });
    expect(all.map((r) => [r.indicator_code, r.period, r.status])).toEqual([
      ["NI 151", "2008 Q4", "approved"],
      ["NI 152", "2008 Q4", "due"],
      ["NI 151", "2009 Q1", "due"],
    ]);
    expect(planId).toBeGreaterThan(0);
  });
});

describe("reports", () => {
  it("puts exceptions first with the owner's commentary, and exports the same figures as CSV", async () => {
    fx = await createFixture();
    const { planId } = await demo(fx);
    const editor = await fx.caller("editor");
    const report = await editor.monitoring.report({ partnershipId: fx.coventryId, planId });
    expect(report.exceptions.map((e) => [e.code, e.status])).toEqual([
      ["NI 151", "off-track"],
      ["NI 152", "off-track"],
    ]);
    const ni151 = report.exceptions[0];
    await editor.monitoring.saveCommentary({
      partnershipId: fx.coventryId,
      itemId: ni151?.itemId ?? 0,
      period: "2007 Q2",
      text: "Two large employers closed in 2006.",
    });
    const again = await editor.monitoring.report({ partnershipId: fx.coventryId, planId });
    expect(again.exceptions[0]?.commentary?.text).toBe("Two large employers closed in 2006.");
    const { reportTables, tablesCsv, toCsv } = await import("../report-exports.ts");
    const csv = tablesCsv(reportTables(again, "full"));
    expect(csv.split("\r\n").slice(0, 2)).toEqual([
      "Indicators",
      "Priority,Owner,Indicator code,Indicator,Period,Latest value,Trajectory expects,Status,Trend,Against the region,Actions,Commentary",
    ]);
    expect(csv).toContain("NI 151,Employment rate (four-quarter average),2007 Q2,72.4,");
    expect(toCsv([["=SUM(A1)", 'a "b"', null]])).toBe('\'=SUM(A1),"a ""b""",\r\n');
  });

  it("shows a published plan to the public without personal data, and nothing unpublished", async () => {
    fx = await createFixture();
    const { planId } = await demo(fx);
    const anon = await fx.caller("anonymous");
    await expect(anon.monitoring.publicPlan({ planId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const lead = await fx.caller("lead");
    const version = (await lead.plan.byId({ partnershipId: fx.coventryId, planId })).plan.version;
    await lead.monitoring.setPublished({ partnershipId: fx.coventryId, planId, version, published: true });
    const view = await anon.monitoring.publicPlan({ planId });
    expect(view.priorities).toHaveLength(4);
    const text = JSON.stringify(view);
    for (const personal of [
      "Cory",
      "Ed Editor",
      "Head of Economic Development",
      "@",
      "leadPerson",
      "owner",
    ]) {
      expect(text).not.toContain(personal);
    }
  });
});
