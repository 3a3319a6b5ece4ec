import nodemailer from "nodemailer";
import type { MailConfig } from "./config.ts";
import {
  fill,
  MAIL_MESSAGES,
  type MailLocale,
  type MessageCode,
  type MessageParams,
  renderMessage,
} from "./messages.ts";

/** One email, ready to go. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  /** Files attached (a scheduled report's pack as CSV). */
  attachments?: ReadonlyArray<{ filename: string; content: Buffer; contentType: string }>;
}

/** Sends email; `createSmtpMailer` over SMTP. */
export interface Mailer {
  /** The address links in emails start with (`PUBLIC_URL`). */
  readonly publicUrl: string;
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/**
 * A mailer over SMTP with nodemailer, from the mail settings.
 *
 * @example const mailer = createSmtpMailer(mailConfigFrom()!); await mailer.send(mail); mailer.close();
 */
export function createSmtpMailer(config: MailConfig): Mailer {
  const transport = nodemailer.createTransport(config.smtpUrl);
  return {
    publicUrl: config.publicUrl,
    async send(mail) {
      await transport.sendMail({
        from: config.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: mail.headers,
        ...(mail.attachments ? { attachments: [...mail.attachments] } : {}),
      });
    },
    close: () => transport.close(),
  };
}

/**
 * Text made safe inside HTML (element content and quoted attributes).
 *
 * @example escapeHtml('<b>"A&B"</b>') // "&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;"
 */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/**
 * A reminder's email in its reader's language: subject, plain-text and HTML bodies (user text
 * escaped in the HTML), a link into Fivestep, and RFC 8058 one-click unsubscribe headers
 * (`List-Unsubscribe` with the token's URL, `List-Unsubscribe-Post: List-Unsubscribe=One-Click`).
 * Every link starts with `publicUrl`, never with the address a request came in on.
 *
 * @example
 * const mail = composeReminderMail({ to: "ana@example.org", name: "Ana", locale: "hr-HR", code: "reminder.dataReturn.overdue",
 *   params: { indicator: "NI 151", period: "2008 Q1", due: "2026-11-01" }, link: "/returns", publicUrl: "https://plans.example.org", unsubscribeToken: "…" });
 */
export function composeReminderMail(o: {
  to: string;
  name: string;
  locale: MailLocale;
  code: MessageCode;
  params: MessageParams;
  link: string;
  publicUrl: string;
  unsubscribeToken: string;
}): OutgoingMail {
  const frame = MAIL_MESSAGES[o.locale].frame;
  const words = MAIL_MESSAGES[o.locale].messages[o.code];
  const { subject, body } = renderMessage(o.locale, o.code, o.params);
  const openUrl = `${o.publicUrl}${o.link.startsWith("/") ? o.link : `/${o.link}`}`;
  const greeting = fill(o.locale, frame.greeting, { name: o.name });
  const e = escapeHtml;
  return framedMail({
    to: o.to,
    locale: o.locale,
    subject,
    why: frame.why,
    publicUrl: o.publicUrl,
    unsubscribeToken: o.unsubscribeToken,
    text: [greeting, "", body, "", `${frame.open}: ${openUrl}`].join("\n"),
    html: [
      `<p>${fill(o.locale, e(frame.greeting), { name: o.name }, e)}</p>`,
      `<p>${fill(o.locale, e(words.body), o.params, e)}</p>`,
      `<p><a href="${e(openUrl)}">${e(frame.open)}</a></p>`,
    ].join("\n"),
  });
}

/**
 * The frame every Fivestep email shares around its own words: the HTML document in the reader's
 * language, the footer (why the reader gets it, a link to their preferences, the unsubscribe
 * link) in both bodies, and RFC 8058 one-click unsubscribe headers. `html` must already be escaped.
 *
 * @example framedMail({ to, locale: "hr-HR", subject, why: frame.why, publicUrl, unsubscribeToken, text: "Pozdrav", html: "<p>Pozdrav</p>" })
 */
export function framedMail(o: {
  to: string;
  locale: MailLocale;
  subject: string;
  text: string;
  html: string;
  why: string;
  publicUrl: string;
  unsubscribeToken: string;
}): OutgoingMail {
  const frame = MAIL_MESSAGES[o.locale].frame;
  const unsubscribeUrl = `${o.publicUrl}/unsubscribe?token=${encodeURIComponent(o.unsubscribeToken)}`;
  const accountUrl = `${o.publicUrl}/account`;
  const e = escapeHtml;
  const text = [
    o.text,
    "",
    "-- ",
    o.why,
    `${frame.preferences}: ${accountUrl}`,
    `${frame.unsubscribe}: ${unsubscribeUrl}`,
    "",
  ].join("\n");
  const html = [
    `<!doctype html><html lang="${o.locale}"><head><meta charset="utf-8"><title>${e(o.subject)}</title></head>`,
    `<body style="font-family: Arial, sans-serif; line-height: 1.5">`,
    o.html,
    `<hr><p style="font-size: 0.875em">${e(o.why)}<br>`,
    `<a href="${e(accountUrl)}">${e(frame.preferences)}</a><br>`,
    `<a href="${e(unsubscribeUrl)}">${e(frame.unsubscribe)}</a></p>`,
    "</body></html>",
  ].join("\n");
  return {
    to: o.to,
    subject: o.subject,
    text,
    html,
    headers: {
      "List-Unsubscribe": `<${unsubscribeUrl}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
  };
}
