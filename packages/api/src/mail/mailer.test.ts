import { describe, expect, it } from "vitest";
import { composeReminderMail } from "./mailer.ts";
import { MAIL_MESSAGES, mailLocale, renderMessage } from "./messages.ts";

describe("reminder emails", () => {
  const base = {
    to: "ana@example.org",
    code: "reminder.action.overdue" as const,
    params: { action: '<script>alert("x")</script> & co', due: "2026-11-01" },
    link: "/partnerships/1/plans/2",
    publicUrl: "https://plans.example.org",
    unsubscribeToken: "tok_abcdefghijklmnopqrstuvwxyz",
  };

  it("escapes people's text in the HTML body but keeps it as written in the plain-text body", () => {
    const mail = composeReminderMail({ ...base, name: "Ana <b>Horvat</b>", locale: "en-GB" });
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).not.toContain("<b>Horvat");
    expect(mail.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co");
    expect(mail.html).toContain("Hello Ana &lt;b&gt;Horvat&lt;/b&gt;,");
    expect(mail.text).toContain('The action “<script>alert("x")</script> & co” was due by 1 November 2026');
    expect(mail.subject).toBe('Action overdue: <script>alert("x")</script> & co');
  });

  it("links only to the configured public address and carries RFC 8058 headers", () => {
    const mail = composeReminderMail({ ...base, name: "Ana", locale: "hr-HR" });
    expect(mail.text).toContain("https://plans.example.org/partnerships/1/plans/2");
    expect(mail.text).toContain("1. studenoga 2026.");
    expect(mail.headers).toEqual({
      "List-Unsubscribe": "<https://plans.example.org/unsubscribe?token=tok_abcdefghijklmnopqrstuvwxyz>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
    const links = [...mail.html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(links.every((l) => l?.startsWith("https://plans.example.org/"))).toBe(true);
  });

  it("has every message in every language, and falls back to British English", () => {
    expect(Object.keys(MAIL_MESSAGES["hr-HR"].messages)).toEqual(
      Object.keys(MAIL_MESSAGES["en-GB"].messages),
    );
    expect(mailLocale("de-DE")).toBe("en-GB");
    expect(
      renderMessage("hr-HR", "reminder.target.offTrack", { indicator: "NI 151", priority: "Poduzetništvo" })
        .subject,
    ).toBe("Cilj nije na putu ostvarenja: NI 151");
  });
});
