import { createTestDb } from "@fivestep/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, describe, expect, it } from "vitest";
import { createContextInner } from "../context.ts";
import { createCaller } from "../root.ts";

describe("the where-are-we-now slice through the real router", async () => {
  const db = await createTestDb({ demo: true });
  const caller = createCaller(createContextInner({ db }));
  afterAll(() => db.destroy());

  it("lists the catalogue and finds an indicator by code", async () => {
    const list = await caller.indicator.list();
    expect(list.map((i) => i.code)).toEqual(["NI 151", "NI 152", "NI 171"]);
    const ni171 = await caller.indicator.byCode({ code: "NI 171" });
    expect(ni171).toMatchObject({ valueType: "rate", polarity: "high-is-good", frequency: "annual" });
  });

  it("says which code it could not find", async () => {
    await expect(caller.indicator.byCode({ code: "NI 999" })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: 'No indicator with code "NI 999"',
    });
  });

  it("lists areas with their parents", async () => {
    const areas = await caller.area.list();
    expect(areas.find((a) => a.code === "E08000026")).toEqual({
      code: "E08000026",
      name: "Coventry",
      type: "metropolitan district",
      parentCode: "E12000005",
    });
  });

  it("returns the three areas' employment series with directions of travel", async () => {
    const result = await caller.observation.series({
      indicatorCode: "NI 151",
      areaCodes: ["E08000026", "E08000031", "E12000005"],
    });
    expect(result.periods).toEqual([
      "2005 Q4",
      "2006 Q1",
      "2006 Q2",
      "2006 Q3",
      "2006 Q4",
      "2007 Q1",
      "2007 Q2",
    ]);
    const coventry = result.series[0];
    expect(coventry?.points.at(-1)).toMatchObject({ period: "2007 Q2", value: 72.4 });
    expect(coventry?.direction).toMatchObject({ from: "2007 Q1", to: "2007 Q2", judgement: "worsening" });
    expect(coventry?.direction?.change).toBeCloseTo(-0.6, 10);
    // Claimant rate is low-is-good: Wolverhampton 21.9 → 21.2 is improving.
    const claimants = await caller.observation.series({ indicatorCode: "NI 152", areaCodes: ["E08000031"] });
    expect(claimants.series[0]?.direction?.judgement).toBe("improving");
  });

  it("refuses malformed input with field-level errors", async () => {
    const error = await caller.observation
      .series({ indicatorCode: "", areaCodes: ["not a code!"] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
  });
});
