import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";

/** The interface languages. @example LOCALES[1] // "hr-HR" */
export const LOCALES = ["en-GB", "hr-HR"] as const;
/** @example const l: Locale = "en-GB"; */
export type Locale = (typeof LOCALES)[number];
/** A translation catalogue: message id → text with `{name}` placeholders. */
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
 * Fills `{name}` placeholders. Unknown placeholders stay visible, so a missing value is noticed.
 *
 * @example interpolate("Hello {name}", { name: "Ana" }) // "Hello Ana"
 */
export function interpolate(text: string, values: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
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
      t: (id, values) => interpolate(messages[id] ?? fallback[id] ?? id, values),
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
  "audit.action",
  "audit.record",
  "audit.changes",
  "audit.system",
  "audit.byToken",
  "table.scrollHint",
] as const;
