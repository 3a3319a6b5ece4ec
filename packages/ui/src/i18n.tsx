import { formatMessage } from "@fivestep/domain/format-message";
import { IntlMessageFormat } from "intl-messageformat";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";

export { formatMessage, interpolate } from "@fivestep/domain/format-message";

/** The interface languages. @example LOCALES[1] // "hr-HR" */
export const LOCALES = ["en-GB", "hr-HR"] as const;
/** @example const l: Locale = "en-GB"; */
export type Locale = (typeof LOCALES)[number];
/**
 * A translation catalogue: message id → an ICU message (`{name}` placeholders, and
 * `{count, plural, one {…} few {…} other {…}}` where the words follow a number).
 */
export type Catalogue = Record<string, string>;

/** What `useI18n` gives a component. */
export interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  /** The message for `id` in the current language, with `{name}` placeholders filled. */
  t(id: string, values?: Record<string, string | number>): string;
  /** A number in the current locale's notation. */
  formatNumber(value: number, options?: Intl.NumberFormatOptions): string;
  /** A date (ISO string or Date) in the current locale. */
  formatDate(value: string | Date, options?: Intl.DateTimeFormatOptions): string;
}

const I18nContext = createContext<I18n | null>(null);
const STORAGE_KEY = "fivestep.locale";

function initialLocale(): Locale {
  if (typeof window === "undefined") return "en-GB";
  const stored = window.localStorage.getItem(STORAGE_KEY);
  return (LOCALES as readonly string[]).includes(stored ?? "") ? (stored as Locale) : "en-GB";
}

/**
 * Provides translations to the tree. The chosen language is remembered in the browser and set on
 * `<html lang>`. A message missing from a catalogue falls back to en-GB, then to its id.
 *
 * @example
 * <I18nProvider catalogues={{ "en-GB": en, "hr-HR": hr }}><App /></I18nProvider>
 */
export function I18nProvider(props: { catalogues: Record<Locale, Catalogue>; children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    window.localStorage.setItem(STORAGE_KEY, next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo<I18n>(() => {
    const messages = props.catalogues[locale];
    const fallback = props.catalogues["en-GB"];
    return {
      locale,
      setLocale,
      t: (id, values) =>
        formatMessage(messages[id] ? locale : "en-GB", messages[id] ?? fallback[id] ?? id, values),
      formatNumber: (n, options) => new Intl.NumberFormat(locale, options).format(n),
      formatDate: (d, options) =>
        new Intl.DateTimeFormat(locale, options ?? { dateStyle: "medium" }).format(
          typeof d === "string" ? new Date(d) : d,
        ),
    };
  }, [locale, setLocale, props.catalogues]);
  return <I18nContext.Provider value={value}>{props.children}</I18nContext.Provider>;
}

/**
 * The current language's translate and format functions.
 *
 * @example const { t, formatNumber } = useI18n(); t("nav.indicators");
 */
export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n must be used inside <I18nProvider>");
  return value;
}

interface AstNode {
  type: number;
  value?: unknown;
  options?: Record<string, { value: AstNode[] }>;
  children?: AstNode[];
  pluralType?: string;
}
// intl-messageformat's element types (its TYPE enum): 5 select, 6 plural.
const SELECT = 5;
const PLURAL = 6;

/** The names a message's placeholders use, and each plural's categories. */
function describeMessage(message: string, locale: Locale) {
  const names = new Set<string>();
  const plurals: Array<{ name: string; categories: string[] }> = [];
  const walk = (nodes: AstNode[]) => {
    for (const node of nodes) {
      if (typeof node.value === "string" && node.type !== 0 && node.type !== 8) names.add(node.value);
      if (
        node.type === PLURAL &&
        node.options &&
        typeof node.value === "string" &&
        node.pluralType !== "ordinal"
      )
        plurals.push({ name: node.value, categories: Object.keys(node.options) });
      if ((node.type === PLURAL || node.type === SELECT) && node.options)
        for (const option of Object.values(node.options)) walk(option.value);
      if (node.children) walk(node.children);
    }
  };
  walk(new IntlMessageFormat(message, locale).getAst() as unknown as AstNode[]);
  return { names, plurals };
}

/**
 * What is wrong with a catalogue's messages beside the reference's: a message that does not parse
 * as ICU, a placeholder the reference's message does not fill, a plural without every category
 * the language needs (Croatian: one, few, other), or a "(s)" where a plural belongs. Each app's catalogue test expects `[]`.
 *
 * @example messageProblems(en, hr, "hr-HR") // []
 */
export function messageProblems(reference: Catalogue, other: Catalogue, locale: Locale): string[] {
  const needed = new Intl.PluralRules(locale).resolvedOptions().pluralCategories as string[];
  const problems: string[] = [];
  for (const [id, message] of Object.entries(other)) {
    if (/\w\(s\)/.test(message)) problems.push(`${id}: "(s)" instead of a plural`);
    try {
      const mine = describeMessage(message, locale);
      const theirs = reference[id] === undefined ? mine : describeMessage(reference[id], "en-GB");
      for (const name of mine.names)
        if (!theirs.names.has(name)) problems.push(`${id}: {${name}} is not in the en-GB message`);
      for (const plural of mine.plurals) {
        const lacking = needed.filter((c) => !plural.categories.includes(c));
        if (lacking.length > 0)
          problems.push(`${id}: the plural of {${plural.name}} lacks ${lacking.join(", ")}`);
      }
    } catch (e) {
      problems.push(`${id}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return problems;
}

/**
 * Lists the ids one catalogue lacks compared with another; tests use it to keep hr-HR complete.
 *
 * @example missingMessages(en, hr) // []
 */
export function missingMessages(reference: Catalogue, other: Catalogue): string[] {
  return Object.keys(reference).filter((id) => !(id in other) || other[id]?.trim() === "");
}

/**
 * The message ids the shared components use; every app's catalogues must define them (each app
 * has a test that checks).
 *
 * @example UI_MESSAGE_IDS.includes("signIn.submit") // true
 */
export const UI_MESSAGE_IDS = [
  "shell.skipToContent",
  "shell.navigation",
  "shell.language",
  "language.en-GB",
  "language.hr-HR",
  "form.errorTitle",
  "form.leaveUnsaved",
  "signIn.title",
  "signIn.email",
  "signIn.password",
  "signIn.submit",
  "signIn.pending",
  "signIn.help",
  "audit.empty",
  "audit.when",
  "audit.who",
  "audit.happened",
  "audit.details",
  "audit.showDetails",
  "audit.system",
  "audit.byToken",
  "table.scrollHint",
] as const;
