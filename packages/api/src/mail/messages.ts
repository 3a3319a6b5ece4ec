/** The languages messages are written in. */
export const MAIL_LOCALES = ["en-GB", "hr-HR"] as const;
/** @example const l: MailLocale = "hr-HR"; */
export type MailLocale = (typeof MAIL_LOCALES)[number];

/** A message's code; its words are in `MAIL_MESSAGES` for each language. */
export type MessageCode =
  | "reminder.dataReturn.assigned"
  | "reminder.dataReturn.dueSoon"
  | "reminder.dataReturn.overdue"
  | "reminder.action.dueSoon"
  | "reminder.action.overdue"
  | "reminder.target.offTrack"
  | "report.scheduled";

/** The words of one message: its subject and sentence, with `{name}` parameters. */
interface MessageWords {
  subject: string;
  body: string;
}

/** Words shared by every email: greeting, link, why it came, how to stop it. */
interface MailFrame {
  greeting: string;
  open: string;
  why: string;
  unsubscribe: string;
  preferences: string;
}

/**
 * Every message a reminder sends, in each language. The planner's catalogues hold the same
 * sentences under `notice.<code>` for its inbox.
 *
 * @example MAIL_MESSAGES["hr-HR"].messages["reminder.dataReturn.overdue"].subject // "Podatak kasni: {indicator} za {period}"
 */
export const MAIL_MESSAGES: Record<
  MailLocale,
  { frame: MailFrame; messages: Record<MessageCode, MessageWords> }
> = {
  "en-GB": {
    frame: {
      greeting: "Hello {name},",
      open: "Open Fivestep",
      why: "You receive this because you use Fivestep with your partnership.",
      unsubscribe: "Stop these emails",
      preferences: "Choose which emails you receive on your account page",
    },
    messages: {
      "reminder.dataReturn.assigned": {
        subject: "Data return to make: {indicator} for {period}",
        body: "You have been asked for the value of {indicator} for {period}, due by {due}.",
      },
      "reminder.dataReturn.dueSoon": {
        subject: "Data return due soon: {indicator} for {period}",
        body: "The value of {indicator} for {period} is due by {due}.",
      },
      "reminder.dataReturn.overdue": {
        subject: "Data return overdue: {indicator} for {period}",
        body: "The value of {indicator} for {period} was due by {due} and has not been sent.",
      },
      "reminder.action.dueSoon": {
        subject: "Action due soon: {action}",
        body: "The action “{action}” is due by {due}.",
      },
      "reminder.action.overdue": {
        subject: "Action overdue: {action}",
        body: "The action “{action}” was due by {due} and is not marked done.",
      },
      "reminder.target.offTrack": {
        subject: "Target off track: {indicator}",
        body: "The target for {indicator} (priority “{priority}”) is now off track.",
      },
      "report.scheduled": {
        subject: "Performance report for {audience}: {plan}",
        body: "The performance report on “{plan}” for {audience}, due on {due}, is ready to read in Fivestep.",
      },
    },
  },
  "hr-HR": {
    frame: {
      greeting: "Poštovani/a {name},",
      open: "Otvori Fivestep",
      why: "Ovu poruku primate jer s partnerstvom koristite Fivestep.",
      unsubscribe: "Ne šalji mi više ove poruke",
      preferences: "Koje poruke primate birate na stranici svog računa",
    },
    messages: {
      "reminder.dataReturn.assigned": {
        subject: "Novi podatak za dostavu: {indicator} za {period}",
        body: "Zatražena je vrijednost pokazatelja {indicator} za {period}, rok je {due}.",
      },
      "reminder.dataReturn.dueSoon": {
        subject: "Rok za podatak uskoro: {indicator} za {period}",
        body: "Vrijednost pokazatelja {indicator} za {period} treba dostaviti do {due}.",
      },
      "reminder.dataReturn.overdue": {
        subject: "Podatak kasni: {indicator} za {period}",
        body: "Vrijednost pokazatelja {indicator} za {period} trebala je biti dostavljena do {due}, a još nije.",
      },
      "reminder.action.dueSoon": {
        subject: "Rok aktivnosti uskoro: {action}",
        body: "Rok aktivnosti „{action}” je {due}.",
      },
      "reminder.action.overdue": {
        subject: "Aktivnost kasni: {action}",
        body: "Rok aktivnosti „{action}” bio je {due}, a nije označena kao dovršena.",
      },
      "reminder.target.offTrack": {
        subject: "Cilj nije na putu ostvarenja: {indicator}",
        body: "Cilj za pokazatelj {indicator} (prioritet „{priority}”) više nije na putu ostvarenja.",
      },
      "report.scheduled": {
        subject: "Izvješće o uspješnosti za {audience}: {plan}",
        body: "Izvješće o uspješnosti plana „{plan}” za {audience}, s rokom {due}, spremno je za čitanje u Fivestepu.",
      },
    },
  },
};

/**
 * The reader's language if Fivestep writes in it, else British English.
 *
 * @example mailLocale("hr-HR") // "hr-HR"
 * @example mailLocale("de-DE") // "en-GB"
 */
export function mailLocale(locale: string | null | undefined): MailLocale {
  return (MAIL_LOCALES as readonly string[]).includes(locale ?? "") ? (locale as MailLocale) : "en-GB";
}

/** Parameters of a message: names to plain values (dates as ISO yyyy-mm-dd under `due`). */
export type MessageParams = Record<string, string | number>;

/** A parameter's value in the reader's notation: `due` as a long date, numbers grouped. */
function formatParam(locale: MailLocale, name: string, value: string | number): string {
  if (typeof value === "number") return new Intl.NumberFormat(locale).format(value);
  if (name === "due" && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(
      new Date(`${value}T00:00:00Z`),
    );
  }
  return value;
}

/**
 * A template with its `{name}` parameters filled in; `escapeValue` is applied to each value (never to
 * the template), so user text (an action's title) cannot become markup in an HTML body.
 *
 * @example fill("en-GB", "Due by {due}", { due: "2026-12-03" }) // "Due by 3 December 2026"
 */
export function fill(
  locale: MailLocale,
  template: string,
  params: MessageParams,
  escapeValue: (s: string) => string = (s) => s,
): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : escapeValue(formatParam(locale, name, value));
  });
}

/**
 * A message's subject and sentence in a language.
 *
 * @example renderMessage("en-GB", "reminder.action.overdue", { action: "Open the hub", due: "2026-11-01" }).subject // "Action overdue: Open the hub"
 */
export function renderMessage(
  locale: MailLocale,
  code: MessageCode,
  params: MessageParams,
): { subject: string; body: string } {
  const words = MAIL_MESSAGES[locale].messages[code];
  return { subject: fill(locale, words.subject, params), body: fill(locale, words.body, params) };
}
