import { describe, expect, it } from "vitest";
import { z } from "zod";
import { RULE_CODES, RULE_MESSAGES, ruleText, valueSchemaFor, valueViolation } from "./index.ts";

const percentage = { code: "NI 151", valueType: "percentage", validMin: null, validMax: null } as const;
const count = { code: "NI 20", valueType: "count", validMin: null, validMax: null } as const;
const rate = { code: "RATE", valueType: "rate", validMin: null, validMax: null } as const;
const own = { code: "LE", valueType: "mean", validMin: 40, validMax: 100 } as const;

describe("a value must fit its indicator", () => {
  it.each([
    [percentage, 150, "value.aboveMax", "150 is above the largest value NI 151 can take (0 to 100)"],
    [percentage, -1, "value.belowMin", "-1 is below the smallest value NI 151 can take (0 to 100)"],
    [count, 2.5, "value.notWhole", "2.5 is not a whole number; NI 20 counts whole things"],
    [count, -3, "value.belowMinOnly", "-3 is below the smallest value NI 20 can take (0 or more)"],
    [rate, -0.1, "value.belowMinOnly", "-0.1 is below the smallest value RATE can take (0 or more)"],
    [own, 120, "value.aboveMax", "120 is above the largest value LE can take (40 to 100)"],
    [percentage, Number.NaN, "value.notNumber", "NaN is not a number"],
  ] as const)("%o refuses %d", (indicator, value, code, text) => {
    const v = valueViolation(indicator, value);
    expect(v?.code).toBe(code);
    expect(v && ruleText(v)).toBe(text);
  });

  it.each([
    [percentage, 0],
    [percentage, 100],
    [percentage, 72.4],
    [count, 0],
    [count, 12_000],
    [rate, 4.25],
    [own, 81.2],
  ] as const)("%o accepts %d", (indicator, value) => {
    expect(valueViolation(indicator, value)).toBeNull();
  });

  it("gives forms and routers one schema carrying the code and parameters", () => {
    const result = valueSchemaFor(z.number(), percentage).safeParse(150);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      code: "custom",
      message: "150 is above the largest value NI 151 can take (0 to 100)",
      params: { rule: "value.aboveMax", indicator: "NI 151", value: 150, min: "0", max: "100" },
    });
  });
});

describe("rule messages", () => {
  it("has every code in both languages, with the same placeholders", () => {
    expect(RULE_CODES.length).toBeGreaterThan(0);
    for (const code of RULE_CODES) {
      const en = RULE_MESSAGES["en-GB"][`rule.${code}`] ?? "";
      const hr = RULE_MESSAGES["hr-HR"][`rule.${code}`] ?? "";
      expect(en, code).not.toBe("");
      expect(hr, code).not.toBe("");
      const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(placeholders(hr), code).toEqual(placeholders(en));
    }
  });
});
