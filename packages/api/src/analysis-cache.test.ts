import { TRPCError } from "@trpc/server";
import { afterEach, describe, expect, it } from "vitest";
import { createFixture, type Fixture } from "./testing/fixtures.ts";

let fx: Fixture;
afterEach(async () => {
  await fx?.db.destroy();
});

async function targetItem(f: Fixture) {
  const editor = await f.caller("editor");
  const plan = await editor.plan.create({
    partnershipId: f.coventryId,
    title: "Coventry LAA",
    vision: "",
    startYear: 2008,
  });
  const priority = await editor.priority.create({
    partnershipId: f.coventryId,
    planId: plan.id,
    theme: "Economy",
    title: "To promote job creation",
    ownerName: "Head of Economy",
  });
  const item = await editor.item.save({
    partnershipId: f.coventryId,
    priorityId: priority.id,
    item: {
      kind: "indicator",
      data: {
        indicatorCode: "NI 171",
        baselinePeriod: "2005",
        baselineValue: 29.1,
        milestones: [{ period: "2010", value: 34 }],
      },
    },
  });
  return { editor, itemId: item.id };
}

describe("step 1's analysis is remembered until something changes", () => {
  it("answers a repeated request from memory, for every member alike", async () => {
    fx = await createFixture();
    const { editor, itemId } = await targetItem(fx);
    const viewer = await fx.caller("viewer");
    const first = await viewer.priority.analysis({ partnershipId: fx.coventryId, itemId });
    const again = await editor.priority.analysis({ partnershipId: fx.coventryId, itemId });
    expect(again).toBe(first);
  });

  it("never answers another partnership from memory", async () => {
    fx = await createFixture();
    const { editor, itemId } = await targetItem(fx);
    await editor.priority.analysis({ partnershipId: fx.coventryId, itemId });
    const other = await fx.caller("otherLead");
    const refused = await other.priority
      .analysis({ partnershipId: fx.wolverhamptonId, itemId })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe("NOT_FOUND");
  });

  it("answers afresh after an audited change (a change point's note)", async () => {
    fx = await createFixture();
    const { editor, itemId } = await targetItem(fx);
    const before = await editor.priority.analysis({ partnershipId: fx.coventryId, itemId });
    const own = before.series.find((s) => s.areaCode === before.context.area.code);
    const period = own?.points[1]?.period;
    expect(period).toBeDefined();
    await editor.item.saveChangePointNote({
      partnershipId: fx.coventryId,
      itemId,
      period: period as string,
      note: "A new employer opened",
    });
    const after = await editor.priority.analysis({ partnershipId: fx.coventryId, itemId });
    expect(after).not.toBe(before);
    expect(after.changes).toContainEqual(expect.objectContaining({ period, note: "A new employer opened" }));
    expect(before.changes.some((c) => c.note === "A new employer opened")).toBe(false);
  });
});
