import type { ImportMappingInput } from "@fivestep/domain";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ACTORS, createFixture, type Fixture } from "../testing/fixtures.ts";

const MAPPING: ImportMappingInput = {
  source: "Council returns",
  columns: { indicator: "ind", area: "area", period: "period", value: "value" },
};

let fx: Fixture;
let admin: Awaited<ReturnType<Fixture["caller"]>>;
beforeEach(async () => {
  fx = await createFixture();
  admin = await fx.caller("admin");
});
afterEach(() => fx.db.destroy());

const storedValue = async (period: string, areaCode = "E08000026") =>
  (await admin.observation.series({ indicatorCode: "NI 151", areaCodes: [areaCode] })).series[0]?.points.find(
    (p) => p.period === period,
  )?.value ?? null;

async function previewed(csv: string) {
  const fileId = await fx.upload("returns.csv", csv);
  return { fileId, preview: await admin.imports.preview({ fileId, mapping: MAPPING }) };
}

describe("imports and locked periods", () => {
  it("lists locked changes at preview, refuses the commit without a reason, and keeps the reason with each revision", async () => {
    await admin.periodLock.lock({ indicatorCode: "NI 151", period: "2007 Q2" });
    const unlockedBefore = await storedValue("2007 Q1");
    expect(unlockedBefore).not.toBeNull();
    const csv = [
      "ind,area,period,value",
      "NI 151,E08000026,2007 Q2,73",
      `NI 151,E08000026,2007 Q1,${(unlockedBefore as number) + 1}`,
      "NI 151,E08000026,2009 Q1,70",
    ].join("\n");
    const { fileId, preview } = await previewed(csv);
    expect(preview.problemCount).toBe(0);
    expect(preview.lockedChangeCount).toBe(1);
    expect(preview.lockedChanges).toEqual([
      {
        row: 2,
        indicator: "NI 151",
        area: "E08000026",
        period: "2007 Q2",
        breakdown: "",
        current: 72.4,
        value: 73,
      },
    ]);

    const batchesBefore = await admin.imports.batches();
    await expect(admin.imports.commit({ fileId })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "The file changes values in locked periods (1): give one revision reason for all of them",
      cause: {
        field: "revisionReason",
        reason: { code: "import.lockedNeedsReason", params: { count: 1 } },
      },
    });
    // Nothing written: not the locked value, nor the unlocked or new ones.
    await expect(admin.imports.commit({ fileId, revisionReason: "   " })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await storedValue("2007 Q2")).toBe(72.4);
    expect(await storedValue("2007 Q1")).toBe(unlockedBefore);
    expect(await storedValue("2009 Q1")).toBeNull();
    expect(await admin.imports.batches()).toEqual(batchesBefore);

    const reason = "The ONS reweighted the Labour Force Survey";
    const committed = await admin.imports.commit({ fileId, revisionReason: reason });
    expect(committed.ok && committed.result).toMatchObject({ inserted: 1, updated: 2, lockedChangeCount: 1 });
    expect(await storedValue("2007 Q2")).toBe(73);
    const revisions = await admin.imports.revisions({ indicatorCode: "NI 151", areaCode: "E08000026" });
    expect(revisions.map((r) => [r.period, r.old.value, r.new.value, r.reason]).sort()).toEqual([
      ["2007 Q1", unlockedBefore, (unlockedBefore as number) + 1, null],
      ["2007 Q2", 72.4, 73, reason],
    ]);
  });

  it("needs no reason when only unlocked periods change, or a locked value stays the same", async () => {
    await admin.periodLock.lock({ indicatorCode: "NI 151", period: "2007 Q2" });
    const { fileId, preview } = await previewed(
      ["ind,area,period,value", "NI 151,E08000026,2007 Q2,72.4", "NI 151,E08000026,2009 Q1,70"].join("\n"),
    );
    expect(preview).toMatchObject({ lockedChanges: [], lockedChangeCount: 0 });
    const committed = await admin.imports.commit({ fileId });
    expect(committed.ok && committed.result).toMatchObject({ inserted: 1, updated: 0, unchanged: 1 });
  });

  it("refuses to roll back a batch whose value a lead approved since, leaving the approved value", async () => {
    const { fileId } = await previewed(
      ["ind,area,period,value", "NI 151,E08000026,2008 Q4,70", "NI 151,E08000026,2009 Q1,71"].join("\n"),
    );
    const committed = await admin.imports.commit({ fileId });
    const batchId = committed.ok ? (committed.result.batchId as number) : -1;

    const lead = await fx.caller("lead");
    const { ids } = await lead.monitoring.scheduleReturns({
      partnershipId: fx.coventryId,
      indicatorCode: "NI 151",
      assigneeUserId: await fx.userId(ACTORS.contributor),
      returns: [{ period: "2008 Q4", dueDate: "2099-12-31" }],
    });
    const id = ids[0] as number;
    await (await fx.caller("contributor")).monitoring.submitReturn({
      partnershipId: fx.coventryId,
      id,
      version: 1,
      value: 74.7,
    });
    await lead.monitoring.approveReturns({ partnershipId: fx.coventryId, returns: [{ id, version: 2 }] });
    expect(await storedValue("2008 Q4")).toBe(74.7);

    await expect(admin.imports.rollback({ batchId, version: 1 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message:
        "1 value(s) of this batch were changed since outside an import (an approved data return); rolling it back would overwrite them, so nothing was rolled back",
    });
    expect(await storedValue("2008 Q4")).toBe(74.7);
    expect(await storedValue("2009 Q1")).toBe(71);
    expect(await admin.imports.batch({ batchId })).toMatchObject({ status: "committed" });
  });

  it("refuses to roll back a batch that changed a value a lead has approved again since", async () => {
    const before = await storedValue("2007 Q1");
    expect(before).not.toBeNull();
    const { fileId } = await previewed(["ind,area,period,value", "NI 151,E08000026,2007 Q1,60"].join("\n"));
    const committed = await admin.imports.commit({ fileId });
    const batchId = committed.ok ? (committed.result.batchId as number) : -1;
    expect(committed.ok && committed.result).toMatchObject({ updated: 1 });

    const lead = await fx.caller("lead");
    const { ids } = await lead.monitoring.scheduleReturns({
      partnershipId: fx.coventryId,
      indicatorCode: "NI 151",
      assigneeUserId: await fx.userId(ACTORS.contributor),
      returns: [{ period: "2007 Q1", dueDate: "2099-12-31" }],
    });
    const id = ids[0] as number;
    await (await fx.caller("contributor")).monitoring.submitReturn({
      partnershipId: fx.coventryId,
      id,
      version: 1,
      value: 61.5,
    });
    await lead.monitoring.approveReturns({ partnershipId: fx.coventryId, returns: [{ id, version: 2 }] });

    await expect(admin.imports.rollback({ batchId, version: 1 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/^1 value\(s\) of this batch were changed since/),
    });
    expect(await storedValue("2007 Q1")).toBe(61.5);
  });
});
