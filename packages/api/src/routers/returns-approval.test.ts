import { nowIso, rememberImportMapping, seedDemoPlan } from "@fivestep/db";
import { afterEach, describe, expect, it } from "vitest";
import { recomputeStatuses } from "../monitoring.ts";
import { reportTables, tablesCsv } from "../report-exports.ts";
import { ACTORS, createFixture, type Fixture } from "../testing/fixtures.ts";

let fx: Fixture;
afterEach(async () => {
  await fx?.db.destroy();
});

/** The demo plan, agreed and published, with its targets judged once, as a demo start leaves it. */
async function demo(f: Fixture) {
  const { planId } = await seedDemoPlan(f.db);
  await f.db.transaction().execute((trx) => recomputeStatuses(trx, { cause: "Demo data loaded" }));
  const lead = await f.caller("lead");
  const version = (await lead.plan.byId({ partnershipId: f.coventryId, planId })).plan.version;
  await lead.monitoring.setPublished({ partnershipId: f.coventryId, planId, version, published: true });
  return planId;
}

/** Schedules returns for NI 151 owed by the contributor; their ids by period. */
async function schedule(f: Fixture, periods: string[], indicatorCode = "NI 151") {
  const lead = await f.caller("lead");
  const { ids } = await lead.monitoring.scheduleReturns({
    partnershipId: f.coventryId,
    indicatorCode,
    assigneeUserId: await f.userId(ACTORS.contributor),
    returns: periods.map((period) => ({ period, dueDate: "2099-12-31" })),
  });
  return new Map(periods.map((p, i) => [p, ids[i] ?? 0]));
}

const submit = async (f: Fixture, id: number, value: number, extra: { revisionReason?: string } = {}) =>
  (await f.caller("contributor")).monitoring.submitReturn({
    partnershipId: f.coventryId,
    id,
    version: 1,
    value,
    ...extra,
  });

/** What the data says for Coventry's NI 151 in a period, wherever it is read. */
async function everywhere(f: Fixture, planId: number, period: string) {
  const anon = await f.caller("anonymous");
  const viewer = await f.caller("viewer");
  const series = await anon.observation.series({ indicatorCode: "NI 151", areaCodes: ["E08000026"] });
  const report = await viewer.monitoring.report({ partnershipId: f.coventryId, planId });
  const overview = await viewer.plan.overview({ partnershipId: f.coventryId, planId });
  const publicPlan = await anon.monitoring.publicPlan({ planId });
  const ni151 = <T extends { code: string }>(list: T[]) => list.find((i) => i.code === "NI 151");
  return {
    series: series.series[0]?.points.find((p) => p.period === period)?.value ?? null,
    report: ni151(report.priorities.flatMap((p) => p.indicators))?.status,
    overview: ni151(overview.priorities.flatMap((p) => p.indicators))?.latest?.value,
    public: ni151(publicPlan.priorities.flatMap((p) => p.indicators))?.latest?.value,
    csv: tablesCsv(reportTables(report, "full")),
  };
}

