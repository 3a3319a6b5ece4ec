import { describe, expect, it } from "vitest";
import { changes } from "./audit-table.tsx";
import { validate } from "./forms.tsx";
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

describe("forms and audit rows", () => {
  it("validates with a zod schema, first message per field", async () => {
    const { SignInSchema } = await import("@fivestep/domain");
    expect(validate(SignInSchema, { email: "x", password: "" })).toEqual({
      email: "Enter an email address in the right format, like name@example.org",
      password: "Enter your password",
    });
    expect(validate(SignInSchema, { email: "a@b.org", password: "p" })).toEqual({});
  });

  it("lists what changed between before and after", () => {
    expect(changes({ role: "viewer", version: 1 }, { role: "editor", version: 2 })).toEqual([
      "role: viewer → editor",
      "version: 1 → 2",
    ]);
    expect(changes(null, { name: "Coventry Partnership" })).toEqual(["name: Coventry Partnership"]);
  });
});
