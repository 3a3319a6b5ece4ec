import type { Polarity } from "@fivestep/domain";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectedAt, judgeTarget, targetRealism, targetStatus, trajectory } from "./targets.ts";

describe("trajectory", () => {
  it("draws linear, front-loaded and back-loaded paths", () => {
    expect(trajectory(70, 74, 4)).toEqual([71, 72, 73, 74]);
    // Front-loaded shares 1 − (1 − k/4)²: 0.4375, 0.75, 0.9375, 1.
    expect(trajectory(70, 74, 4, "front-loaded")).toEqual([71.75, 73, 73.75, 74]);
    // Back-loaded shares (k/4)²: 0.0625, 0.25, 0.5625, 1.
    expect(trajectory(70, 74, 4, "back-loaded")).toEqual([70.25, 71, 72.25, 74]);
    expect(trajectory(17.4, 15, 1)).toEqual([15]);
  });

  it("ends exactly at its target and moves monotonically towards it", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom("linear", "front-loaded", "back-loaded" as const),
        (baseline, target, steps, shape) => {
          const path = trajectory(baseline, target, steps, shape);
          expect(path).toHaveLength(steps);
          expect(path.at(-1)).toBe(target);
          const dir = Math.sign(target - baseline);
          let previous = baseline;
          for (const m of path) {
            expect(dir * (m - previous)).toBeGreaterThanOrEqual(-1e-9 * Math.max(1, Math.abs(m)));
            previous = m;
          }
        },
      ),
    );
  });

  it("refuses bad arguments", () => {
    expect(() => trajectory(1, 2, 0)).toThrow(/steps/);
    expect(() => trajectory(1, 2, 2.5)).toThrow(/steps/);
    expect(() => trajectory(Number.NaN, 2, 2)).toThrow(/baseline/);
    expect(() => trajectory(1, 2, 2, "zigzag" as "linear")).toThrow(/shape/);
  });
});

describe("targetStatus", () => {
  it("is on track when the milestone is met or beaten", () => {
    expect(targetStatus({ actual: 72, expected: 72, polarity: "high-is-good" })).toBe("on-track");
    expect(targetStatus({ actual: 73, expected: 72, polarity: "high-is-good" })).toBe("on-track");
    expect(targetStatus({ actual: 16, expected: 17, polarity: "low-is-good" })).toBe("on-track");
  });

  it("is at risk inside the tolerance band, off track beyond it", () => {
    expect(targetStatus({ actual: 71.6, expected: 72, polarity: "high-is-good", tolerance: 0.5 })).toBe(
      "at-risk",
    );
    expect(targetStatus({ actual: 71.4, expected: 72, polarity: "high-is-good", tolerance: 0.5 })).toBe(
      "off-track",
    );
    expect(targetStatus({ actual: 17.4, expected: 17, polarity: "low-is-good", tolerance: 0.5 })).toBe(
      "at-risk",
    );
  });

  it("is at risk, not off track, when the interval cannot tell the miss from the milestone", () => {
    const miss = { actual: 70, expected: 72, polarity: "high-is-good" } as const;
    expect(targetStatus(miss)).toBe("off-track");
    expect(targetStatus({ ...miss, interval: { lower: 68, upper: 73 } })).toBe("at-risk");
    expect(targetStatus({ ...miss, interval: { lower: 68, upper: 71 } })).toBe("off-track");
    expect(targetStatus({ ...miss, interval: { lower: null, upper: null } })).toBe("off-track");
  });

  it("has no data when the actual or milestone is missing", () => {
    expect(targetStatus({ actual: null, expected: 72, polarity: "high-is-good" })).toBe("no-data");
    expect(targetStatus({ actual: 70, expected: null, polarity: "high-is-good" })).toBe("no-data");
    expect(targetStatus({ actual: Number.NaN, expected: 72, polarity: "low-is-good" })).toBe("no-data");
  });

  it("for no-judgement, is on track within the tolerance either side", () => {
    expect(targetStatus({ actual: 71.8, expected: 72, polarity: "no-judgement", tolerance: 0.5 })).toBe(
      "on-track",
    );
    expect(targetStatus({ actual: 73, expected: 72, polarity: "no-judgement", tolerance: 0.5 })).toBe(
      "off-track",
    );
    expect(() => targetStatus({ actual: 1, expected: 1, polarity: "high-is-good", tolerance: -1 })).toThrow(
      /tolerance/,
    );
  });

  it("swapping polarity mirrors the status", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1000, max: 1000, noNaN: true }),
        fc.double({ min: -1000, max: 1000, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        (actual, expected, tolerance) => {
          const polarities: Polarity[] = ["high-is-good", "low-is-good"];
          const [hi, lo] = polarities.map((polarity) =>
            targetStatus({ actual, expected, polarity, tolerance }),
          );
          // Reflecting the values about 0 turns a high-is-good question into a low-is-good one.
          expect(
            targetStatus({ actual: -actual, expected: -expected, polarity: "low-is-good", tolerance }),
          ).toBe(hi);
          expect(
            targetStatus({ actual: -actual, expected: -expected, polarity: "high-is-good", tolerance }),
          ).toBe(lo);
        },
      ),
    );
  });
});

