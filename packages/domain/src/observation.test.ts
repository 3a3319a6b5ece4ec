import { describe, expect, it } from "vitest";
import { AreaSchema } from "./area.ts";
import { IndicatorSchema } from "./indicator.ts";
import { ObservationSchema } from "./observation.ts";

describe("domain schemas", () => {
  it("accepts an observation from the talk's table", () => {
    const o = ObservationSchema.parse({
      indicatorCode: "FS-EMP-4Q",
      areaCode: "E08000026",
      period: "2007 Q2",
      value: 72.4,
    });
    expect(o).toMatchObject({ value: 72.4, numerator: null, lower: null });
  });

  it("names the field that is wrong", () => {
    const r = ObservationSchema.safeParse({
      indicatorCode: "FS-EMP-4Q",
      areaCode: "E08000026",
      period: "Spring 2007",
      value: 72.4,
      lower: 5,
      upper: 1,
    });
    expect(r.success).toBe(false);
    const paths = r.error?.issues.map((i) => i.path.join("."));
    expect(paths).toContain("period");
  });

  it("refuses a lower limit above the upper limit", () => {
    const r = ObservationSchema.safeParse({
      indicatorCode: "X1",
      areaCode: "E1",
      period: "2007",
      value: 3,
      lower: 5,
      upper: 1,
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(["lower"]);
  });

  it("keeps area types as data", () => {
    const a = AreaSchema.parse({ code: "HR-21", name: "Grad Zagreb", type: "županija" });
    expect(a).toEqual({ code: "HR-21", name: "Grad Zagreb", type: "županija", parentCode: null });
  });

  it("refuses an unknown polarity", () => {
    const r = IndicatorSchema.safeParse({
      code: "X",
      title: "X",
      valueType: "count",
      polarity: "up",
      frequency: "annual",
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(["polarity"]);
  });
});
