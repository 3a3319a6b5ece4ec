import { type Period, periodKey } from "@fivestep/domain";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addPeriods, comparePeriods, formatPeriod, parsePeriod, periodIndex } from "./period.ts";

const year = fc.integer({ min: 1850, max: 2150 });
const arbitraryPeriod: fc.Arbitrary<Period> = fc.oneof(
  year.map((y) => ({ type: "calendar-year", year: y }) as const),
  year.map((y) => ({ type: "financial-year", startYear: y }) as const),
  year.map((y) => ({ type: "academic-year", startYear: y }) as const),
  fc
    .tuple(year, fc.integer({ min: 1, max: 4 }))
    .map(([y, q]) => ({ type: "quarter", year: y, quarter: q }) as const),
  fc
    .tuple(year, fc.integer({ min: 1, max: 12 }))
    .map(([y, m]) => ({ type: "month", year: y, month: m }) as const),
  fc
    .tuple(year, fc.integer({ min: 1, max: 12 }))
    .map(([y, m]) => ({ type: "rolling-12-months", endYear: y, endMonth: m }) as const),
  fc
    .tuple(year, fc.integer({ min: 1, max: 10 }))
    .map(([y, k]) => ({ type: "multi-year", startYear: y, endYear: y + k }) as const),
);

const SPELLINGS: ReadonlyArray<[string, Period]> = [
  ["2007", { type: "calendar-year", year: 2007 }],
  ["2006/07", { type: "financial-year", startYear: 2006 }],
  ["2006/2007", { type: "financial-year", startYear: 2006 }],
  ["FY 2006/07", { type: "financial-year", startYear: 2006 }],
  ["1999/00", { type: "financial-year", startYear: 1999 }],
  ["AY 2006/07", { type: "academic-year", startYear: 2006 }],
  ["Academic year 2006/07", { type: "academic-year", startYear: 2006 }],
  ["2006 Q3", { type: "quarter", year: 2006, quarter: 3 }],
  ["Q3 2006", { type: "quarter", year: 2006, quarter: 3 }],
  ["2006Q3", { type: "quarter", year: 2006, quarter: 3 }],
  ["Jan - Mar 2007", { type: "quarter", year: 2007, quarter: 1 }],
  ["2007-03", { type: "month", year: 2007, month: 3 }],
  ["March 2023", { type: "month", year: 2023, month: 3 }],
  ["mar 2023", { type: "month", year: 2023, month: 3 }],
  ["Sept 2020", { type: "month", year: 2020, month: 9 }],
  ["Oct 2021-Sep 2022", { type: "rolling-12-months", endYear: 2022, endMonth: 9 }],
  ["Oct 2021 – Sep 2022", { type: "rolling-12-months", endYear: 2022, endMonth: 9 }],
  ["October 2021 to September 2022", { type: "rolling-12-months", endYear: 2022, endMonth: 9 }],
  ["12M to 2022-09", { type: "rolling-12-months", endYear: 2022, endMonth: 9 }],
  ["2015 - 17", { type: "multi-year", startYear: 2015, endYear: 2017 }],
  ["2015-17", { type: "multi-year", startYear: 2015, endYear: 2017 }],
  ["2015-2017", { type: "multi-year", startYear: 2015, endYear: 2017 }],
  ["1999 - 01", { type: "multi-year", startYear: 1999, endYear: 2001 }],
  ["  2007  ", { type: "calendar-year", year: 2007 }],
];

describe("parsePeriod", () => {
  it.each(SPELLINGS)("reads %j", (text, period) => {
    expect(parsePeriod(text)).toEqual(period);
  });

  it.each([
    "2006/09",
    "Oct 2021 - Mar 2022",
    "Q5 2006",
    "2007-13-01",
    "Smarch 2020",
    "1700",
    "",
    "next year",
    "2015 - 2012",
  ])("refuses %j with an error quoting the text", (text) => {
    expect(() => parsePeriod(text)).toThrow(`"${text}"`);
  });

  it("reads every canonical key the domain writes", () => {
    fc.assert(
      fc.property(arbitraryPeriod, (p) => {
        expect(parsePeriod(periodKey(p))).toEqual(p);
      }),
    );
  });

  it("reads back what formatPeriod writes", () => {
    fc.assert(
      fc.property(arbitraryPeriod, (p) => {
        expect(parsePeriod(formatPeriod(p))).toEqual(p);
      }),
    );
  });
});

describe("formatPeriod", () => {
  it("writes the human spellings", () => {
    expect(formatPeriod(parsePeriod("2006/07"))).toBe("2006/07");
    expect(formatPeriod(parsePeriod("2007-03"))).toBe("March 2007");
    expect(formatPeriod(parsePeriod("12M to 2022-09"))).toBe("Oct 2021 - Sep 2022");
    expect(formatPeriod(parsePeriod("2015-2017"))).toBe("2015 - 17");
    expect(formatPeriod(parsePeriod("Q3 2006"))).toBe("2006 Q3");
    expect(formatPeriod(parsePeriod("AY 2006/07"))).toBe("Academic year 2006/07");
    expect(formatPeriod({ type: "rolling-12-months", endYear: 2022, endMonth: 12 })).toBe(
      "Jan 2022 - Dec 2022",
    );
  });
});

describe("comparePeriods and addPeriods", () => {
  it("sorts unsorted periods in time", () => {
    const sorted = ["2007 Q2", "Q4 2006", "2007 Q1", "2006 Q3"]
      .sort(comparePeriods)
      .map((t) => periodKey(parsePeriod(t)));
    expect(sorted).toEqual(["2006 Q3", "2006 Q4", "2007 Q1", "2007 Q2"]);
    expect(comparePeriods("2006/07", "2006/07")).toBe(0);
    expect(Math.sign(comparePeriods("March 2023", "2023-02"))).toBe(1);
  });

  it("moves by whole periods across year ends", () => {
    expect(addPeriods(parsePeriod("2006 Q4"), 1)).toEqual({ type: "quarter", year: 2007, quarter: 1 });
    expect(addPeriods("2007 Q1", -5)).toEqual({ type: "quarter", year: 2005, quarter: 4 });
    expect(addPeriods("December 2020", 1)).toEqual({ type: "month", year: 2021, month: 1 });
    expect(addPeriods("2006/07", -2)).toEqual({ type: "financial-year", startYear: 2004 });
    expect(addPeriods("2015 - 17", 1)).toEqual({ type: "multi-year", startYear: 2016, endYear: 2018 });
    expect(addPeriods("Oct 2021-Sep 2022", 1)).toEqual({
      type: "rolling-12-months",
      endYear: 2022,
      endMonth: 12,
    });
    expect(addPeriods("Oct 2021-Sep 2022", 1, { stepMonths: 12 })).toEqual(parsePeriod("Oct 2022-Sep 2023"));
    expect(() => addPeriods("2007", 1.5)).toThrow(/n must/);
  });

  it("adding then subtracting returns the period, and later periods sort later", () => {
    fc.assert(
      fc.property(arbitraryPeriod, fc.integer({ min: -30, max: 30 }), (p, n) => {
        const moved = addPeriods(p, n);
        expect(addPeriods(moved, -n)).toEqual(p);
        expect(Math.sign(comparePeriods(moved, p))).toBe(Math.sign(n));
        expect(periodIndex(moved) - periodIndex(p)).toBeCloseTo(n, 9);
      }),
    );
  });
});