describe("targetRealism", () => {
  it("finds a target the current trend already reaches realistic", () => {
    const r = targetRealism({ history: [60, 62, 64, 66, 68], target: 76, steps: 4 });
    expect(r.requiredChangePerStep).toBe(2);
    expect(r.ownBestChange).toBe(2);
    expect(r.forecastAtTarget).toBeCloseTo(76, 9);
    expect(r.peerShareAchieving).toBeNull();
    expect(r.rating).toBe("realistic");
    expect(r.reasons.join(" ")).toMatch(/needs a rise of 2 a period/);
  });

  it("finds a pace nobody has achieved unrealistic", () => {
    const r = targetRealism({
      history: [60, 60.5, 61, 61.2, 62, 62.3],
      target: 72,
      steps: 4,
      peers: [
        [50, 51, 52, 53, 54, 55],
        [70, 70.5, 71, 72, 72.5],
        [40, 44, 43, 45, 46, 47],
      ],
    });
    expect(r.requiredChangePerStep).toBeCloseTo(2.425, 12);
    // Own rises over 4 periods: 60 → 62 (0.5 a period) and 60.5 → 62.3 (0.45): the best is 0.5.
    expect(r.ownBestChange).toBeCloseTo(0.5, 12);
    expect(r.peerShareAchieving).toBe(0);
    expect(r.rating).toBe("unrealistic");
    expect(r.reasons).toHaveLength(4);
  });

  it("finds a pace the area once managed, but its trend does not, stretching when few peers manage it", () => {
    const r = targetRealism({
      history: [50, 54, 58, 62, 62, 62.5, 62.4, 62.6],
      target: 71,
      steps: 3,
      peers: [
        [10, 11, 12, 13],
        [10, 13, 16, 19],
        [10, 10, 10, 10],
        [20, 21, 22, 23],
        [30, 31, 31, 31],
      ],
    });
    expect(r.ownBestChange).toBe(4);
    expect(r.peerShareAchieving).toBeCloseTo(0.2, 12);
    expect(r.rating).toBe("stretching");
  });

  it("reads falls as well as rises, and a target equal to the baseline", () => {
    const fall = targetRealism({ history: [20, 19, 18, 17, 16], target: 12, steps: 4 });
    expect(fall.requiredChangePerStep).toBe(-1);
    expect(fall.ownBestChange).toBe(-1);
    expect(fall.rating).toBe("realistic");
    expect(fall.reasons[0]).toMatch(/fall of 1 a period/);
    expect(targetRealism({ history: [5, 5], target: 5, steps: 3 }).rating).toBe("realistic");
  });

  it("copes with little history", () => {
    const r = targetRealism({ history: [], baseline: 10, target: 12, steps: 2 });
    expect(r).toMatchObject({
      ownBestChange: null,
      forecastAtTarget: null,
      peerShareAchieving: null,
      rating: "stretching",
    });
    expect(() => targetRealism({ history: [], target: 12, steps: 2 })).toThrow(/baseline/);
    expect(() => targetRealism({ history: [1, 2], target: 12, steps: 0 })).toThrow(/steps/);
  });
});

