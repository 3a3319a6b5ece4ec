import { z } from "zod";

/**
 * A reporting period. Every spelling a publisher uses ("2006/07", "Q3 2006", "Oct 2021-Sep 2022")
 * is read into one of these shapes by `parsePeriod` in @fivestep/analytics; here live the shapes,
 * their canonical key (what the database stores) and their order.
 */
export const PeriodSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("calendar-year"), year: z.int().min(1800).max(2200) }),
  /** April to March; `startYear` 2006 is "2006/07". */
  z.object({ type: z.literal("financial-year"), startYear: z.int().min(1800).max(2200) }),
  /** September to August; `startYear` 2006 is academic year "2006/07". */
  z.object({ type: z.literal("academic-year"), startYear: z.int().min(1800).max(2200) }),
  z.object({
    type: z.literal("quarter"),
    year: z.int().min(1800).max(2200),
    quarter: z.int().min(1).max(4),
  }),
  z.object({
    type: z.literal("month"),
    year: z.int().min(1800).max(2200),
    month: z.int().min(1).max(12),
  }),
  /** Twelve months ending with `endYear`-`endMonth`, e.g. "Oct 2021-Sep 2022". */
  z.object({
    type: z.literal("rolling-12-months"),
    endYear: z.int().min(1800).max(2200),
    endMonth: z.int().min(1).max(12),
  }),
  /** Several calendar years pooled, e.g. "2015 - 17" is 2015 to 2017. */
  z.object({
    type: z.literal("multi-year"),
    startYear: z.int().min(1800).max(2200),
    endYear: z.int().min(1800).max(2200),
  }),
]);

/** @example const p: Period = { type: "quarter", year: 2007, quarter: 2 }; */
export type Period = z.infer<typeof PeriodSchema>;
/** @example const t: PeriodType = "financial-year"; */
export type PeriodType = Period["type"];

/** The period types in the order forms list them. @example PERIOD_TYPES.includes("month") // true */
export const PERIOD_TYPES = [
  "calendar-year",
  "financial-year",
  "academic-year",
  "quarter",
  "month",
  "rolling-12-months",
  "multi-year",
] as const satisfies readonly PeriodType[];

const pad2 = (n: number) => String(n).padStart(2, "0");
const shortYear = (n: number) => pad2(n % 100);

/**
 * The canonical text of a period: unique per period, stable, and read back by `periodFromKey`.
 *
 * @example
 * periodKey({ type: "quarter", year: 2007, quarter: 2 }) // "2007 Q2"
 * periodKey({ type: "financial-year", startYear: 2006 }) // "2006/07"
 */
export function periodKey(period: Period): string {
  switch (period.type) {
    case "calendar-year":
      return String(period.year);
    case "financial-year":
      return `${period.startYear}/${shortYear(period.startYear + 1)}`;
    case "academic-year":
      return `AY ${period.startYear}/${shortYear(period.startYear + 1)}`;
    case "quarter":
      return `${period.year} Q${period.quarter}`;
    case "month":
      return `${period.year}-${pad2(period.month)}`;
    case "rolling-12-months":
      return `12M to ${period.endYear}-${pad2(period.endMonth)}`;
    case "multi-year":
      return `${period.startYear}-${period.endYear}`;
  }
}

const KEY_PATTERNS: ReadonlyArray<[RegExp, (m: RegExpMatchArray) => Period]> = [
  [/^(\d{4})$/, (m) => ({ type: "calendar-year", year: Number(m[1]) })],
  [/^(\d{4})\/(\d{2})$/, (m) => ({ type: "financial-year", startYear: Number(m[1]) })],
  [/^AY (\d{4})\/(\d{2})$/, (m) => ({ type: "academic-year", startYear: Number(m[1]) })],
  [/^(\d{4}) Q([1-4])$/, (m) => ({ type: "quarter", year: Number(m[1]), quarter: Number(m[2]) })],
  [/^(\d{4})-(\d{2})$/, (m) => ({ type: "month", year: Number(m[1]), month: Number(m[2]) })],
  [
    /^12M to (\d{4})-(\d{2})$/,
    (m) => ({ type: "rolling-12-months", endYear: Number(m[1]), endMonth: Number(m[2]) }),
  ],
  [/^(\d{4})-(\d{4})$/, (m) => ({ type: "multi-year", startYear: Number(m[1]), endYear: Number(m[2]) })],
];

/**
 * Reads a canonical key written by `periodKey`. Only canonical keys are accepted; for the spellings
 * publishers use, call `parsePeriod` from @fivestep/analytics.
 *
 * @example periodFromKey("2006/07") // { type: "financial-year", startYear: 2006 }
 * @throws RangeError quoting the key when it is not canonical.
 */
export function periodFromKey(key: string): Period {
  for (const [pattern, build] of KEY_PATTERNS) {
    const m = key.match(pattern);
    if (!m) continue;
    const parsed = PeriodSchema.safeParse(build(m));
    // The round trip rejects keys like "2006/09" whose parts disagree.
    if (parsed.success && periodKey(parsed.data) === key) return parsed.data;
  }
  throw new RangeError(`Not a period key: "${key}"`);
}

// periodBounds' helpers live out here: a judge of 80,000 targets calls it millions of times, and
// closures made on each call cost more than the dates themselves.
const isoDate = (y: number, m: number, d: number) => `${y}-${pad2(m)}-${pad2(d)}`;
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const monthSpan = (y1: number, m1: number, y2: number, m2: number) => ({
  start: isoDate(y1, m1, 1),
  end: isoDate(y2, m2, lastDay(y2, m2)),
});

/**
 * The first and last day a period covers, as ISO dates. Sorting by `start` then `end` orders
 * periods of one type in time; the database stores `start` beside the key for that reason.
 *
 * @example periodBounds({ type: "financial-year", startYear: 2006 }) // { start: "2006-04-01", end: "2007-03-31" }
 */
export function periodBounds(period: Period): { start: string; end: string } {
  switch (period.type) {
    case "calendar-year":
      return monthSpan(period.year, 1, period.year, 12);
    case "financial-year":
      return monthSpan(period.startYear, 4, period.startYear + 1, 3);
    case "academic-year":
      return monthSpan(period.startYear, 9, period.startYear + 1, 8);
    case "quarter":
      return monthSpan(period.year, period.quarter * 3 - 2, period.year, period.quarter * 3);
    case "month":
      return monthSpan(period.year, period.month, period.year, period.month);
    case "rolling-12-months": {
      const startIndex = period.endYear * 12 + (period.endMonth - 1) - 11;
      return monthSpan(Math.floor(startIndex / 12), (startIndex % 12) + 1, period.endYear, period.endMonth);
    }
    case "multi-year":
      return monthSpan(period.startYear, 1, period.endYear, 12);
  }
}

/**
 * Orders periods in time: by first day, then by last day.
 *
 * @example ["2007 Q2", "2006 Q4"].map(periodFromKey).sort(comparePeriodBounds).map(periodKey) // ["2006 Q4", "2007 Q2"]
 */
export function comparePeriodBounds(a: Period, b: Period): number {
  const x = periodBounds(a);
  const y = periodBounds(b);
  return x.start < y.start ? -1 : x.start > y.start ? 1 : x.end < y.end ? -1 : x.end > y.end ? 1 : 0;
}
