import { z } from "zod";
import { PERIOD_TYPES, type PeriodType } from "./period.ts";

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

/** Where an indicator is in its life. @example INDICATOR_STATUSES[0] // "draft" */
export const INDICATOR_STATUSES = ["draft", "active", "retired"] as const;
/** @example IndicatorStatusSchema.parse("retired") */
export const IndicatorStatusSchema = z.enum(INDICATOR_STATUSES);
/** @example const s: IndicatorStatus = "active"; */
export type IndicatorStatus = z.infer<typeof IndicatorStatusSchema>;

/** How an indicator's confidence intervals are computed. @example CI_METHODS.includes("wilson") // true */
export const CI_METHODS = ["none", "wilson", "byars", "exact", "student-t", "publisher"] as const;
/** @example CiMethodSchema.parse("byars") */
export const CiMethodSchema = z.enum(CI_METHODS);
/** @example const m: CiMethod = "wilson"; */
export type CiMethod = z.infer<typeof CiMethodSchema>;

/** A catalogue code such as "NI 151" or a local code. @example IndicatorCodeSchema.parse("FS-EMP-4Q") */
export const IndicatorCodeSchema = z
  .string()
  .trim()
  .min(1, { message: "Enter an indicator code", abort: true })
  .max(40, "An indicator code has at most 40 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._/-]*$/, "Use letters, digits, spaces, dots, dashes or slashes");

const finite = z.number().refine(Number.isFinite, "Must be a finite number");
const year = z.int().min(1800).max(2200);
const labels = z.array(z.string().trim().min(1).max(80)).max(30).default([]);

/**
 * How a derived indicator's values are computed from other indicators (never typed or imported):
 * `ratio` is `numeratorOf`'s numerator (its value when it has none) ÷ `denominatorOf`'s denominator
 * (its value when it has none) × `multiplier`, per area and period; `rolling-average` is the mean
 * of the last `window` values of `of`, ending at each period.
 *
 * @example DerivationSchema.parse({ kind: "rolling-average", of: "EMP-Q", window: 4 })
 */
export const DerivationSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("ratio"),
    numeratorOf: IndicatorCodeSchema,
    denominatorOf: IndicatorCodeSchema,
    multiplier: finite.positive().default(100),
  }),
  z.object({
    kind: z.literal("rolling-average"),
    of: IndicatorCodeSchema,
    window: z.int().min(2).max(60),
  }),
]);
/** @example const d: Derivation = { kind: "ratio", numeratorOf: "A", denominatorOf: "B", multiplier: 1000 }; */
export type Derivation = z.infer<typeof DerivationSchema>;

/**
 * An indicator in the shared catalogue. Only code, title, value type, polarity and frequency are
 * required; everything else has a default, so older records stay valid.
 *
 * - `polarity` "no-judgement" with a `targetBand` means a range is best (the band is the range).
 * - `validMin`/`validMax` bound the values an import accepts; when null, `validRange` infers a
 *   range from the value type (0–100 for a percentage, 0–1 for a proportion, ≥ 0 for counts and rates).
 * - `releaseLagDays` is the time from a period's end to its publication; with `frequency` it drives
 *   the stale-indicator check.
 *
 * @example
 * IndicatorSchema.parse({
 *   code: "FS-EMP-4Q", title: "Employment rate (four-quarter average)",
 *   definition: "People aged 16–64 in employment as a percentage of all people aged 16–64.",
 *   unit: "%", valueType: "percentage", polarity: "high-is-good", frequency: "quarterly",
 *   source: "Labour Force Survey (ONS)",
 * });
 */
/**
 * The indicator's fields without the cross-field rules, for schemas that extend it
 * (`UpdateIndicatorSchema`). Use `IndicatorSchema` to validate.
 *
 * @example IndicatorFieldsSchema.shape.code.parse("NI 151")
 */
export const IndicatorFieldsSchema = z.object({
  code: IndicatorCodeSchema,
  title: z.string().trim().min(1, "Enter a title").max(200),
  definition: z.string().trim().max(4000).default(""),
  unit: z.string().trim().max(60).default(""),
  valueType: ValueTypeSchema,
  polarity: PolaritySchema,
  frequency: FrequencySchema,
  source: z.string().trim().max(300).default(""),
  rationale: z.string().trim().max(4000).default(""),
  multiplier: finite.positive().default(1),
  periodType: z.enum(PERIOD_TYPES).nullable().default(null),
  decimalPlaces: z.int().min(0).max(6).default(1),
  numeratorDefinition: z.string().trim().max(2000).default(""),
  denominatorDefinition: z.string().trim().max(2000).default(""),
  publisher: z.string().trim().max(300).default(""),
  releaseLagDays: z.int().min(0).max(3650).nullable().default(null),
  ciMethod: CiMethodSchema.default("none"),
  caveats: z.string().trim().max(4000).default(""),
  owner: z.string().trim().max(200).default(""),
  themes: labels,
  tags: labels,
  sets: labels,
  status: IndicatorStatusSchema.default("active"),
  yearIntroduced: year.nullable().default(null),
  yearRetired: year.nullable().default(null),
  validMin: finite.nullable().default(null),
  validMax: finite.nullable().default(null),
  targetBand: z.object({ low: finite, high: finite }).nullable().default(null),
  derivation: DerivationSchema.nullable().default(null),
});

