import { describe, expect, it } from "vitest";
import { gapBetween } from "./gap.ts";

describe("gapBetween", () => {
  it("combines two 95% intervals in quadrature (worked by hand)", () => {
    // Female 83.1 (82.9–83.3) and male 79.5 (79.3–79.7): each half-width is 0.2, so
    // the gap's half-width is √(0.2² + 0.2²) = 0.282843 and the gap 3.6 (3.317157 to 3.882843).
    const g = gapBetween(
      { value: 83.1, lower: 82.9, upper: 83.3 },
      { value: 79.5, lower: 79.3, upper: 79.7 },
    );
    expect(g.gap).toBeCloseTo(3.6, 12);
    expect(g.lower!).toBeCloseTo(3.317157, 6);
    expect(g.upper!).toBeCloseTo(3.882843, 6);
    expect(g.significant).toBe(true);
  });

  it("widens at 99.8% and says when the interval holds 0", () => {
    // At 99.8% the half-width is 0.282843 × 3.090232/1.959964 = 0.445954.
    const g = gapBetween(
      { value: 10.3, lower: 10, upper: 10.6 },
      { value: 10, lower: 9.7, upper: 10.3 },
      { confidence: 0.998 },
    );
    expect(g.upper! - g.gap).toBeCloseTo(0.3 * Math.SQRT2 * (3.090232 / 1.959964), 5);
    expect(g.significant).toBe(false);
  });

  it("gives the gap alone when a value has no limits", () => {
    expect(gapBetween({ value: 84.1 }, { value: 80.1, lower: null, upper: null })).toEqual({
      gap: 84.1 - 80.1,
      lower: null,
      upper: null,
      significant: null,
    });
    expect(() => gapBetween({ value: Number.NaN }, { value: 1 })).toThrow(/a\.value/);
  });
});
