import { type Frequency, type Period, periodBounds, periodKey } from "@fivestep/domain";
import { addDays, addMonths, endOfMonth } from "./dates.ts";
import { addPeriods, parsePeriod } from "./period.ts";

/**
 * The months between two releases of an indicator, by its frequency; null for "ad-hoc", which has
 * no calendar. "multi-year" assumes a survey repeated every three years.
 *
 * @example FREQUENCY_MONTHS.quarterly // 3
 */
export const FREQUENCY_MONTHS: Readonly<Record<Frequency, number | null>> = {
  monthly: 1,
  quarterly: 3,
  annual: 12,
  "multi-year": 36,
  "ad-hoc": null,
};

/**
 * The release lag assumed when an indicator gives none, in days from a period's end to its
 * publication: about two months for monthly data, four for quarterly, a year for annual and
 * multi-year data (national statistics usually appear within these).
 *
 * @example DEFAULT_RELEASE_LAG_DAYS.quarterly // 120
 */
export const DEFAULT_RELEASE_LAG_DAYS: Readonly<Record<Frequency, number | null>> = {
  monthly: 60,
  quarterly: 120,
  annual: 365,
  "multi-year": 365,
  "ad-hoc": null,
};

/** Input of `dataFreshness`. @example const i: FreshnessInput = { latestPeriod: "2007 Q2", frequency: "quarterly", asOf: "2008-02-01" }; */
export type FreshnessInput = {
  /** The period of the latest value held (a key or any spelling `parsePeriod` reads); null when none. */
  latestPeriod: Period | string | null;
  frequency: Frequency;
  /** Days from a period's end to its publication; null or omitted for the frequency's default. */
  releaseLagDays?: number | null;
  /** The day to judge on: a Date (its UTC day) or an ISO date. */
  asOf: Date | string;
};

/** The result of `dataFreshness`. @example const f: Freshness = dataFreshness(input); f.stale */
export type Freshness = {
  /** True once `dueBy` has passed without a newer value. */
  stale: boolean;
  /** The key of the next period, when it is the same kind of period as the latest; else null. */
  nextPeriod: string | null;
  /** The last day the next period covers. */
  nextPeriodEnd: string | null;
  /** The day the next value should be published: `nextPeriodEnd` plus the release lag. */
  dueBy: string | null;
};

/** The same kind of period, `months` later, when its length allows (a quarter moves by 3s). */
function shifted(p: Period, months: number): Period | null {
  switch (p.type) {
    case "month":
      return addPeriods(p, months);
    case "quarter":
      return months % 3 === 0 ? addPeriods(p, months / 3) : null;
    case "rolling-12-months":
      return addPeriods(p, 1, { stepMonths: months });
    case "calendar-year":
    case "financial-year":
    case "academic-year":
    case "multi-year":
      return months % 12 === 0 ? addPeriods(p, months / 12) : null;
  }
}

function dayOf(asOf: Date | string): string {
  const day = asOf instanceof Date ? asOf.toISOString().slice(0, 10) : String(asOf).slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) {
    throw new RangeError(`dataFreshness: asOf must be a Date or an ISO date (got ${String(asOf)})`);
  }
  return day;
}

/**
 * Whether an indicator's latest value is out of date: the next period (the latest period's end moved
 * on by the frequency's interval, `FREQUENCY_MONTHS`, to that month's end) should be published by its
 * end plus the release lag (the indicator's own, or `DEFAULT_RELEASE_LAG_DAYS`), and it is stale from
 * the day after that. Month arithmetic clamps to month ends (31 March + 3 months is 30 June). An
 * ad-hoc indicator, or one with no value yet, is never stale by this rule.
 *
 * @example
 * dataFreshness({ latestPeriod: "2007 Q2", frequency: "quarterly", asOf: "2008-01-29" })
 * // { stale: true, nextPeriod: "2007 Q3", nextPeriodEnd: "2007-09-30", dueBy: "2008-01-28" }
 * @example
 * dataFreshness({ latestPeriod: "2007 Q1", frequency: "quarterly", releaseLagDays: 0, asOf: "2007-06-30" }).dueBy // "2007-06-30"
 * @throws RangeError naming `latestPeriod`, `releaseLagDays` or `asOf`.
 */
export function dataFreshness(input: FreshnessInput): Freshness {
  const asOf = dayOf(input.asOf);
  const months = FREQUENCY_MONTHS[input.frequency];
  if (months === undefined) {
    throw new RangeError(`dataFreshness: unknown frequency ${String(input.frequency)}`);
  }
  const lag = input.releaseLagDays ?? DEFAULT_RELEASE_LAG_DAYS[input.frequency];
  if (lag !== null && (!Number.isInteger(lag) || lag < 0)) {
    throw new RangeError(`dataFreshness: releaseLagDays must be a whole number ≥ 0 (got ${String(lag)})`);
  }
  if (input.latestPeriod === null || months === null || lag === null) {
    return { stale: false, nextPeriod: null, nextPeriodEnd: null, dueBy: null };
  }
  let latest: Period;
  try {
    latest = typeof input.latestPeriod === "string" ? parsePeriod(input.latestPeriod) : input.latestPeriod;
  } catch (e) {
    throw new RangeError(`dataFreshness: latestPeriod: ${(e as Error).message}`);
  }
  const nextPeriodEnd = endOfMonth(addMonths(periodBounds(latest).end, months));
  const next = shifted(latest, months);
  const dueBy = addDays(nextPeriodEnd, lag);
  return {
    stale: dueBy < asOf,
    nextPeriod: next ? periodKey(next) : null,
    nextPeriodEnd,
    dueBy,
  };
}
