import { Writable } from "node:stream";
import { hashUnsubscribeToken } from "@fivestep/api";
import {
  DEMO_USERS,
  findEmailPreferences,
  findUserByEmail,
  insertUnsubscribeToken,
  nowIso,
  saveEmailPreferences,
  seedDemoAccounts,
} from "@fivestep/db";
import { createTestDb } from "@fivestep/db/testing";
import { afterAll, describe, expect, it } from "vitest";
import { buildServer } from "./server.ts";

describe("one-click unsubscribe (RFC 8058)", async () => {
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const db = await createTestDb({ demo: true });
  await seedDemoAccounts(db, new Map(DEMO_USERS.map((u) => [u.email, "not a real hash"])));
  const app = await buildServer({ db, logLevel: "trace", logStream });
  afterAll(async () => {
    await app.close();
    await db.destroy();
  });
  const user = await findUserByEmail(db, "contributor@coventry.example");
  if (!user) throw new Error("no contributor");
  const tokenFor = async (
    category: "data_returns" | "actions" | "targets" | "weekly_digest",
    locale = "en-GB",
  ) => {
    const token = `${category}-${"x".repeat(10)}${Math.random().toString(36).slice(2)}`.replace(
      /[^\w-]/g,
      "_",
    );
    await insertUnsubscribeToken(db, {
      tokenHash: hashUnsubscribeToken(token),
      userId: user.id,
      category,
      at: nowIso(),
    });
    await db.updateTable("app_user").set({ locale }).where("id", "=", user.id).execute();
    return token;
  };
  const oneClick = (token: string, headers: Record<string, string> = {}) =>
    app.inject({
      method: "POST",
      url: `/unsubscribe?token=${token}`,
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      payload: "List-Unsubscribe=One-Click",
    });

  it("only shows a confirmation page when the link is opened (a mail scanner unsubscribes nobody)", async () => {
    const token = await tokenFor("data_returns");
    const page = await app.inject(`/unsubscribe?token=${token}`);
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toContain("text/html");
    expect(page.headers["cache-control"]).toBe("no-store");
    expect(page.headers["content-security-policy"]).toContain("form-action 'self'");
    expect(page.body).toContain("Stop emails about data returns?");
    expect(page.body).toContain(`<form method="post" action="/unsubscribe?token=${token}">`);
    expect(page.body).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(page.body).not.toMatch(/<script/i);
    const head = await app.inject({ method: "HEAD", url: `/unsubscribe?token=${token}` });
    expect(head.statusCode).toBe(200);
    expect(await findEmailPreferences(db, user.id)).toEqual({
      dataReturns: true,
      actions: true,
      targets: true,
      weeklyDigest: false,
    });
  });

  it("unsubscribes on the one-click POST from a mail provider, whatever its origin, and audits it", async () => {
    const token = await tokenFor("data_returns");
    const refused = await app.inject({ method: "POST", url: `/unsubscribe?token=${token}` });
    expect(refused.statusCode).toBe(400);
    expect(await findEmailPreferences(db, user.id)).toEqual({
      dataReturns: true,
      actions: true,
      targets: true,
      weeklyDigest: false,
    });

    const done = await oneClick(token, {
      origin: "https://mail.example.net",
      "sec-fetch-site": "cross-site",
    });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain("you will get no more emails about data returns");
    expect(await findEmailPreferences(db, user.id)).toEqual({
      dataReturns: false,
      actions: true,
      targets: true,
      weeklyDigest: false,
    });
    const entry = await db
      .selectFrom("audit_event")
      .selectAll()
      .where("action", "=", "unsubscribe")
      .executeTakeFirstOrThrow();
    expect([entry.entity, entry.entity_id, entry.actor_user_id]).toEqual([
      "email_preference",
      String(user.id),
      user.id,
    ]);
    // Again: harmless; the page now says it is already off.
    expect((await oneClick(token)).statusCode).toBe(200);
    expect((await app.inject(`/unsubscribe?token=${token}`)).body).toContain(
      "You already get no emails about data returns.",
    );
  });

  it("takes a multipart one-click body, and answers in the person's language", async () => {
    const token = await tokenFor("actions", "hr-HR");
    const boundary = "----x";
    const payload = `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`;
    const done = await app.inject({
      method: "POST",
      url: `/unsubscribe?token=${token}`,
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('lang="hr-HR"');
    expect(done.body).toContain("više nećete primati poruke o aktivnostima");
    expect((await findEmailPreferences(db, user.id)).actions).toBe(false);
  });

  it("refuses unknown tokens, and exempts only this POST from the origin check", async () => {
    expect((await app.inject("/unsubscribe?token=not-a-token-we-ever-sent")).statusCode).toBe(404);
    expect((await oneClick("not-a-token-we-ever-sent")).statusCode).toBe(404);
    const forged = await app.inject({
      method: "POST",
      url: "/trpc/auth.signOut",
      headers: { origin: "https://mail.example.net", "content-type": "application/json" },
      payload: "{}",
    });
    expect(forged.statusCode).toBe(403);
  });

  it("stops the weekly digest from its own link, in the reader's language", async () => {
    await saveEmailPreferences(
      db,
      user.id,
      { dataReturns: true, actions: true, targets: true, weeklyDigest: true },
      new Date().toISOString(),
    );
    const token = await tokenFor("weekly_digest", "hr-HR");
    const page = await app.inject(`/unsubscribe?token=${token}`);
    expect(page.body).toContain("Prestati slati poruke o tjednom pregledu?");
    const done = await oneClick(token);
    expect(done.statusCode).toBe(200);
    expect(await findEmailPreferences(db, user.id)).toEqual({
      dataReturns: true,
      actions: true,
      targets: true,
      weeklyDigest: false,
    });
  });

  it("never logs a token", async () => {
    const token = await tokenFor("targets");
    await app.inject(`/unsubscribe?token=${token}`);
    await oneClick(token);
    const all = logs.join("");
    expect(all).toContain("/unsubscribe?[redacted]");
    expect(all).not.toContain(token);
  });
});
