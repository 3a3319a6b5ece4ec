import { FREQUENCIES, type Period, periodBounds, periodFromKey, periodKey } from "@fivestep/domain";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_RELEASE_LAG_DAYS, dataFreshness, FREQUENCY_MONTHS } from "./freshness.ts";

describe("dataFreshness", () => {
  it("expects the next period by its end plus the release lag, and is stale from the day after", () => {
    // NI 151 ends at 2007 Q2; 2007 Q3 ends on 30 September; quarterly data is assumed out 120 days later.
    const on = (asOf: string) => dataFreshness({ latestPeriod: "2007 Q2", frequency: "quarterly", asOf });
    expect(on("2008-01-28")).toEqual({
      stale: false,
      nextPeriod: "2007 Q3",
      nextPeriodEnd: "2007-09-30",
      dueBy: "2008-01-28",
    });
    expect(on("2008-01-29").stale).toBe(true);
    // A Date is judged by its UTC day, whatever the time.
    expect(
      dataFreshness({
        latestPeriod: "2007 Q2",
        frequency: "quarterly",
        asOf: new Date("2008-01-28T23:59:59Z"),
      }).stale,
    ).toBe(false);
  });

  it("moves period ends by whole months to the month's end: 31 March + 3 months is 30 June", () => {
    const q1 = dataFreshness({
      latestPeriod: "2007 Q1",
      frequency: "quarterly",
      releaseLagDays: 0,
      asOf: "2007-06-30",
    });
    expect(q1).toEqual({
      stale: false,
      nextPeriod: "2007 Q2",
      nextPeriodEnd: "2007-06-30",
      dueBy: "2007-06-30",
    });
    // 30 September + 3 months is 31 December, not 30 December.
    expect(
      dataFreshness({
        latestPeriod: "2007 Q3",
        frequency: "quarterly",
        releaseLagDays: 0,
        asOf: "2007-12-31",
      }),
    ).toMatchObject({ stale: false, nextPeriodEnd: "2007-12-31" });
    // January to February, in a leap year and not.
    expect(
      dataFreshness({ latestPeriod: "2008-01", frequency: "monthly", releaseLagDays: 0, asOf: "2008-03-01" }),
    ).toEqual({ stale: true, nextPeriod: "2008-02", nextPeriodEnd: "2008-02-29", dueBy: "2008-02-29" });
    expect(
      dataFreshness({ latestPeriod: "2007-01", frequency: "monthly", releaseLagDays: 0, asOf: "2007-03-01" }),
    ).toMatchObject({ stale: true, nextPeriodEnd: "2007-02-28" });
    // A financial year ends on 31 March; the next ends on 31 March a year later.
    expect(
      dataFreshness({ latestPeriod: "2006/07", frequency: "annual", releaseLagDays: 30, asOf: "2008-04-30" }),
    ).toEqual({ stale: false, nextPeriod: "2007/08", nextPeriodEnd: "2008-03-31", dueBy: "2008-04-30" });
  });

  it("uses the indicator's own lag, or the frequency's default", () => {
    expect(DEFAULT_RELEASE_LAG_DAYS).toEqual({
      monthly: 60,
      quarterly: 120,
      annual: 365,
      "multi-year": 365,
      "ad-hoc": null,
    });
    expect(dataFreshness({ latestPeriod: "2005", frequency: "annual", asOf: "2008-01-01" }).dueBy).toBe(
      "2007-12-31",
    );
    expect(
      dataFreshness({ latestPeriod: "2005", frequency: "annual", releaseLagDays: 10, asOf: "2008-01-01" })
        .dueBy,
    ).toBe("2007-01-10");
  });

  it("follows the frequency, not the period's own length", () => {
    // A three-year survey of 2015–17, repeated every three years: the next covers 2018–20.
    expect(
      dataFreshness({
        latestPeriod: "2015-2017",
        frequency: "multi-year",
        releaseLagDays: 0,
        asOf: "2020-12-31",
      }),
    ).toEqual({ stale: false, nextPeriod: "2018-2020", nextPeriodEnd: "2020-12-31", dueBy: "2020-12-31" });
    // A rolling year published quarterly moves on three months.
    expect(
      dataFreshness({
        latestPeriod: "12M to 2022-09",
        frequency: "quarterly",
        releaseLagDays: 0,
        asOf: "2023-01-01",
      }),
    ).toEqual({
      stale: true,
      nextPeriod: "12M to 2022-12",
      nextPeriodEnd: "2022-12-31",
      dueBy: "2022-12-31",
    });
    // A calendar year published quarterly has no "next" calendar year three months on.
    expect(
      dataFreshness({ latestPeriod: "2007", frequency: "quarterly", releaseLagDays: 0, asOf: "2008-01-01" }),
    ).toEqual({ stale: false, nextPeriod: null, nextPeriodEnd: "2008-03-31", dueBy: "2008-03-31" });
  });

  it("never calls ad-hoc data, or no data, stale", () => {
    expect(dataFreshness({ latestPeriod: "1999", frequency: "ad-hoc", asOf: "2030-01-01" })).toEqual({
      stale: false,
      nextPeriod: null,
      nextPeriodEnd: null,
      dueBy: null,
    });
    expect(dataFreshness({ latestPeriod: null, frequency: "annual", asOf: "2030-01-01" }).stale).toBe(false);
  });

  it("names what it cannot read", () => {
    expect(() =>
      dataFreshness({ latestPeriod: "sometime", frequency: "annual", asOf: "2008-01-01" }),
    ).toThrow(/latestPeriod/);
    expect(() =>
      dataFreshness({ latestPeriod: "2007", frequency: "annual", releaseLagDays: -1, asOf: "2008-01-01" }),
    ).toThrow(/releaseLagDays/);
    expect(() => dataFreshness({ latestPeriod: "2007", frequency: "annual", asOf: "soon" })).toThrow(/asOf/);
  });

  it("names the next period whose last day is the expected end, for every kind of period", () => {
    const year = fc.integer({ min: 1900, max: 2100 });
    const period: fc.Arbitrary<Period> = fc.oneof(
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
        .tuple(year, fc.integer({ min: 1, max: 5 }))
        .map(([y, n]) => ({ type: "multi-year", startYear: y, endYear: y + n }) as const),
    );
    const frequency = fc.constantFrom(...FREQUENCIES.filter((f) => FREQUENCY_MONTHS[f] !== null));
    fc.assert(
      fc.property(period, frequency, (p, f) => {
        const result = dataFreshness({ latestPeriod: periodKey(p), frequency: f, asOf: "2000-01-01" });
        expect(result.nextPeriodEnd! > periodBounds(p).end).toBe(true);
        if (result.nextPeriod !== null) {
          const next = periodFromKey(result.nextPeriod);
          expect(next.type).toBe(p.type);
          expect(periodBounds(next).end).toBe(result.nextPeriodEnd);
        }
      }),
    );
  });
});
