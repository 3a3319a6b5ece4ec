import type { ImportField } from "@fivestep/domain";

const PATTERNS: Array<[ImportField, RegExp]> = [
  ["indicator", /^(indicator|indicator_?name|measure_?name)$/i],
  ["area", /^(area|area_?code|areacd|geography_?code|ons_?code|code|[a-z]{2,4}\d{2}cd)$/i],
  ["period", /^(period|time_?period|date|year|quarter|month)$/i],
  ["value", /^(value|obs_?value|rate|percentage)$/i],
  ["numerator", /^(numerator|count)$/i],
  ["denominator", /^(denominator|population|denom)$/i],
  ["lower", /^(lower|lower_?ci|lci|lower_?limit|lowerci95)/i],
  ["upper", /^(upper|upper_?ci|uci|upper_?limit|upperci95)/i],
  ["status", /^(status|revision_?status)$/i],
  ["note", /^(note|notes|comment)$/i],
  ["breakdown", /^(breakdown|inequality|sex|age_?band|category_?value)$/i],
];

/**
 * A first guess at the column mapping from the header's names (the user checks it): each field
 * takes the first column whose name fits.
 *
 * @example suggestColumns(["area_code", "period", "value"]) // { area: "area_code", period: "period", value: "value" }
 */
export function suggestColumns(columns: readonly string[]): Partial<Record<ImportField, string>> {
  const out: Partial<Record<ImportField, string>> = {};
  const used = new Set<string>();
  for (const [field, pattern] of PATTERNS) {
    const column = columns.find((c) => !used.has(c) && pattern.test(c.trim()));
    if (column !== undefined) {
      out[field] = column;
      used.add(column);
    }
  }
  return out;
}
