import { afterEach, describe, expect, it } from "vitest";
import { createFixture, type Fixture } from "../testing/fixtures.ts";

let fx: Fixture;
afterEach(async () => {
  await fx?.db.destroy();
});

async function priorityWithTarget(f: Fixture) {
  const editor = await f.caller("editor");
  const plan = await editor.plan.create({
    partnershipId: f.coventryId,
    title: "Coventry plan",
    vision: "",
    startYear: 2008,
  });
  const priority = await editor.priority.create({
    partnershipId: f.coventryId,
    planId: plan.id,
    theme: "Economy",
    title: "Jobs",
    ownerName: "Owner",
  });
  const indicator = await editor.item.save({
    partnershipId: f.coventryId,
    priorityId: priority.id,
    item: {
      kind: "indicator",
      data: {
        indicatorCode: "NI 171",
        baselinePeriod: "2005",
        baselineValue: 29.1,
        shape: "front-loaded",
        stretch: true,
        tolerance: 0.5,
        milestones: [
          { period: "2008", value: 31, reason: "Start-up grants begin" },
          { period: "2010", value: 34, reason: "" },
        ],
      },
    },
  });
  return { editor, priority, indicator };
}

describe("an indicator's comparator group", () => {
  it("changes without losing the target, its trajectory or its reasons", async () => {
    fx = await createFixture();
    const { editor, priority, indicator } = await priorityWithTarget(fx);
    const admin = await fx.caller("admin");
    const group = await admin.comparatorGroup.create({ name: "Pair", areaCodes: ["E08000031"] });
    // Step 1 sends what it shows: the indicator and its group.
    const saved = await editor.item.save({
      partnershipId: fx.coventryId,
      priorityId: priority.id,
      id: indicator.id,
      version: indicator.version,
      item: { kind: "indicator", data: { indicatorCode: "NI 171", comparatorGroupId: group.id } },
    });
    const expected = {
      indicatorCode: "NI 171",
      comparatorGroupId: group.id,
      baselinePeriod: "2005",
      baselineValue: 29.1,
      shape: "front-loaded",
      stretch: true,
      tolerance: 0.5,
      milestones: [
        { period: "2008", value: 31, reason: "Start-up grants begin" },
        { period: "2010", value: 34, reason: "" },
      ],
    };
    expect(saved.data).toEqual(expected);
    const stored = (
      await editor.priority.byId({ partnershipId: fx.coventryId, priorityId: priority.id })
    ).items.find((i) => i.id === indicator.id);
    expect(stored?.data).toEqual(expected);
    // And back to no group, still keeping the target.
    const cleared = await editor.item.save({
      partnershipId: fx.coventryId,
      priorityId: priority.id,
      id: indicator.id,
      version: saved.version,
      item: { kind: "indicator", data: { indicatorCode: "NI 171", comparatorGroupId: null } },
    });
    expect(cleared.data).toEqual({ ...expected, comparatorGroupId: null });
  });

  it("still lets step 3 clear a target by sending it empty", async () => {
    fx = await createFixture();
    const { editor, priority, indicator } = await priorityWithTarget(fx);
    const saved = await editor.item.save({
      partnershipId: fx.coventryId,
      priorityId: priority.id,
      id: indicator.id,
      version: indicator.version,
      item: {
        kind: "indicator",
        data: {
          indicatorCode: "NI 171",
          comparatorGroupId: null,
          baselinePeriod: null,
          baselineValue: null,
          shape: "linear",
          stretch: false,
          tolerance: 0,
          milestones: [],
        },
      },
    });
    expect(saved.data).toMatchObject({ baselinePeriod: null, baselineValue: null, milestones: [] });
  });
});

describe("an action's progress", () => {
  async function plannedAction(f: Fixture) {
    const { editor, priority } = await priorityWithTarget(f);
    const action = await editor.item.save({
      partnershipId: f.coventryId,
      priorityId: priority.id,
      item: { kind: "action", data: { kind: "training", what: "Train advisers", leadPerson: "Ed" } },
    });
    return { editor, priority, action };
  }
  async function statusOf(editor: Awaited<ReturnType<Fixture["caller"]>>, priorityId: number, id: number) {
    const detail = await editor.priority.byId({ partnershipId: fx.coventryId, priorityId });
    const item = detail.items.find((i) => i.id === id);
    return item?.kind === "action" ? { status: item.data.status, version: item.version } : undefined;
  }

  it("moves a planned action to in progress, then to done at 100%", async () => {
    fx = await createFixture();
    const { editor, priority, action } = await plannedAction(fx);
    const update = { partnershipId: fx.coventryId, actionId: action.id, date: "2008-06-01", note: "Begun" };
    await editor.item.addActionUpdate({ ...update, percentComplete: 20 });
    const started = await statusOf(editor, priority.id, action.id);
    expect(started?.status).toBe("in-progress");
    expect(started?.version).toBeGreaterThan(action.version);
    await editor.item.addActionUpdate({
      ...update,
      date: "2008-09-01",
      note: "Finished",
      percentComplete: 100,
    });
    expect((await statusOf(editor, priority.id, action.id))?.status).toBe("done");
    // The status change is audited as a change of the action, naming the progress that made it.
    const trail = await fx.db
      .selectFrom("audit_event")
      .select(["entity", "action", "after_json"])
      .where("entity", "=", "plan_item")
      .where("entity_id", "=", String(action.id))
      .where("action", "=", "update")
      .orderBy("id")
      .execute();
    expect(trail.map((r) => JSON.parse(r.after_json ?? "null")?.data?.status)).toEqual([
      "in-progress",
      "done",
    ]);
  });

  it("leaves a stopped action stopped, and a changed status as the editor set it", async () => {
    fx = await createFixture();
    const { editor, priority, action } = await plannedAction(fx);
    if (action.kind !== "action") throw new Error("expected an action");
    const stopped = await editor.item.save({
      partnershipId: fx.coventryId,
      priorityId: priority.id,
      id: action.id,
      version: action.version,
      item: { kind: "action", data: { ...action.data, status: "stopped" } },
    });
    expect(stopped.kind === "action" && stopped.data.status).toBe("stopped");
    await editor.item.addActionUpdate({
      partnershipId: fx.coventryId,
      actionId: action.id,
      date: "2008-06-01",
      note: "Funding withdrawn",
      percentComplete: 100,
    });
    expect((await statusOf(editor, priority.id, action.id))?.status).toBe("stopped");
  });
});
