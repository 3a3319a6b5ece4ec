import { z } from "zod";

/** Which direction is better. @example POLARITIES[0] // "high-is-good" */
export const POLARITIES = ["high-is-good", "low-is-good", "no-judgement"] as const;
/** @example PolaritySchema.parse("low-is-good") */
export const PolaritySchema = z.enum(POLARITIES);
/** @example const p: Polarity = "high-is-good"; */
export type Polarity = z.infer<typeof PolaritySchema>;

/** How a value is expressed. @example VALUE_TYPES.includes("rate") // true */
export const VALUE_TYPES = [
  "percentage",
  "proportion",
  "rate",
  "count",
  "mean",
  "index",
  "currency",
] as const;
/** @example ValueTypeSchema.parse("percentage") */
export const ValueTypeSchema = z.enum(VALUE_TYPES);
/** @example const v: ValueType = "rate"; */
export type ValueType = z.infer<typeof ValueTypeSchema>;

/** How often a publisher releases new values. @example FREQUENCIES[1] // "quarterly" */
export const FREQUENCIES = ["monthly", "quarterly", "annual", "multi-year", "ad-hoc"] as const;
/** @example FrequencySchema.parse("annual") */
export const FrequencySchema = z.enum(FREQUENCIES);
/** @example const f: Frequency = "quarterly"; */
export type Frequency = z.infer<typeof FrequencySchema>;

/** A catalogue code such as "NI 151" or a local code. @example IndicatorCodeSchema.parse("FS-EMP-4Q") */
export const IndicatorCodeSchema = z
  .string()
  .trim()
  .min(1, { message: "Enter an indicator code", abort: true })
  .max(40, "An indicator code has at most 40 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._/-]*$/, "Use letters, digits, spaces, dots, dashes or slashes");

/**
 * An indicator in the shared catalogue.
 *
 * @example
 * IndicatorSchema.parse({
 *   code: "FS-EMP-4Q", title: "Employment rate (four-quarter average)",
 *   definition: "People aged 16–64 in employment as a percentage of all people aged 16–64.",
 *   unit: "%", valueType: "percentage", polarity: "high-is-good", frequency: "quarterly",
 *   source: "Labour Force Survey (ONS)",
 * });
 */
export const IndicatorSchema = z.object({
  code: IndicatorCodeSchema,
  title: z.string().trim().min(1, "Enter a title").max(200),
  definition: z.string().trim().max(4000).default(""),
  unit: z.string().trim().max(60).default(""),
  valueType: ValueTypeSchema,
  polarity: PolaritySchema,
  frequency: FrequencySchema,
  source: z.string().trim().max(300).default(""),
});
/** @example const i: Indicator = IndicatorSchema.parse(raw); */
export type Indicator = z.infer<typeof IndicatorSchema>;