describe("checks on data returns", () => {
  it("refuses a value outside its indicator's range, naming the indicator, the value and the range", async () => {
    fx = await createFixture();
    const ids = await schedule(fx, ["2008 Q4"]);
    await expect(submit(fx, ids.get("2008 Q4") ?? 0, 150)).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "150 is above the largest value NI 151 can take (0 to 100)",
      cause: {
        field: "value",
        reason: { code: "value.aboveMax", params: { indicator: "NI 151", value: 150, min: "0", max: "100" } },
      },
    });
    const [row] = await (await fx.caller("lead")).monitoring.returns({ partnershipId: fx.coventryId });
    expect(row).toMatchObject({ status: "due", value: null, version: 1 });
  });

  it("refuses a due date in the past when scheduling", async () => {
    fx = await createFixture();
    const lead = await fx.caller("lead", { clock: () => Date.parse("2024-04-01T09:00:00Z") });
    const input = {
      partnershipId: fx.coventryId,
      indicatorCode: "NI 151",
      assigneeUserId: await fx.userId(ACTORS.contributor),
    };
    await expect(
      lead.monitoring.scheduleReturns({
        ...input,
        returns: [
          { period: "2024 Q1", dueDate: "2024-04-30" },
          { period: "2023 Q4", dueDate: "2024-03-31" },
        ],
      }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "The due date 2024-03-31 has passed: choose 2024-04-01 or later",
      cause: { field: "returns.1.dueDate", reason: { code: "return.dueInPast" } },
    });
    expect(await lead.monitoring.returns({ partnershipId: fx.coventryId })).toEqual([]);
    const { ids } = await lead.monitoring.scheduleReturns({
      ...input,
      returns: [{ period: "2024 Q1", dueDate: "2024-04-01" }],
    });
    expect(ids).toHaveLength(1);
  });

  it("assigns returns only to members who may submit them", async () => {
    fx = await createFixture();
    const lead = await fx.caller("lead");
    const to = async (email: string) =>
      lead.monitoring.scheduleReturns({
        partnershipId: fx.coventryId,
        indicatorCode: "NI 151",
        assigneeUserId: await fx.userId(email),
        returns: [{ period: "2008 Q4", dueDate: "2099-12-31" }],
      });
    await expect(to(ACTORS.viewer)).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message:
        "Vi Viewer (Coventry) can only read this partnership's work, so cannot make data returns: choose a contributor, editor or lead",
      cause: { field: "assigneeUserId", reason: { code: "return.assigneeCannotSubmit" } },
    });
    await expect(to(ACTORS.otherLead)).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Choose a member of this partnership",
    });
    await expect(to(ACTORS.contributor)).resolves.toMatchObject({ ids: [expect.any(Number)] });
  });
});

