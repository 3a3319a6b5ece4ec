import { describe, expect, it } from "vitest";
import { interpolate, missingMessages } from "./i18n.tsx";
import { matchPath } from "./router.tsx";
import { niceTicks, scaleLinear } from "./scale.ts";

describe("chart scales", () => {
  it("maps a domain onto a range", () => {
    expect(scaleLinear([0, 10], [100, 0])(5)).toBe(50);
  });

  it("chooses round ticks that cover the data", () => {
    const ticks = niceTicks(65.2, 74.1, 5);
    expect(ticks[0]).toBeLessThanOrEqual(65.2);
    expect(ticks.at(-1)).toBeGreaterThanOrEqual(74.1);
    expect(ticks).toEqual([64, 66, 68, 70, 72, 74, 76]);
    expect(niceTicks(5, 5, 4).length).toBeGreaterThan(1);
  });
});

describe("routing and messages", () => {
  it("matches paths with encoded parameters", () => {
    expect(matchPath("/indicators/:code", "/indicators/NI%20151")).toEqual({ code: "NI 151" });
    expect(matchPath("/indicators/:code", "/areas")).toBeNull();
  });

  it("fills placeholders and finds missing translations", () => {
    expect(interpolate("{area} in {period}", { area: "Coventry", period: "2007 Q2" })).toBe(
      "Coventry in 2007 Q2",
    );
    expect(missingMessages({ a: "A", b: "B" }, { a: "A" })).toEqual(["b"]);
  });
});