/** The rules between fields, shared by every schema built on `IndicatorFieldsSchema`. */
function checkIndicator(i: z.infer<typeof IndicatorFieldsSchema>, ctx: z.RefinementCtx): void {
  if (i.validMin !== null && i.validMax !== null && i.validMin > i.validMax) {
    ctx.addIssue({
      code: "custom",
      path: ["validMin"],
      message: "The lowest valid value must not be above the highest",
    });
  }
  if (i.yearIntroduced !== null && i.yearRetired !== null && i.yearIntroduced > i.yearRetired) {
    ctx.addIssue({
      code: "custom",
      path: ["yearRetired"],
      message: "An indicator cannot be retired before it was introduced",
    });
  }
  if (i.targetBand !== null && i.targetBand.low > i.targetBand.high) {
    ctx.addIssue({
      code: "custom",
      path: ["targetBand"],
      message: "The band's low end must not be above its high end",
    });
  }
  if (i.derivation !== null && derivedFrom(i.derivation).includes(i.code)) {
    ctx.addIssue({
      code: "custom",
      path: ["derivation"],
      message: "An indicator cannot be derived from itself",
    });
  }
}

/**
 * An indicator in the shared catalogue. Only code, title, value type, polarity and frequency are
 * required; everything else has a default, so older records stay valid.
 *
 * - `polarity` "no-judgement" with a `targetBand` means a range is best (the band is the range).
 * - `validMin`/`validMax` bound the values an import accepts; when null, `validRange` infers a
 *   range from the value type (0–100 for a percentage, 0–1 for a proportion, ≥ 0 for counts and rates).
 * - `releaseLagDays` is the time from a period's end to its publication; with `frequency` it drives
 *   the stale-indicator check.
 *
 * @example
 * IndicatorSchema.parse({
 *   code: "FS-EMP-4Q", title: "Employment rate (four-quarter average)",
 *   unit: "%", valueType: "percentage", polarity: "high-is-good", frequency: "quarterly",
 * });
 */
export const IndicatorSchema = IndicatorFieldsSchema.superRefine(checkIndicator);

/**
 * An edit of an indicator against the version the editor saw; the code cannot change.
 *
 * @example UpdateIndicatorSchema.parse({ ...indicator, version: 1, changeNote: "New ONS definition" })
 */
export const UpdateIndicatorSchema = IndicatorFieldsSchema.extend({
  version: z.int().min(1),
  /** Why the definition changed; kept in the indicator's history. */
  changeNote: z.string().trim().max(500).default(""),
}).superRefine(checkIndicator);
/** @example const i: Indicator = IndicatorSchema.parse(raw); */
export type Indicator = z.infer<typeof IndicatorSchema>;
/** What a create form sends (defaults not yet applied). @example const i: IndicatorInput = { code: "X", title: "X", valueType: "count", polarity: "no-judgement", frequency: "annual" }; */
export type IndicatorInput = z.input<typeof IndicatorSchema>;

/**
 * The indicator codes a derivation reads.
 *
 * @example derivedFrom({ kind: "rolling-average", of: "EMP-Q", window: 4 }) // ["EMP-Q"]
 */
export function derivedFrom(d: Derivation): string[] {
  return d.kind === "ratio" ? [d.numeratorOf, d.denominatorOf] : [d.of];
}

/**
 * The range an indicator's values must lie in: its own `validMin`/`validMax`, or one implied by
 * its value type. Either end may be null (unbounded).
 *
 * @example validRange({ validMin: null, validMax: null, valueType: "percentage" }) // { min: 0, max: 100 }
 */
export function validRange(i: Pick<Indicator, "validMin" | "validMax" | "valueType">): {
  min: number | null;
  max: number | null;
} {
  const implied: Record<ValueType, [number | null, number | null]> = {
    percentage: [0, 100],
    proportion: [0, 1],
    rate: [0, null],
    count: [0, null],
    mean: [null, null],
    index: [null, null],
    currency: [null, null],
  };
  const [min, max] = implied[i.valueType];
  return { min: i.validMin ?? min, max: i.validMax ?? max };
}

/**
 * The period type an indicator's values are expected in, from its own `periodType` or its frequency.
 *
 * @example expectedPeriodType({ periodType: null, frequency: "quarterly" }) // "quarter"
 */
export function expectedPeriodType(i: Pick<Indicator, "periodType" | "frequency">): PeriodType | null {
  if (i.periodType) return i.periodType;
  const byFrequency: Record<Frequency, PeriodType | null> = {
    monthly: "month",
    quarterly: "quarter",
    annual: "calendar-year",
    "multi-year": "multi-year",
    "ad-hoc": null,
  };
  return byFrequency[i.frequency];
}
