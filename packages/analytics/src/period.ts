import { comparePeriodBounds, type Period } from "@fivestep/domain";

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] as const;
const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;
const MONTH_SHORT = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
] as const;

const MIN_YEAR = 1800;
const MAX_YEAR = 2200;

const fail = (text: string, why?: string): never => {
  throw new RangeError(`parsePeriod: cannot read "${text}" as a period${why ? ` (${why})` : ""}`);
};

/** Month number 1–12 from "mar", "march", "sept"…, or 0. */
function monthNumber(word: string): number {
  const w = word.replace(/\.$/, "");
  if (w.length < 3) return 0;
  const index = MONTHS.indexOf(w.slice(0, 3) as (typeof MONTHS)[number]);
  if (index < 0) return 0;
  const full = MONTH_NAMES[index]!.toLowerCase();
  // Accept the 3-letter form, "sept", and the full name; reject other words that share a prefix.
  if (w === full || w.length === 3 || (index === 8 && w === "sept")) return index + 1;
  return 0;
}

function checkYear(text: string, year: number): number {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    fail(text, `year ${year} is outside ${MIN_YEAR}–${MAX_YEAR}`);
  }
  return year;
}

/** The full year that a 1–2 digit (or 4 digit) end year means, given the start year. */
function endYearFrom(start: number, end: string, strictlyAfter: boolean): number {
  if (end.length === 4) return Number(end);
  const modulus = end.length === 1 ? 10 : 100;
  let year = start - (start % modulus) + Number(end);
  if (strictlyAfter ? year <= start : year < start) year += modulus;
  return year;
}

function fromMonthSpan(text: string, y1: number, m1: number, y2: number, m2: number): Period {
  checkYear(text, y1);
  checkYear(text, y2);
  const span = y2 * 12 + m2 - (y1 * 12 + m1) + 1;
  if (span === 12) return { type: "rolling-12-months", endYear: y2, endMonth: m2 };
  if (span === 3 && m1 % 3 === 1) return { type: "quarter", year: y1, quarter: (m1 + 2) / 3 };
  if (span === 1) return { type: "month", year: y1, month: m1 };
  return fail(text, `a span of ${span} months is neither a month, a calendar quarter nor 12 months`);
}

/**
 * Reads a period as publishers spell it into the domain `Period`:
 * "2007" (calendar year), "2006/07" or "FY 2006/07" (financial year), "AY 2006/07" or
 * "Academic year 2006/07", "2006 Q3" or "Q3 2006", "2007-03" or "March 2023" or "Mar 2023" (month),
 * "Oct 2021-Sep 2022" or "12M to 2022-09" (rolling 12 months; a 3-month span on a calendar quarter
 * such as "Jan - Mar 2007" is that quarter), "2015 - 17", "2015-17" or "2015-2017" (several years).
 * Case, spacing and en dashes do not matter. "YYYY-MM" with no spaces is a month when MM is 01–12
 * (the canonical key); with spaces ("2011 - 12") it is a span of years.
 *
 * @example
 * parsePeriod("2006/07") // { type: "financial-year", startYear: 2006 }
 * parsePeriod("Q3 2006") // { type: "quarter", year: 2006, quarter: 3 }
 * parsePeriod("Oct 2021-Sep 2022") // { type: "rolling-12-months", endYear: 2022, endMonth: 9 }
 * parsePeriod("2015 - 17") // { type: "multi-year", startYear: 2015, endYear: 2017 }
 * @throws RangeError quoting the text when it is not a period.
 */
