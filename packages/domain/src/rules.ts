import type { z } from "zod";
import { type Indicator, validRange } from "./indicator.ts";
import { RULE_MESSAGES_EN } from "./rule-messages.ts";

/**
 * A broken domain rule: a code and its parameters. Clients show it from their message files
 * (`rule.<code>` in en-GB and hr-HR, see `RULE_MESSAGES`), never from an English sentence made on
 * the server; `ruleText` gives the English text for logs, the CLI and other callers.
 *
 * @example const v: RuleViolation = { code: "value.aboveMax", params: { indicator: "NI 151", value: 150, min: 0, max: 100 } };
 */
export interface RuleViolation {
  code: RuleCode;
  params: Record<string, string | number>;
}

/** Every rule's code, one message per code in each language. @example RULE_CODES.includes("value.aboveMax") // true */
export const RULE_CODES = Object.keys(RULE_MESSAGES_EN).map((k) => k.slice("rule.".length)) as RuleCode[];

/** @example const c: RuleCode = "value.notWhole"; */
export type RuleCode = keyof typeof RULE_MESSAGES_EN extends `rule.${infer C}` ? C : never;

/**
 * The English text of a violation (for the CLI, logs and API callers without a catalogue).
 *
 * @example ruleText({ code: "value.aboveMax", params: { indicator: "NI 151", value: 150, min: 0, max: 100 } })
 * // "150 is above the largest value NI 151 can take (0 to 100)"
 */
export function ruleText(v: RuleViolation): string {
  const text: string = RULE_MESSAGES_EN[`rule.${v.code}`];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in v.params ? String(v.params[name]) : whole,
  );
}

/**
 * Adds a violation to a zod refinement as a custom issue whose `params` carry the code and its
 * parameters (`{ rule: code, ...params }`), with the English text as the message. The API's error
 * formatter sends them to the client as `fieldReasons`.
 *
 * @example
 * schema.superRefine((value, ctx) => {
 *   const v = valueViolation(indicator, value);
 *   if (v) addRuleIssue(ctx, v, ["value"]);
 * });
 */
export function addRuleIssue(ctx: z.RefinementCtx, v: RuleViolation, path: PropertyKey[] = []): void {
  ctx.addIssue({ code: "custom", message: ruleText(v), path, params: { rule: v.code, ...v.params } });
}

/** What the value rule needs to know of an indicator. */
export type IndicatorLimits = Pick<Indicator, "code" | "valueType" | "validMin" | "validMax">;

const fmt = (n: number | null) => (n === null ? "" : String(n));

/**
 * Whether a value fits its indicator: within the indicator's valid range (its own min/max, or the
 * one its value type implies: a percentage 0–100, a rate or count ≥ 0) and, for a count, a whole
 * number. Null when it fits; otherwise the violation naming the indicator, the value and the range.
 * Holds for imports, data returns, targets and milestones alike.
 *
 * @example valueViolation({ code: "NI 151", valueType: "percentage", validMin: null, validMax: null }, 150)
 * // { code: "value.aboveMax", params: { indicator: "NI 151", value: 150, min: 0, max: 100 } }
 */
export function valueViolation(indicator: IndicatorLimits, value: number): RuleViolation | null {
  const { min, max } = validRange(indicator);
  const params = { indicator: indicator.code, value, min: fmt(min), max: fmt(max) };
  if (!Number.isFinite(value)) return { code: "value.notNumber", params };
  if (min !== null && value < min)
    return { code: max === null ? "value.belowMinOnly" : "value.belowMin", params };
  if (max !== null && value > max)
    return { code: min === null ? "value.aboveMaxOnly" : "value.aboveMax", params };
  if (indicator.valueType === "count" && !Number.isInteger(value)) return { code: "value.notWhole", params };
  return null;
}

/**
 * A schema factory: a number that must fit `indicator` (see `valueViolation`), for forms and
 * routers alike.
 *
 * @example valueSchemaFor(indicator).safeParse(150).success // false for a percentage
 */
export function valueSchemaFor<S extends z.ZodType<number>>(schema: S, indicator: IndicatorLimits) {
  return schema.superRefine((value, ctx) => {
    const v = valueViolation(indicator, value);
    if (v) addRuleIssue(ctx, v);
  });
}
