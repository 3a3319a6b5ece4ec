import {
  describeUnsubscribe,
  escapeHtml,
  type MailLocale,
  type UnsubscribeTarget,
  unsubscribe,
} from "@fivestep/api";
import type { Database } from "@fivestep/db";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { Kysely } from "kysely";

/** Where an email's unsubscribe link leads. @example UNSUBSCRIBE_PATH // "/unsubscribe" */
export const UNSUBSCRIBE_PATH = "/unsubscribe";

const WORDS: Record<
  MailLocale,
  {
    title: string;
    ask: string;
    button: string;
    done: string;
    already: string;
    invalid: string;
    account: string;
    categories: Record<UnsubscribeTarget["category"], string>;
  }
> = {
  "en-GB": {
    title: "Unsubscribe",
    ask: "Stop emails about {category}? You will still see them in Fivestep.",
    button: "Stop these emails",
    done: "Done: you will get no more emails about {category}.",
    already: "You already get no emails about {category}.",
    invalid: "This unsubscribe link is not valid. You can choose your emails on your account page.",
    account: "Choose which emails you receive on your account page",
    categories: {
      data_returns: "data returns",
      actions: "actions",
      targets: "targets",
      reports: "this scheduled performance report",
      weekly_digest: "the weekly digest",
    },
  },
  "hr-HR": {
    title: "Odjava",
    ask: "Prestati slati poruke o {category}? I dalje ćete ih vidjeti u Fivestepu.",
    button: "Ne šalji mi više ove poruke",
    done: "Gotovo: više nećete primati poruke o {category}.",
    already: "Već ne primate poruke o {category}.",
    invalid: "Ova poveznica za odjavu nije valjana. Poruke možete odabrati na stranici svog računa.",
    account: "Koje poruke primate birate na stranici svog računa",
    categories: {
      data_returns: "podacima za dostavu",
      actions: "aktivnostima",
      targets: "ciljevima",
      reports: "ovom izvješću o uspješnosti po rasporedu",
      weekly_digest: "tjednom pregledu",
    },
  },
};

/** A small page of its own (no script; the server's CSP applies), in the reader's language. */
function page(locale: MailLocale, body: string): string {
  const w = WORDS[locale];
  return [
    "<!doctype html>",
    `<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${escapeHtml(w.title)} – Fivestep</title></head>`,
    '<body style="font-family: Arial, sans-serif; max-width: 36rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5">',
    `<main><h1>${escapeHtml(w.title)}</h1>${body}`,
    `<p><a href="/account">${escapeHtml(w.account)}</a></p></main></body></html>`,
  ].join("\n");
}

const said = (template: string, target: UnsubscribeTarget) =>
  escapeHtml(template.replace("{category}", WORDS[target.locale].categories[target.category]));

function send(reply: FastifyReply, status: number, html: string) {
  // The page's address holds the token: never cached, never passed on as a referrer.
  return reply.code(status).header("cache-control", "no-store").type("text/html; charset=utf-8").send(html);
}

/** Whether a POST body is RFC 8058's one-click request (`List-Unsubscribe=One-Click`), form- or multipart-encoded. */
function isOneClick(body: unknown): boolean {
  if (typeof body !== "string") return false;
  if (new URLSearchParams(body).get("List-Unsubscribe") === "One-Click") return true;
  return /name="?List-Unsubscribe"?\r?\n(?:[^\r\n]+\r?\n)*\r?\nOne-Click\r?\n/.test(body);
}

/**
 * The unsubscribe link of reminder emails. `GET /unsubscribe?token=…` only shows a confirmation
 * page with a button (so a mail scanner that opens links unsubscribes nobody); `POST` with the
 * body `List-Unsubscribe=One-Click` (RFC 8058, sent by the mail provider or by that button)
 * turns that kind of email off. The token is the only authority: no session or cookie is read,
 * which is why this one POST is exempt from the server's origin check (see `server.ts`).
 *
 * @example registerUnsubscribeRoutes(app, db);
 */
export async function registerUnsubscribeRoutes(app: FastifyInstance, db: Kysely<Database>): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      ["application/x-www-form-urlencoded", "multipart/form-data"],
      { parseAs: "string", bodyLimit: 4096 },
      (_req, body, done) => done(null, body),
    );
    scope.get(UNSUBSCRIBE_PATH, async (req, reply) => {
      const token = String((req.query as { token?: unknown }).token ?? "");
      const target = await describeUnsubscribe(db, token);
      if (!target) return send(reply, 404, page("en-GB", `<p>${escapeHtml(WORDS["en-GB"].invalid)}</p>`));
      const w = WORDS[target.locale];
      if (target.alreadyOff)
        return send(reply, 200, page(target.locale, `<p>${said(w.already, target)}</p>`));
      const action = `${UNSUBSCRIBE_PATH}?token=${encodeURIComponent(token)}`;
      return send(
        reply,
        200,
        page(
          target.locale,
          [
            `<p>${said(w.ask, target)}</p>`,
            `<form method="post" action="${escapeHtml(action)}">`,
            '<input type="hidden" name="List-Unsubscribe" value="One-Click">',
            `<button type="submit">${escapeHtml(w.button)}</button>`,
            "</form>",
          ].join("\n"),
        ),
      );
    });
    scope.post(UNSUBSCRIBE_PATH, async (req, reply) => {
      const token = String((req.query as { token?: unknown }).token ?? "");
      if (!isOneClick(req.body)) {
        return reply.code(400).send({ error: "Send List-Unsubscribe=One-Click to unsubscribe" });
      }
      const target = await unsubscribe(db, token, { requestId: req.id });
      if (!target) return send(reply, 404, page("en-GB", `<p>${escapeHtml(WORDS["en-GB"].invalid)}</p>`));
      req.log.info({ category: target.category }, "unsubscribed by one-click link");
      return send(
        reply,
        200,
        page(target.locale, `<p role="status">${said(WORDS[target.locale].done, target)}</p>`),
      );
    });
  });
}
