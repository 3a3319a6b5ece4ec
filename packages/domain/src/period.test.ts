import { describe, expect, it } from "vitest";
import { comparePeriodBounds, type Period, periodBounds, periodFromKey, periodKey } from "./period.ts";

const cases: Array<[Period, string]> = [
  [{ type: "calendar-year", year: 2007 }, "2007"],
  [{ type: "financial-year", startYear: 2006 }, "2006/07"],
  [{ type: "financial-year", startYear: 1999 }, "1999/00"],
  [{ type: "academic-year", startYear: 2021 }, "AY 2021/22"],
  [{ type: "quarter", year: 2007, quarter: 2 }, "2007 Q2"],
  [{ type: "month", year: 2023, month: 3 }, "2023-03"],
  [{ type: "rolling-12-months", endYear: 2022, endMonth: 9 }, "12M to 2022-09"],
  [{ type: "multi-year", startYear: 2015, endYear: 2017 }, "2015-2017"],
];

describe("period keys", () => {
  it.each(cases)("writes and reads %o as %s", (period, key) => {
    expect(periodKey(period)).toBe(key);
    expect(periodFromKey(key)).toEqual(period);
  });

  it("refuses keys whose parts disagree, quoting them", () => {
    expect(() => periodFromKey("2006/09")).toThrow('"2006/09"');
    expect(() => periodFromKey("2007 Q5")).toThrow(RangeError);
    expect(() => periodFromKey("2023-13")).toThrow(RangeError);
  });

  it("gives the days a period covers", () => {
    expect(periodBounds({ type: "financial-year", startYear: 2006 })).toEqual({
      start: "2006-04-01",
      end: "2007-03-31",
    });
    expect(periodBounds({ type: "rolling-12-months", endYear: 2022, endMonth: 9 })).toEqual({
      start: "2021-10-01",
      end: "2022-09-30",
    });
    expect(periodBounds({ type: "quarter", year: 2008, quarter: 1 }).end).toBe("2008-03-31");
    expect(periodBounds({ type: "month", year: 2024, month: 2 }).end).toBe("2024-02-29");
  });

  it("orders periods in time", () => {
    const keys = ["2007 Q2", "2005 Q4", "2006 Q1"];
    expect(keys.map(periodFromKey).sort(comparePeriodBounds).map(periodKey)).toEqual([
      "2005 Q4",
      "2006 Q1",
      "2007 Q2",
    ]);
  });
});