describe("expectedAt", () => {
  const path = {
    baselinePeriod: "2006",
    baselineValue: 70,
    milestones: [
      { period: "2010", value: 80 },
      { period: "2008", value: 74 },
    ],
  };

  it("runs straight from the baseline through each milestone, by the periods' last days", () => {
    expect(expectedAt(path, "2006")).toBe(70);
    // 2007 ends 365 days after 2006 does; 2008 ends 731 days after.
    expect(expectedAt(path, "2007")).toBeCloseTo(70 + (4 * 365) / 731, 12);
    expect(expectedAt(path, "2008")).toBe(74);
    expect(expectedAt(path, "2009")).toBeCloseTo(74 + (6 * 365) / 730, 12);
    // Level at the last milestone after it.
    expect(expectedAt(path, "2012")).toBe(80);
  });

  it("is null before the path starts or without milestones", () => {
    expect(expectedAt(path, "2005")).toBeNull();
    expect(expectedAt({ ...path, milestones: [] }, "2008")).toBeNull();
    // Without a baseline the path starts at the first milestone.
    expect(expectedAt({ ...path, baselinePeriod: null, baselineValue: null }, "2007")).toBeNull();
    expect(expectedAt({ ...path, baselinePeriod: null, baselineValue: null }, "2009")).toBeCloseTo(77, 1);
  });

  it("mixes kinds of period: a quarter on an annual path", () => {
    // 2007 Q2 ends on 30 June 2007, 546 days after the end of 2005.
    const annual = {
      baselinePeriod: "2005",
      baselineValue: 29.1,
      milestones: [{ period: "2008", value: 31 }],
    };
    expect(expectedAt(annual, "2007 Q2")).toBeCloseTo(29.1 + (1.9 * 546) / 1096, 12);
  });
});

describe("judgeTarget", () => {
  // The demo plan's NI 151: Coventry's employment rate against its LAA trajectory.
  const ni151 = {
    series: [
      { period: "2007 Q2", value: 72.4 },
      { period: "2006 Q4", value: 72.6 },
      { period: "2007 Q1", value: 73 },
      { period: "2007 Q3", value: null },
    ],
    baselinePeriod: "2005 Q4",
    baselineValue: 74,
    tolerance: 0.5,
    milestones: [
      { period: "2008 Q4", value: 74.5 },
      { period: "2009 Q4", value: 75 },
    ],
    polarity: "high-is-good" as const,
    frequency: "quarterly" as const,
    asOf: "2008-01-28",
  };

  it("judges the latest value, in period order, against the path at its period", () => {
    const j = judgeTarget(ni151);
    expect(j).toMatchObject({ status: "off-track", period: "2007 Q2", actual: 72.4 });
    expect(j.expected).toBeCloseTo(expectedAt(ni151, "2007 Q2") as number, 12);
    expect(j.freshness).toEqual({
      stale: false,
      nextPeriod: "2007 Q3",
      nextPeriodEnd: "2007-09-30",
      dueBy: "2008-01-28",
    });
  });

  it("gives the same status whatever the day, only the freshness moves", () => {
    const later = judgeTarget({ ...ni151, asOf: "2030-01-01" });
    expect(later.status).toBe("off-track");
    expect(later.freshness.stale).toBe(true);
  });

  it("uses the interval, the tolerance and the polarity as targetStatus does", () => {
    const withInterval = judgeTarget({
      ...ni151,
      series: [{ period: "2007 Q2", value: 72.4, lower: 71, upper: 75 }],
    });
    expect(withInterval.status).toBe("at-risk");
    expect(judgeTarget({ ...ni151, tolerance: 2 }).status).toBe("at-risk");
    const claimants = judgeTarget({
      ...ni151,
      series: [{ period: "2006 Q4", value: 17.5 }],
      baselinePeriod: "2005 Q2",
      baselineValue: 17.1,
      tolerance: 0.2,
      milestones: [{ period: "2008 Q4", value: 16.8 }],
      polarity: "low-is-good",
    });
    expect(claimants.status).toBe("off-track");
  });

  it("has no data without a value, milestones, or a path reaching back to the value", () => {
    expect(judgeTarget({ ...ni151, series: [] })).toMatchObject({
      status: "no-data",
      period: null,
      actual: null,
      expected: null,
      freshness: { stale: false, dueBy: null },
    });
    expect(judgeTarget({ ...ni151, milestones: [] })).toMatchObject({
      status: "no-data",
      period: "2007 Q2",
      expected: null,
    });
    expect(judgeTarget({ ...ni151, baselinePeriod: "2008 Q1" }).status).toBe("no-data");
  });
});
