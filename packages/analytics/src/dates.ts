// Calendar arithmetic on ISO dates ("YYYY-MM-DD"), in whole days, with no time zone: a release
// calendar speaks of days, and `Date#setUTCMonth` rolls 31 January + 1 month over into March.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const iso = (year: number, month: number, day: number) => `${pad(year, 4)}-${pad(month)}-${pad(day)}`;

function parts(date: string, fn: string): [number, number, number] {
  const m = typeof date === "string" ? date.match(ISO_DATE) : null;
  const [year, month, day] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  if (!m || month < 1 || month > 12 || day < 1 || day > lastDay(year, month)) {
    throw new RangeError(`${fn}: date must be a real date written YYYY-MM-DD (got ${String(date)})`);
  }
  return [year, month, day];
}

function whole(n: number, name: string, fn: string): void {
  if (!Number.isInteger(n)) throw new RangeError(`${fn}: ${name} must be a whole number (got ${String(n)})`);
}

/**
 * The date `months` calendar months later (earlier when negative). A day the target month does not
 * have becomes that month's last day: 31 January + 1 month is 28 February (29 in a leap year),
 * never 3 March.
 *
 * @example addMonths("2007-01-31", 1) // "2007-02-28"
 * @example addMonths("2008-01-31", 1) // "2008-02-29"
 * @example addMonths("2007-03-31", 3) // "2007-06-30"
 * @throws RangeError naming `date` (not a real YYYY-MM-DD date) or `months` (not whole).
 */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = parts(date, "addMonths");
  whole(months, "months", "addMonths");
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return iso(y, m, Math.min(day, lastDay(y, m)));
}

/**
 * The date `days` days later (earlier when negative).
 *
 * @example addDays("2007-09-30", 120) // "2008-01-28"
 * @example addDays("2008-02-28", 1) // "2008-02-29"
 * @throws RangeError naming `date` or `days`.
 */
export function addDays(date: string, days: number): string {
  const [year, month, day] = parts(date, "addDays");
  whole(days, "days", "addDays");
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/**
 * The last day of the date's month.
 *
 * @example endOfMonth("2008-02-10") // "2008-02-29"
 * @throws RangeError naming `date`.
 */
export function endOfMonth(date: string): string {
  const [year, month] = parts(date, "endOfMonth");
  return iso(year, month, lastDay(year, month));
}
