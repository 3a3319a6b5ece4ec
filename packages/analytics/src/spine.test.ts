import { describe, expect, it } from "vitest";
import { quantileSorted, spineSummary } from "./spine.ts";

describe("spineSummary", () => {
  it("matches R's quantile() (type 7) on published examples", () => {
    // R: quantile(1:10) gives 1, 3.25, 5.5, 7.75, 10.
    expect(spineSummary([10, 9, 8, 7, 6, 5, 4, 3, 2, 1])).toEqual({
      n: 10,
      min: 1,
      q25: 3.25,
      median: 5.5,
      q75: 7.75,
      max: 10,
    });
    // R: quantile(c(6, 47, 49, 15, 42, 41, 7, 39, 43, 40, 36)) gives 6, 25.5, 40, 42.5, 49.
    const s = spineSummary([6, 47, 49, 15, 42, 41, 7, 39, 43, 40, 36]);
    expect(s).toMatchObject({ n: 11, min: 6, median: 40, max: 49 });
    expect(s?.q25).toBeCloseTo(25.5, 12);
    expect(s?.q75).toBeCloseTo(42.5, 12);
  });

  it("leaves out missing values and needs two values for a range", () => {
    expect(spineSummary([null, 3, undefined, Number.NaN, 1])).toMatchObject({
      n: 2,
      min: 1,
      median: 2,
      max: 3,
    });
    expect(spineSummary([5, null])).toBeNull();
    expect(spineSummary([])).toBeNull();
  });

  it("refuses a p outside 0–1 and an empty list by name", () => {
    expect(quantileSorted([1, 2], 1)).toBe(2);
    expect(() => quantileSorted([1, 2], 1.5)).toThrow(/p must/);
    expect(() => quantileSorted([], 0.5)).toThrow(/sorted/);
  });
});
