import { describe, expect, it } from "vitest";
import { changes } from "./audit-table.tsx";
import { fieldErrorsFrom, validate } from "./forms.tsx";
import { formatMessage, interpolate, messageProblems, missingMessages } from "./i18n.tsx";
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

  it("formats plurals by each language's rules and numbers in its notation", () => {
    const en = "{count, plural, one {# indicator} other {# indicators}}";
    const hr = "{count, plural, one {# skupina} few {# skupine} other {# skupina}}";
    expect([1, 2, 1234].map((count) => formatMessage("en-GB", en, { count }))).toEqual([
      "1 indicator",
      "2 indicators",
      "1,234 indicators",
    ]);
    // Croatian: 1, 21 one; 2–4, 22–24 few; 5–20, 25… other; thousands grouped with a dot.
    expect([1, 3, 5, 21, 22, 1234].map((count) => formatMessage("hr-HR", hr, { count }))).toEqual([
      "1 skupina",
      "3 skupine",
      "5 skupina",
      "21 skupina",
      "22 skupine",
      "1.234 skupine",
    ]);
    // Plain placeholders as before, apostrophes kept; a value not given stays visible.
    expect(formatMessage("en-GB", "{name}'s plan for {area}", { name: "Cara", area: "Coventry" })).toBe(
      "Cara's plan for Coventry",
    );
    expect(formatMessage("en-GB", "{a} and {b}", { a: "A" })).toBe("A and {b}");
  });

  it("finds messages that do not parse, fill unknown placeholders or lack a language's plurals", () => {
    const en = {
      a: "{count, plural, one {# row} other {# rows}}",
      b: "{name} left",
      c: "Plain",
      d: "{n} row(s)",
    };
    const hr = {
      a: "{count, plural, one {# redak} other {# redaka}}",
      b: "{ime} je otišao",
      c: "{count, plural, one {# x}",
    };
    expect(messageProblems(en, en, "en-GB")).toEqual(['d: "(s)" instead of a plural']);
    expect(messageProblems(en, hr, "hr-HR")).toEqual([
      "a: the plural of {count} lacks few",
      "b: {ime} is not in the en-GB message",
      expect.stringMatching(/^c: /),
    ]);
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

  it("words broken domain rules in the reader's language, on the form and from the server", async () => {
    const { RULE_MESSAGES, valueSchemaFor } = await import("@fivestep/domain");
    const { z } = await import("zod");
    const hr = (id: string, values?: Record<string, string | number>) =>
      interpolate(RULE_MESSAGES["hr-HR"][id] ?? id, values);
    const schema = z.object({
      value: valueSchemaFor(z.number(), {
        code: "NI 151",
        valueType: "percentage",
        validMin: null,
        validMax: null,
      }),
    });
    expect(validate(schema, { value: 150 }, hr)).toEqual({
      value: "150 je veće od najveće vrijednosti koju NI 151 može imati (0 do 100)",
    });
    // Without a translator, the English text.
    expect(validate(schema, { value: 150 })).toEqual({
      value: "150 is above the largest value NI 151 can take (0 to 100)",
    });
    const serverError = {
      message: "150 is above …",
      data: {
        zodError: { formErrors: [], fieldErrors: { value: ["150 is above …"] } },
        fieldReasons: {
          value: { code: "value.aboveMax", params: { indicator: "NI 151", value: 150, min: 0, max: 100 } },
        },
      },
    };
    expect(fieldErrorsFrom(serverError, hr)).toEqual({
      value: "150 je veće od najveće vrijednosti koju NI 151 može imati (0 do 100)",
    });
    // Codes the catalogue does not know keep the server's message.
    expect(
      fieldErrorsFrom(
        { data: { ...serverError.data, fieldReasons: { value: { code: "password-too-guessable" } } } },
        hr,
      ),
    ).toEqual({
      value: "150 is above …",
    });
  });

  it("lists what changed between before and after", () => {
    expect(changes({ role: "viewer", version: 1 }, { role: "editor", version: 2 })).toEqual([
      "role: viewer → editor",
      "version: 1 → 2",
    ]);
    expect(changes(null, { name: "Coventry Partnership" })).toEqual(["name: Coventry Partnership"]);
  });
});
