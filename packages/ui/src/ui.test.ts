import { describe, expect, it } from "vitest";
import { z } from "zod";
import { changes } from "./audit-table.tsx";
import { fieldErrorsFrom, validate } from "./forms.tsx";
import { interpolate, missingMessages } from "./i18n.tsx";
import { matchPath } from "./router.tsx";
import { niceTicks, scaleLinear } from "./scale.ts";
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
