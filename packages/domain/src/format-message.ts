import { IntlMessageFormat } from "intl-messageformat";

// Formatting of ICU messages, without React: the interface's `t` and the server's emails use it.

const compiled = new Map<string, IntlMessageFormat | null>();

/**
 * Formats an ICU message in a language: placeholders filled, numbers in the language's notation,
 * plurals by its rules (Croatian has one, few and other; English one and other). A message that
 * does not parse, or lacks a value it names, is filled by `interpolate` instead, so the missing
 * placeholder stays visible rather than the page failing.
 *
 * @example formatMessage("hr-HR", "{count, plural, one {# pokazatelj} few {# pokazatelja} other {# pokazatelja}}", { count: 3 }) // "3 pokazatelja"
 */
export function formatMessage(
  locale: string,
  message: string,
  values: Record<string, string | number> = {},
): string {
  if (!message.includes("{")) return message;
  const key = `${locale}\u0000${message}`;
  let format = compiled.get(key);
  if (format === undefined) {
    try {
      format = new IntlMessageFormat(message, locale);
    } catch {
      format = null;
    }
    compiled.set(key, format);
  }
  if (format) {
    try {
      return String(format.format(values));
    } catch {
      // A value the message names was not given: fall through, leaving its placeholder visible.
    }
  }
  return interpolate(message, values);
}

/**
 * Fills `{name}` placeholders. Unknown placeholders stay visible, so a missing value is noticed.
 *
 * @example interpolate("Hello {name}", { name: "Ana" }) // "Hello Ana"
 */
export function interpolate(text: string, values: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
