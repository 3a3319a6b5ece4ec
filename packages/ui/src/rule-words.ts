import type { I18n } from "./i18n.tsx";

/** The locale helpers a rule's parameters are written with (those of `useI18n()`). */
export type RuleFormatters = Pick<I18n, "formatNumber" | "formatDate">;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A broken rule's parameters in the reader's notation: numbers through `formatNumber` (72,4 in
 * Croatian), ISO dates through `formatDate`; other text (period keys, codes, names) as it is.
 *
 * @example localRuleParams({ before: 74.5, due: "2009-03-31" }, useI18n()) // { before: "74,5", due: "31. ožu 2009." } in hr-HR
 */
export function localRuleParams(
  params: Record<string, string | number>,
  format: RuleFormatters,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    out[key] =
      typeof value === "number"
        ? format.formatNumber(value, { maximumFractionDigits: 6 })
        : ISO_DATE.test(value)
          ? // A calendar date: read and written in UTC, so no time zone moves it a day.
            format.formatDate(value, { dateStyle: "medium", timeZone: "UTC" })
          : value;
  }
  return out;
}

/**
 * A translator for forms and pages that word broken rules: messages `rule.<code>` get their
 * parameters in the reader's notation (`localRuleParams`), every other message is translated as
 * by `t`. Pass it to `validate` and `fieldErrorsFrom`.
 *
 * @example const { t, formatNumber, formatDate } = useI18n(); const errors = fieldErrorsFrom(error, ruleTranslator(t, { formatNumber, formatDate }));
 */
export function ruleTranslator(t: I18n["t"], format: RuleFormatters): I18n["t"] {
  return (id, values) =>
    id.startsWith("rule.") && values ? t(id, localRuleParams(values, format)) : t(id, values);
}
