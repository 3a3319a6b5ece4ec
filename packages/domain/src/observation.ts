import { z } from "zod";
import { AreaCodeSchema } from "./area.ts";
import { IndicatorCodeSchema } from "./indicator.ts";
import { periodFromKey } from "./period.ts";

const finite = z.number().refine(Number.isFinite, "Must be a finite number");

/** A canonical period key (see `periodKey`). @example PeriodKeySchema.parse("2007 Q2") */
export const PeriodKeySchema = z.string().refine(
  (key) => {
    try {
      periodFromKey(key);
      return true;
    } catch {
      return false;
    }
  },
  { message: "Not a recognised period" },
);

/**
 * One value of one indicator for one area and period, with what is known of its uncertainty.
 *
 * @example
 * ObservationSchema.parse({ indicatorCode: "FS-EMP-4Q", areaCode: "E08000026", period: "2007 Q2", value: 72.4 })
 */
export const ObservationSchema = z
  .object({
    indicatorCode: IndicatorCodeSchema,
    areaCode: AreaCodeSchema,
    period: PeriodKeySchema,
    value: finite.nullable(),
    numerator: finite.min(0).nullable().default(null),
    denominator: finite.positive().nullable().default(null),
    lower: finite.nullable().default(null),
    upper: finite.nullable().default(null),
    /** A breakdown such as "Male" or "Decile 1"; "" for none. */
    breakdown: z.string().trim().max(120).default(""),
    status: z.enum(["final", "provisional"]).default("final"),
    note: z.string().trim().max(1000).nullable().default(null),
  })
  .refine((o) => o.lower === null || o.upper === null || o.lower <= o.upper, {
    message: "The lower limit must not be above the upper limit",
    path: ["lower"],
  });
/** @example const o: Observation = ObservationSchema.parse(raw); */
export type Observation = z.infer<typeof ObservationSchema>;

/**
 * A point of an area's series as the api returns it.
 *
 * @example const p: SeriesPoint = { period: "2007 Q2", value: 72.4, lower: null, upper: null };
 */
export type SeriesPoint = {
  period: string;
  value: number | null;
  numerator?: number | null;
  denominator?: number | null;
  lower: number | null;
  upper: number | null;
  /** The publisher's own judgement against its benchmark, and where it came from (null: none). */
  publisherJudgement?: string | null;
  judgementSource?: string | null;
  /** Where the limits came from: "publisher", or the method Fivestep computed them with at import. */
  intervalMethod?: string | null;
};

/**
 * One area's series for one indicator, in time order.
 *
 * @example const s: AreaSeries = { areaCode: "E08000026", areaName: "Coventry", points: [] };
 */
export type AreaSeries = { areaCode: string; areaName: string; points: SeriesPoint[] };
