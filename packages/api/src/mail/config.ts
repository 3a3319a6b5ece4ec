import { z } from "zod";

/** Where and how email is sent: from `SMTP_URL`, `MAIL_FROM` and `PUBLIC_URL`. */
export interface MailConfig {
  /** nodemailer's connection URL: `smtp://user:pass@host:587` or `smtps://…:465`. */
  smtpUrl: string;
  /** The sender: `Fivestep <noreply@example.org>` or a bare address. */
  from: string;
  /** The address people reach the server at; every link in an email starts with it (never a request's Host). */
  publicUrl: string;
}

const MailEnvSchema = z.object({
  SMTP_URL: z
    .string()
    .trim()
    .refine((u) => /^smtps?:\/\/[^/\s]+/i.test(u), "SMTP_URL must be an smtp:// or smtps:// URL"),
  MAIL_FROM: z
    .string()
    .trim()
    .min(3, "MAIL_FROM must name the sender's address")
    .max(200)
    .refine(
      (f) => /^[^<>\r\n]*<?[^\s@<>]+@[^\s@<>]+>?$/.test(f),
      "MAIL_FROM must be an address or Name <address>",
    ),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: "PUBLIC_URL must be the http(s) address of the server" })
    .transform((u) => u.replace(/\/+$/, "")),
});

/**
 * The mail settings from the environment, or null when `SMTP_URL` is unset or empty: then
 * notifications stay in-app and nothing fails. With `SMTP_URL` set, `MAIL_FROM` and
 * `PUBLIC_URL` are required (a half-configured server refuses to start rather than send mail
 * without a sender or with links to nowhere).
 *
 * @example mailConfigFrom({}) // null
 * @example mailConfigFrom({ SMTP_URL: "smtp://mail:25", MAIL_FROM: "Fivestep <noreply@example.org>", PUBLIC_URL: "https://plans.example.org/" })
 * // { smtpUrl: "smtp://mail:25", from: "Fivestep <noreply@example.org>", publicUrl: "https://plans.example.org" }
 */
export function mailConfigFrom(env: NodeJS.ProcessEnv = process.env): MailConfig | null {
  if (!env.SMTP_URL?.trim()) return null;
  const parsed = MailEnvSchema.safeParse(env);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(
      `Email is half configured (${why}). Set SMTP_URL, MAIL_FROM and PUBLIC_URL, or none of them.`,
    );
  }
  return { smtpUrl: parsed.data.SMTP_URL, from: parsed.data.MAIL_FROM, publicUrl: parsed.data.PUBLIC_URL };
}
