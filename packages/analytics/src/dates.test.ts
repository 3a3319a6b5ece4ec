import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, addMonths, endOfMonth } from "./dates.ts";

describe("addMonths", () => {
  it("clamps to the end of a shorter month instead of running into the next", () => {
    // Date.prototype.setUTCMonth gives 3 March for 31 January + 1 month.
    expect(addMonths("2007-01-31", 1)).toBe("2007-02-28");
    expect(addMonths("2007-03-31", 3)).toBe("2007-06-30");
    expect(addMonths("2007-05-31", -3)).toBe("2007-02-28");
    expect(addMonths("2007-08-31", 1)).toBe("2007-09-30");
    expect(addMonths("2007-01-30", 1)).toBe("2007-02-28");
    expect(addMonths("2007-01-15", 1)).toBe("2007-02-15");
  });

  it("knows leap years: 29 February in 2008 and 2000, not in 2100 or 2007", () => {
    expect(addMonths("2008-01-31", 1)).toBe("2008-02-29");
    expect(addMonths("2000-01-31", 1)).toBe("2000-02-29");
    expect(addMonths("2100-01-31", 1)).toBe("2100-02-28");
    expect(addMonths("2008-02-29", 12)).toBe("2009-02-28");
    expect(addMonths("2008-02-29", 48)).toBe("2012-02-29");
    expect(addMonths("2008-02-29", -12)).toBe("2007-02-28");
  });

  it("crosses year ends both ways", () => {
    expect(addMonths("2007-11-30", 3)).toBe("2008-02-29");
    expect(addMonths("2008-01-31", -2)).toBe("2007-11-30");
    expect(addMonths("2007-12-31", 36)).toBe("2010-12-31");
    expect(addMonths("2007-06-15", 0)).toBe("2007-06-15");
  });

  it("never leaves the target month, and the day never grows", () => {
    const date = fc
      .record({
        y: fc.integer({ min: 1850, max: 2150 }),
        m: fc.integer({ min: 1, max: 12 }),
        d: fc.integer({ min: 1, max: 31 }),
      })
      .map(({ y, m, d }) => {
        const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
        return `${y}-${String(m).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
      });
    fc.assert(
      fc.property(date, fc.integer({ min: -600, max: 600 }), (start, n) => {
        const out = addMonths(start, n);
        const [y, m, d] = start.split("-").map(Number) as [number, number, number];
        const index = y * 12 + (m - 1) + n;
        expect(out.slice(0, 7)).toBe(
          `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`,
        );
        expect(Number(out.slice(8))).toBeLessThanOrEqual(d);
      }),
    );
  });

  it("refuses what is not a date or a whole number of months", () => {
    expect(() => addMonths("2007-02-30", 1)).toThrow(/date/);
    expect(() => addMonths("31/01/2007", 1)).toThrow(/date/);
    expect(() => addMonths("2007-01-31", 1.5)).toThrow(/months/);
  });
});

describe("addDays and endOfMonth", () => {
  it("count days across month ends and leap days", () => {
    expect(addDays("2007-09-30", 120)).toBe("2008-01-28");
    expect(addDays("2008-02-28", 1)).toBe("2008-02-29");
    expect(addDays("2007-02-28", 1)).toBe("2007-03-01");
    expect(addDays("2008-03-01", -1)).toBe("2008-02-29");
    expect(() => addDays("2007-01-01", 0.5)).toThrow(/days/);
  });

  it("finds the last day of a month", () => {
    expect(endOfMonth("2008-02-10")).toBe("2008-02-29");
    expect(endOfMonth("2007-02-10")).toBe("2007-02-28");
    expect(endOfMonth("2007-12-01")).toBe("2007-12-31");
    expect(endOfMonth("2007-09-30")).toBe("2007-09-30");
  });
});
