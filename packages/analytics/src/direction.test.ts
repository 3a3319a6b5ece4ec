import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { directionOfTravel } from "./direction.ts";

describe("directionOfTravel", () => {
  it("reads the talk's tables", () => {
    // Coventry employment 2007 Q1 → Q2: 73 → 72.4, high is good.
    expect(directionOfTravel(73, 72.4, "high-is-good")).toBe("worsening");
    // Wolverhampton VAT registrations 2004 → 2005: 32.3 → 27.9, high is good.
    expect(directionOfTravel(32.3, 27.9, "high-is-good")).toBe("worsening");
    // Coventry claimant rate 2006 Q3 → Q4: 17.4 → 17.5, low is good.
    expect(directionOfTravel(17.4, 17.5, "low-is-good")).toBe("worsening");
    expect(directionOfTravel(17.5, 17.4, "low-is-good")).toBe("improving");
    expect(directionOfTravel(17.4, 17.5, "no-judgement")).toBe("increasing");
    expect(directionOfTravel(74, 74, "high-is-good")).toBe("no-change");
  });

  it("swapping polarity swaps improving and worsening", () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        (a, b) => {
          const hi = directionOfTravel(a, b, "high-is-good");
          const lo = directionOfTravel(a, b, "low-is-good");
          const swapped = {
            improving: "worsening",
            worsening: "improving",
            "no-change": "no-change",
          } as const;
          expect(lo).toBe(swapped[hi as keyof typeof swapped]);
        },
      ),
    );
  });

  it("refuses values that are not numbers", () => {
    expect(() => directionOfTravel(Number.NaN, 1, "high-is-good")).toThrow(RangeError);
  });
});
