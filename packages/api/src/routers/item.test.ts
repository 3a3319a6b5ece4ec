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