export function parsePeriod(text: string): Period {
  if (typeof text !== "string") return fail(String(text), "not text");
  const s = text
    .trim()
    .toLowerCase()
    .replace(/[\u2010-\u2015\u2212]/g, "-")
    .replace(/\s+/g, " ");
  const calendar = s.match(/^(\d{4})$/);
  if (calendar) return { type: "calendar-year", year: checkYear(text, Number(calendar[1])) };

  // Financial year: 2006/07, 2006/7, 2006/2007, FY 2006/07, 2006/07 FY.
  const financial = s.match(/^(?:fy ?)?(\d{4}) ?\/ ?(\d{1,2}|\d{4})(?: fy)?$/);
  if (financial) {
    const start = checkYear(text, Number(financial[1]));
    if (endYearFrom(start, financial[2]!, true) !== start + 1) {
      fail(text, "a financial year spans two consecutive years");
    }
    return { type: "financial-year", startYear: start };
  }

  // Academic year: AY 2006/07, Academic year 2006/07, 2006/07 academic year, 2006/07 AY.
  const academic =
    s.match(/^(?:ay|academic year):? ?(\d{4}) ?\/ ?(\d{1,2}|\d{4})$/) ??
    s.match(/^(\d{4}) ?\/ ?(\d{1,2}|\d{4}) ?(?:ay|academic year|\(academic year\)|\(ay\))$/);
  if (academic) {
    const start = checkYear(text, Number(academic[1]));
    if (endYearFrom(start, academic[2]!, true) !== start + 1) {
      fail(text, "an academic year spans two consecutive years");
    }
    return { type: "academic-year", startYear: start };
  }

  // Quarter: 2006 Q3, 2006Q3, 2006-Q3, Q3 2006, Q3-2006.
  const quarterAfter = s.match(/^(\d{4}) ?-? ?q([1-4])$/);
  if (quarterAfter) {
    return {
      type: "quarter",
      year: checkYear(text, Number(quarterAfter[1])),
      quarter: Number(quarterAfter[2]),
    };
  }
  const quarterBefore = s.match(/^q([1-4]) ?-? ?(\d{4})$/);
  if (quarterBefore) {
    return {
      type: "quarter",
      year: checkYear(text, Number(quarterBefore[2])),
      quarter: Number(quarterBefore[1]),
    };
  }

  // Month, canonical: 2007-03 (no spaces, 01–12).
  const monthKey = s.match(/^(\d{4})-(\d{2})$/);
  if (monthKey) {
    const month = Number(monthKey[2]);
    if (month >= 1 && month <= 12)
      return { type: "month", year: checkYear(text, Number(monthKey[1])), month };
  }

  // Rolling 12 months, canonical: 12M to 2022-09; or "12 months to Sep 2022", "year ending Sep 2022".
  const rollingKey = s.match(/^12m to (\d{4})-(\d{2})$/);
  if (rollingKey) {
    const endMonth = Number(rollingKey[2]);
    if (endMonth < 1 || endMonth > 12) fail(text, "no such month");
    return { type: "rolling-12-months", endYear: checkYear(text, Number(rollingKey[1])), endMonth };
  }
  const rollingWords = s.match(/^(?:12 months|year) (?:to|ending) ([a-z]+\.?) (\d{4})$/);
  if (rollingWords) {
    const endMonth = monthNumber(rollingWords[1]!);
    if (endMonth === 0) fail(text, `"${rollingWords[1]}" is not a month`);
    return { type: "rolling-12-months", endYear: checkYear(text, Number(rollingWords[2])), endMonth };
  }

  // Month by name: March 2023, Mar 2023, 2023 March.
  const named = s.match(/^([a-z]+\.?) (\d{4})$/);
  const namedAfter = s.match(/^(\d{4}) ([a-z]+)$/);
  const word = named?.[1] ?? namedAfter?.[2];
  const wordYear = named?.[2] ?? namedAfter?.[1];
  if (word !== undefined && wordYear !== undefined) {
    const month = monthNumber(word);
    if (month > 0) return { type: "month", year: checkYear(text, Number(wordYear)), month };
  }

  // Month spans: Oct 2021-Sep 2022, Oct 2021 to Sep 2022, Jan - Mar 2007.
  const span = s.match(/^([a-z]+\.?) ?(\d{4})? ?(?:-|to) ?([a-z]+\.?) ?(\d{4})$/);
  if (span) {
    const m1 = monthNumber(span[1]!);
    const m2 = monthNumber(span[3]!);
    if (m1 > 0 && m2 > 0) {
      const y2 = Number(span[4]);
      const y1 = span[2] === undefined ? (m1 <= m2 ? y2 : y2 - 1) : Number(span[2]);
      return fromMonthSpan(text, y1, m1, y2, m2);
    }
  }

  // Several years: 2015 - 17, 2015-17, 2015-2017, 2015 to 2017.
  const years = s.match(/^(\d{4}) ?(?:-|to) ?(\d{2}|\d{4})$/);
  if (years) {
    const start = checkYear(text, Number(years[1]));
    const end = checkYear(text, endYearFrom(start, years[2]!, years[2]!.length === 2));
    if (end < start) fail(text, "the span ends before it starts");
    return { type: "multi-year", startYear: start, endYear: end };
  }
  return fail(text);
}

const pad2 = (n: number) => String(n).padStart(2, "0");
const short = (n: number) => pad2(((n % 100) + 100) % 100);

/**
 * The human spelling of a period, as Fingertips and the ONS write them; `parsePeriod` reads it back.
 *
 * @example
 * formatPeriod({ type: "financial-year", startYear: 2006 }) // "2006/07"
 * formatPeriod({ type: "month", year: 2023, month: 3 }) // "March 2023"
 * formatPeriod({ type: "rolling-12-months", endYear: 2022, endMonth: 9 }) // "Oct 2021 - Sep 2022"
 * formatPeriod({ type: "multi-year", startYear: 2015, endYear: 2017 }) // "2015 - 17"
 */