describe("pending values and approval", () => {
  it("keeps a submitted value pending, out of statuses, the overview, reports, exports and public views, until the lead approves it", async () => {
    fx = await createFixture();
    const planId = await demo(fx);
    const ids = await schedule(fx, ["2008 Q4"]);
    const id = ids.get("2008 Q4") ?? 0;
    const before = await everywhere(fx, planId, "2008 Q4");
    expect(before).toMatchObject({ series: null, report: "off-track" });

    const submitted = await submit(fx, id, 74.7);
    expect(submitted).toMatchObject({ id, status: "pending" });
    // Nothing that reads the data has moved.
    expect(await everywhere(fx, planId, "2008 Q4")).toEqual(before);
    expect(before.csv).not.toContain("74.7");
    // It shows as pending where it was entered, and waits in the lead's queue.
    const contributor = await fx.caller("contributor");
    expect((await contributor.monitoring.myReturns())[0]).toMatchObject({
      id,
      status: "pending",
      value: 74.7,
    });
    const lead = await fx.caller("lead");
    const queue = await lead.monitoring.approvalQueue({ partnershipId: fx.coventryId });
    expect(queue.map((r) => [r.indicator_code, r.period, r.value, r.submittedByName, r.mine])).toEqual([
      ["NI 151", "2008 Q4", 74.7, "Cory Contributor (Coventry)", false],
    ]);
    expect((await lead.monitoring.dashboard({ partnershipId: fx.coventryId, planId })).awaitingApproval).toBe(
      1,
    );

    const approved = await lead.monitoring.approveReturns({
      partnershipId: fx.coventryId,
      returns: [{ id, version: 2 }],
    });
    expect(approved.changes.map((c) => [c.indicatorCode, c.from, c.to])).toEqual([
      ["NI 151", "off-track", "on-track"],
    ]);
    const after = await everywhere(fx, planId, "2008 Q4");
    expect(after).toMatchObject({ series: 74.7, report: "on-track", overview: 74.7, public: 74.7 });
    expect(after.csv).toContain("2008 Q4,74.7,");
    const dashboard = await lead.monitoring.dashboard({ partnershipId: fx.coventryId, planId });
    expect(dashboard.awaitingApproval).toBe(0);
    expect(dashboard.changes[0]).toMatchObject({
      indicator_code: "NI 151",
      to_status: "on-track",
      cause: "Data return NI 151 2008 Q4 approved by Cara Lead (Coventry)",
    });
    expect((await contributor.monitoring.notifications())[0]).toMatchObject({
      code: "dataReturn.approved",
      params: { indicator: "NI 151", period: "2008 Q4", value: 74.7, by: "Cara Lead (Coventry)" },
      text: "Your data return for NI 151 2008 Q4 (74.7) was approved by Cara Lead (Coventry).",
    });
    const [row] = await lead.monitoring.returns({ partnershipId: fx.coventryId });
    expect(row).toMatchObject({
      status: "approved",
      approvedValue: 74.7,
      reviewedByName: "Cara Lead (Coventry)",
    });
    // Nothing to approve twice.
    await expect(
      lead.monitoring.approveReturns({ partnershipId: fx.coventryId, returns: [{ id, version: 3 }] }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", cause: { reason: { code: "return.nothingPending" } } });
  });

  it("never lets anyone approve a value they submitted", async () => {
    fx = await createFixture();
    const ids = await schedule(fx, ["2008 Q4"]);
    const lead = await fx.caller("lead");
    const id = ids.get("2008 Q4") ?? 0;
    await lead.monitoring.submitReturn({ partnershipId: fx.coventryId, id, version: 1, value: 74.7 });
    expect((await lead.monitoring.approvalQueue({ partnershipId: fx.coventryId }))[0]?.mine).toBe(true);
    await expect(
      lead.monitoring.approveReturns({ partnershipId: fx.coventryId, returns: [{ id, version: 2 }] }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "You submitted NI 151 2008 Q4 yourself: another lead must approve it.",
    });
    const [row] = await lead.monitoring.returns({ partnershipId: fx.coventryId });
    expect(row).toMatchObject({ status: "pending", version: 2, approvedValue: null });
  });

  it("records the replaced value as a revision when approval changes one", async () => {
    fx = await createFixture();
    const planId = await demo(fx);
    const ids = await schedule(fx, ["2007 Q2"]);
    const id = ids.get("2007 Q2") ?? 0;
    await submit(fx, id, 73.0, {});
    // A pending value never replaces the approved one.
    expect((await everywhere(fx, planId, "2007 Q2")).series).toBe(72.4);
    const [pending] = await (await fx.caller("contributor")).monitoring.myReturns();
    expect(pending).toMatchObject({ status: "pending", value: 73, approvedValue: 72.4 });
    const lead = await fx.caller("lead");
    await lead.monitoring.approveReturns({ partnershipId: fx.coventryId, returns: [{ id, version: 2 }] });
    expect((await everywhere(fx, planId, "2007 Q2")).series).toBe(73);
    const admin = await fx.caller("admin");
    const revisions = await admin.imports.revisions({ indicatorCode: "NI 151", areaCode: "E08000026" });
    expect(
      revisions.map((r) => [r.batchId, r.period, r.old.value, r.new.value, r.changedBy, r.reason]),
    ).toEqual([[null, "2007 Q2", 72.4, 73, "Cara Lead (Coventry)", null]]);
  });

  it("rejects with a reason: the return reopens and the contributor is told why", async () => {
    fx = await createFixture();
    await demo(fx);
    const ids = await schedule(fx, ["2008 Q4"]);
    const id = ids.get("2008 Q4") ?? 0;
    await submit(fx, id, 7.47);
    const lead = await fx.caller("lead");
    await expect(
      lead.monitoring.rejectReturns({
        partnershipId: fx.coventryId,
        returns: [{ id, version: 2 }],
        reason: " ",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await lead.monitoring.rejectReturns({
      partnershipId: fx.coventryId,
      returns: [{ id, version: 2 }],
      reason: "Looks like a misplaced decimal point: check the LFS table.",
    });
    const contributor = await fx.caller("contributor");
    const [reopened] = await contributor.monitoring.myReturns();
    expect(reopened).toMatchObject({
      id,
      status: "due",
      value: 7.47,
      review_note: "Looks like a misplaced decimal point: check the LFS table.",
      reviewedByName: "Cara Lead (Coventry)",
    });
    expect((await contributor.monitoring.notifications())[0]).toMatchObject({
      code: "dataReturn.rejected",
      params: {
        indicator: "NI 151",
        period: "2008 Q4",
        value: 7.47,
        by: "Cara Lead (Coventry)",
        reason: "Looks like a misplaced decimal point: check the LFS table.",
      },
      text: "Cara Lead (Coventry) sent back your data return for NI 151 2008 Q4 (7.47): Looks like a misplaced decimal point: check the LFS table.",
    });
    const anon = await fx.caller("anonymous");
    const series = await anon.observation.series({ indicatorCode: "NI 151", areaCodes: ["E08000026"] });
    expect(series.series[0]?.points.some((p) => p.period === "2008 Q4")).toBe(false);
    // The contributor corrects it, and the new value waits again.
    await contributor.monitoring.submitReturn({ partnershipId: fx.coventryId, id, version: 3, value: 74.7 });
    expect((await lead.monitoring.approvalQueue({ partnershipId: fx.coventryId }))[0]).toMatchObject({
      value: 74.7,
      review_note: null,
    });
  });

  it("approves a whole schedule at once, in one transaction, with one status change", async () => {
    fx = await createFixture();
    const planId = await demo(fx);
    const ids = await schedule(fx, ["2007 Q3", "2007 Q4", "2008 Q1"]);
    for (const [period, value] of [
      ["2007 Q3", 72.9],
      ["2007 Q4", 73.4],
      ["2008 Q1", 73.9],
    ] as const)
      await submit(fx, ids.get(period) ?? 0, value);
    const lead = await fx.caller("lead");
    const all = [...ids.values()].map((id) => ({ id, version: 2 }));
    // One stale version refuses the whole set.
    await expect(
      lead.monitoring.approveReturns({
        partnershipId: fx.coventryId,
        returns: [...all.slice(0, 2), { id: all[2]?.id ?? 0, version: 1 }],
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await lead.monitoring.approvalQueue({ partnershipId: fx.coventryId })).toHaveLength(3);
    expect((await everywhere(fx, planId, "2007 Q3")).series).toBeNull();

    const result = await lead.monitoring.approveReturns({ partnershipId: fx.coventryId, returns: all });
    expect(result.approved).toEqual([...ids.values()]);
    expect(await lead.monitoring.approvalQueue({ partnershipId: fx.coventryId })).toEqual([]);
    const series = await (await fx.caller("viewer")).observation.series({
      indicatorCode: "NI 151",
      areaCodes: ["E08000026"],
    });
    expect(series.series[0]?.points.slice(-3).map((p) => [p.period, p.value])).toEqual([
      ["2007 Q3", 72.9],
      ["2007 Q4", 73.4],
      ["2008 Q1", 73.9],
    ]);
    const changes = (
      await lead.monitoring.dashboard({ partnershipId: fx.coventryId, planId })
    ).changes.filter((c) => c.cause.startsWith("Data return"));
    // Judged once, on the latest of the three: 73.9 in 2008 Q1, just short of the trajectory.
    expect(result.changes.map((c) => [c.from, c.to, c.period, c.actual])).toEqual([
      ["off-track", "at-risk", "2008 Q1", 73.9],
    ]);
    expect(changes.map((c) => c.cause)).toEqual([
      "Data returns NI 151 2007 Q3, 2007 Q4, 2008 Q1 approved by Cara Lead (Coventry)",
    ]);
  });
});

describe("locked periods", () => {
  it("an administrator locks a reported period, and unlocks it; both are audited", async () => {
    fx = await createFixture();
    const admin = await fx.caller("admin");
    await expect(admin.periodLock.lock({ indicatorCode: "NI 151", period: "2030 Q1" })).rejects.toMatchObject(
      {
        code: "BAD_REQUEST",
        cause: { field: "period", reason: { code: "lock.notReported" } },
      },
    );
    await admin.periodLock.lock({ indicatorCode: "NI 151", period: "2007 Q2" });
    await expect(admin.periodLock.lock({ indicatorCode: "NI 151", period: "2007 Q2" })).rejects.toMatchObject(
      {
        cause: { reason: { code: "lock.alreadyLocked" } },
      },
    );
    const listed = await admin.periodLock.list({ indicatorCode: "NI 151" });
    expect(listed.locks.map((l) => [l.period, l.lockedBy])).toEqual([["2007 Q2", "Demo Administrator"]]);
    expect(listed.reported[0]).toEqual({ period: "2007 Q2", values: 3, locked: true });
    await admin.periodLock.unlock({ indicatorCode: "NI 151", period: "2007 Q2" });
    expect((await admin.periodLock.list({ indicatorCode: "NI 151" })).locks).toEqual([]);
    const trail = await admin.audit.list({ entity: "period_lock" });
    expect(trail.map((e) => e.action)).toEqual(["unlock", "lock"]);
  });

  it("refuses a change to a locked value without a reason, and records the revision with one", async () => {
    fx = await createFixture();
    const planId = await demo(fx);
    const admin = await fx.caller("admin");
    await admin.periodLock.lock({ indicatorCode: "NI 151", period: "2007 Q2" });
    const ids = await schedule(fx, ["2007 Q2", "2007 Q1"]);
    const id = ids.get("2007 Q2") ?? 0;
    await expect(submit(fx, id, 73)).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "NI 151 2007 Q2 is locked at 72.4: give a reason for revising it to 73",
      cause: { field: "revisionReason", reason: { code: "lock.reasonRequired" } },
    });
    // The same value, or another (unlocked) period, needs no reason.
    await expect(submit(fx, ids.get("2007 Q1") ?? 0, 71)).resolves.toMatchObject({ status: "pending" });
    const reason = "The ONS reweighted the Labour Force Survey";
    await expect(submit(fx, id, 73, { revisionReason: reason })).resolves.toMatchObject({
      status: "pending",
    });
    const lead = await fx.caller("lead");
    const [queued] = (await lead.monitoring.approvalQueue({ partnershipId: fx.coventryId })).filter(
      (r) => r.id === id,
    );
    expect(queued).toMatchObject({ locked: true, approvedValue: 72.4, value: 73, revision_reason: reason });
    await lead.monitoring.approveReturns({ partnershipId: fx.coventryId, returns: [{ id, version: 2 }] });
    expect((await everywhere(fx, planId, "2007 Q2")).series).toBe(73);
    const revisions = await admin.imports.revisions({ indicatorCode: "NI 151", areaCode: "E08000026" });
    expect(revisions.map((r) => [r.period, r.old.value, r.new.value, r.reason])).toEqual([
      ["2007 Q2", 72.4, 73, reason],
    ]);
  });

  it("refuses an approval that would change a value locked after it was submitted, unless the lead gives a reason", async () => {
    fx = await createFixture();
    await demo(fx);
    const ids = await schedule(fx, ["2007 Q2"]);
    const id = ids.get("2007 Q2") ?? 0;
    await submit(fx, id, 73);
    const admin = await fx.caller("admin");
    await admin.periodLock.lock({ indicatorCode: "NI 151", period: "2007 Q2" });
    const lead = await fx.caller("lead");
    await expect(
      lead.monitoring.approveReturns({ partnershipId: fx.coventryId, returns: [{ id, version: 2 }] }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      cause: { field: "revisionReason", reason: { code: "lock.reasonRequired" } },
    });
    await lead.monitoring.approveReturns({
      partnershipId: fx.coventryId,
      returns: [{ id, version: 2 }],
      revisionReason: "Agreed with the ONS",
    });
    const revisions = await admin.imports.revisions({ indicatorCode: "NI 151", areaCode: "E08000026" });
    expect(revisions[0]).toMatchObject({ period: "2007 Q2", reason: "Agreed with the ONS" });
  });
});

describe("import sources", () => {
  it("stores whether imports from a source arrive pending", async () => {
    fx = await createFixture();
    const admin = await fx.caller("admin");
    await rememberImportMapping(
      fx.db,
      "ONS APS",
      {
        source: "ONS APS",
        indicatorCode: "NI 151",
        columns: { area: "code", period: "when", value: "value" },
      },
      nowIso(),
    );
    const [source] = await admin.importSource.list();
    expect(source).toMatchObject({ source: "ONS APS", arrivesPending: false });
    const saved = await admin.importSource.setArrivesPending({
      id: source?.id ?? 0,
      version: source?.version ?? 0,
      arrivesPending: true,
    });
    expect(saved).toMatchObject({
      source: "ONS APS",
      arrivesPending: true,
      version: (source?.version ?? 0) + 1,
    });
    await expect(
      admin.importSource.setArrivesPending({
        id: source?.id ?? 0,
        version: source?.version ?? 0,
        arrivesPending: false,
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });
});
