import { describe, expect, it } from "vitest";
import { z } from "zod";
import { changes } from "./audit-table.tsx";
import { fieldErrorsFrom, validate } from "./forms.tsx";
import { formatMessage, interpolate, messageProblems, missingMessages } from "./i18n.tsx";
import { chartPositions, labelledCategories } from "./line-chart.tsx";
import { matchPath } from "./router.tsx";
import { niceTicks, scaleLinear } from "./scale.ts";
import { spinePosition } from "./spine-chart.tsx";
import { flattenErrors, zodFormResolver } from "./zod-form.tsx";

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

describe("line chart positions (d3-scale)", () => {
  it("puts periods on a time axis to scale and breaks the line at a gap", () => {
    // 2007-01-01, 2007-04-01 and 2008-10-01: 90 and 639 days from the first start.
    const p = chartPositions(["2007 Q1", "2007 Q2", "2008 Q4"], [0, 639]);
    expect(p.time).toBe(true);
    expect(p.x[0]).toBe(0);
    expect(p.x[1]).toBeCloseTo(90, 9);
    expect(p.x[2]).toBe(639);
    expect(p.breakBefore).toEqual([false, false, true]);
    // Consecutive quarters are evenly spaced by their days and never broken.
    const q = chartPositions(["2006 Q4", "2007 Q1", "2007 Q2"], [0, 182]);
    expect(q.x).toEqual([0, 92, 182]);
    expect(q.breakBefore).toEqual([false, false, false]);
  });

  it("spaces three-year periods by their start years and falls back to even spacing for other labels", () => {
    const p = chartPositions(["2015-2017", "2016-2018", "2018-2020"], [0, 300]);
    expect(p.breakBefore).toEqual([false, false, true]);
    expect(p.x[1]).toBeCloseTo(100, 0);
    const even = chartPositions(["2024 Q1", "+1", "+2"], [0, 100]);
    expect(even).toEqual({ x: [0, 50, 100], breakBefore: [false, false, false], time: false });
  });

  it("labels the latest period and only as many earlier ones as fit", () => {
    const cats = ["2007 Q1", "2007 Q2", "2007 Q3", "2007 Q4"];
    expect(labelledCategories(cats, [0, 40, 80, 120])).toEqual([false, true, false, true]);
    expect(labelledCategories(cats, [0, 100, 200, 300])).toEqual([true, true, true, true]);
  });
});

describe("spine chart positions", () => {
  it("puts England in the middle, the further end of the range at an edge, and the worst on the left", () => {
    const row = { england: 80, min: 76, max: 82, polarity: "high-is-good" as const };
    expect(spinePosition(80, row)).toBe(0.5);
    expect(spinePosition(76, row)).toBe(0);
    expect(spinePosition(82, row)).toBeCloseTo(0.75, 12);
    // Lower is better: the highest (worst) value is drawn on the left.
    const low = { ...row, polarity: "low-is-good" as const };
    expect(spinePosition(76, low)).toBe(1);
    expect(spinePosition(82, low)).toBeCloseTo(0.25, 12);
  });
});

describe("the zod form layer", () => {
  const Schema = z.object({
    title: z.string().min(1, "Enter a title"),
    milestones: z.array(z.object({ title: z.string().min(1, "Enter a milestone") })).default([]),
  });
  const options = { fields: {}, shouldUseNativeValidation: false, names: undefined } as const;

  it("parses valid values with the domain schema", async () => {
    const resolve = zodFormResolver(Schema);
    expect(await resolve({ title: "Grants" }, undefined, options)).toEqual({
      values: { title: "Grants", milestones: [] },
      errors: {},
    });
  });

  it("nests refusals by path for react-hook-form and flattens them back for the summary", async () => {
    const resolve = zodFormResolver(Schema);
    const result = await resolve(
      { title: "", milestones: [{ title: "a" }, { title: "" }] },
      undefined,
      options,
    );
    expect(result.values).toEqual({});
    expect(result.errors.title?.message).toBe("Enter a title");
    expect(result.errors.milestones?.[1]?.title?.message).toBe("Enter a milestone");
    expect(flattenErrors(result.errors)).toEqual({
      title: "Enter a title",
      "milestones.1.title": "Enter a milestone",
    });
  });

  it("words a broken domain rule from the catalogue", async () => {
    const Ruled = z.object({ due: z.string() }).superRefine((v, ctx) => {
      if (v.due < "2000")
        ctx.addIssue({ code: "custom", path: ["due"], message: "Too early", params: { rule: "early" } });
    });
    const t = (id: string) => (id === "rule.early" ? "Prerano" : id);
    const result = await zodFormResolver(Ruled, t)({ due: "1999" }, undefined, options);
    expect(flattenErrors(result.errors)).toEqual({ due: "Prerano" });
  });

  it("puts a form-level message under form", () => {
    expect(
      flattenErrors({ root: { server: { type: "server", message: "Someone else changed it" } } }),
    ).toEqual({
      form: "Someone else changed it",
    });
  });
});