export function formatPeriod(period: Period): string {
  switch (period.type) {
    case "calendar-year":
      return String(period.year);
    case "financial-year":
      return `${period.startYear}/${short(period.startYear + 1)}`;
    case "academic-year":
      return `Academic year ${period.startYear}/${short(period.startYear + 1)}`;
    case "quarter":
      return `${period.year} Q${period.quarter}`;
    case "month":
      return `${MONTH_NAMES[period.month - 1]} ${period.year}`;
    case "rolling-12-months": {
      const start = period.endYear * 12 + period.endMonth - 1 - 11;
      const startYear = Math.floor(start / 12);
      return `${MONTH_SHORT[start % 12]} ${startYear} - ${MONTH_SHORT[period.endMonth - 1]} ${period.endYear}`;
    }
    case "multi-year": {
      const span = period.endYear - period.startYear;
      return span > 0 && span < 100
        ? `${period.startYear} - ${short(period.endYear)}`
        : `${period.startYear} - ${period.endYear}`;
    }
  }
}

const asPeriod = (p: Period | string): Period => (typeof p === "string" ? parsePeriod(p) : p);

/**
 * Orders two periods in time (by first day, then last day); strings are read with `parsePeriod`.
 * Use it to sort: `periods.sort(comparePeriods)`.
 *
 * @example comparePeriods("2006 Q4", "Q2 2007") // -1
 * @example ["2007", "2005", "2006"].sort(comparePeriods) // ["2005", "2006", "2007"]
 */
export function comparePeriods(a: Period | string, b: Period | string): number {
  return comparePeriodBounds(asPeriod(a), asPeriod(b));
}

/** Options of `addPeriods`. @example const o: AddPeriodsOptions = { stepMonths: 1 }; */
export type AddPeriodsOptions = {
  /** How far one step moves a rolling-12-month period; default 3 (quarterly publication, as the APS). */
  stepMonths?: number;
};

function rollingStep(options: AddPeriodsOptions | undefined): number {
  const step = options?.stepMonths ?? 3;
  if (!Number.isInteger(step) || step < 1) {
    throw new RangeError(`addPeriods: stepMonths must be a positive whole number (got ${String(step)})`);
  }
  return step;
}

/**
 * The period `n` steps later (or earlier, for negative `n`) in the same series: years for yearly
 * types, quarters, months; a multi-year span moves by whole years keeping its length ("2015 - 17"
 * + 1 = "2016 - 18"); a rolling 12 months moves by `stepMonths` (default 3) months per step.
 *
 * @example addPeriods(parsePeriod("2006 Q4"), 1) // { type: "quarter", year: 2007, quarter: 1 }
 * @example addPeriods(parsePeriod("2006/07"), -2) // { type: "financial-year", startYear: 2004 }
 * @throws RangeError naming `n` when it is not a whole number.
 */
export function addPeriods(period: Period | string, n: number, options?: AddPeriodsOptions): Period {
  if (!Number.isInteger(n)) throw new RangeError(`addPeriods: n must be a whole number (got ${String(n)})`);
  const p = asPeriod(period);
  switch (p.type) {
    case "calendar-year":
      return { type: "calendar-year", year: p.year + n };
    case "financial-year":
      return { type: "financial-year", startYear: p.startYear + n };
    case "academic-year":
      return { type: "academic-year", startYear: p.startYear + n };
    case "quarter": {
      const index = p.year * 4 + (p.quarter - 1) + n;
      return { type: "quarter", year: Math.floor(index / 4), quarter: (((index % 4) + 4) % 4) + 1 };
    }
    case "month": {
      const index = p.year * 12 + (p.month - 1) + n;
      return { type: "month", year: Math.floor(index / 12), month: (((index % 12) + 12) % 12) + 1 };
    }
    case "rolling-12-months": {
      const index = p.endYear * 12 + (p.endMonth - 1) + n * rollingStep(options);
      return {
        type: "rolling-12-months",
        endYear: Math.floor(index / 12),
        endMonth: (((index % 12) + 12) % 12) + 1,
      };
    }
    case "multi-year":
      return { type: "multi-year", startYear: p.startYear + n, endYear: p.endYear + n };
  }
}

/**
 * The position of a period on its series' time axis, in steps of `addPeriods`
 * (so `periodIndex(addPeriods(p, k)) === periodIndex(p) + k`). Used as t in trend fits.
 *
 * @example periodIndex(parsePeriod("2007 Q1")) - periodIndex(parsePeriod("2006 Q3")) // 2
 */
export function periodIndex(period: Period | string, options?: AddPeriodsOptions): number {
  const p = asPeriod(period);
  switch (p.type) {
    case "calendar-year":
      return p.year;
    case "financial-year":
    case "academic-year":
    case "multi-year":
      return p.startYear;
    case "quarter":
      return p.year * 4 + p.quarter - 1;
    case "month":
      return p.year * 12 + p.month - 1;
    case "rolling-12-months":
      return (p.endYear * 12 + p.endMonth - 1) / rollingStep(options);
  }
}
