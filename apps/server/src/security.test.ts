import { Writable } from "node:stream";
import { hashPassword, SESSION_COOKIE, startSession } from "@fivestep/api";
import { DEMO_USERS, findUserByEmail, seedDemoAccounts } from "@fivestep/db";
import { createTestDb } from "@fivestep/db/testing";
import { afterAll, describe, expect, it } from "vitest";
import { buildServer, MAX_BATCH_SIZE } from "./server.ts";

const PASSWORD = "correct horse battery staple 42";
const NEW_PASSWORD = "an entirely new secret phrase 77";

describe("security of the HTTP server", async () => {
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const db = await createTestDb({ demo: true });
  const hash = await hashPassword(PASSWORD);
  await seedDemoAccounts(db, new Map(DEMO_USERS.map((u) => [u.email, hash])));
  const app = await buildServer({ db, logLevel: "trace", logStream, maxUploadBytes: 4096 });
  afterAll(async () => {
    await app.close();
    await db.destroy();
  });
  const cookieOf = async (email: string) => {
    const user = await findUserByEmail(db, email);
    if (!user) throw new Error(`no ${email}`);
    return `${SESSION_COOKIE}=${await startSession(db, user.id, { ip: null, userAgent: null })}`;
  };

  const expectSecurityHeaders = (headers: Record<string, unknown>) => {
    const csp = String(headers["content-security-policy"]);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("same-origin");
    expect(headers["x-frame-options"]).toBe("DENY");
  };

  it("sends the security headers on pages, tRPC answers, errors and 404s", async () => {
    const answers = await Promise.all([
      app.inject("/healthz"),
      app.inject("/trpc/indicator.list"),
      app.inject("/trpc/no.such.procedure"),
      app.inject(`/trpc/observation.series?input=${encodeURIComponent("{broken")}`),
      app.inject("/missing.js"),
      app.inject({ method: "POST", url: "/api/imports", payload: "a,b\n1,2\n" }),
      app.inject({
        method: "POST",
        url: "/trpc/auth.signIn",
        headers: { "content-type": "application/json" },
        payload: "x".repeat(1024 * 1024 + 10),
      }),
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 404, 400, 404, 401, 413]);
    for (const a of answers) expectSecurityHeaders(a.headers);
    expect(answers[1]?.headers["cache-control"]).toBe("no-store");
  });

  it("refuses state-changing requests from another origin (403), accepts same-origin ones", async () => {
    const signIn = (headers: Record<string, string>) =>
      app.inject({
        method: "POST",
        url: "/trpc/auth.signIn",
        headers: { "content-type": "application/json", host: "fivestep.example", ...headers },
        payload: JSON.stringify({ email: "viewer@coventry.example", password: "wrong password here" }),
      });
    expect((await signIn({ origin: "https://evil.example" })).statusCode).toBe(403);
    expect((await signIn({ origin: "null" })).statusCode).toBe(403);
    expect((await signIn({ referer: "https://evil.example/page" })).statusCode).toBe(403);
    expect((await signIn({ "sec-fetch-site": "cross-site" })).statusCode).toBe(403);
    expect((await signIn({ origin: "http://fivestep.example.evil.example" })).statusCode).toBe(403);
    // Same origin, or no claim at all (curl, scripts): the procedure answers.
    expect((await signIn({ origin: "http://fivestep.example" })).statusCode).toBe(401);
    expect((await signIn({ referer: "https://fivestep.example/admin/" })).statusCode).toBe(401);
    expect((await signIn({})).statusCode).toBe(401);
    // The upload route too, and GETs are never refused.
    const upload = await app.inject({
      method: "POST",
      url: "/api/imports?name=a.csv",
      headers: { origin: "https://evil.example", cookie: await cookieOf("admin@fivestep.example") },
      payload: "a,b\n1,2\n",
    });
    expect(upload.statusCode).toBe(403);
    expect(
      (await app.inject({ url: "/trpc/indicator.list", headers: { origin: "https://evil.example" } }))
        .statusCode,
    ).toBe(200);
  });

  it("sets the session cookie HttpOnly and SameSite=Strict", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/trpc/auth.signIn",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ email: "editor@coventry.example", password: PASSWORD }),
    });
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers["set-cookie"]);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
  });

  it(`refuses tRPC batches of more than ${MAX_BATCH_SIZE} procedures`, async () => {
    const many = (n: number) => Array.from({ length: n }, () => "area.types").join(",");
    const input = (n: number) =>
      encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, null]))));
    expect((await app.inject(`/trpc/${many(3)}?batch=1&input=${input(3)}`)).statusCode).toBe(200);
    const res = await app.inject(
      `/trpc/${many(MAX_BATCH_SIZE + 1)}?batch=1&input=${input(MAX_BATCH_SIZE + 1)}`,
    );
    expect(res.statusCode).toBe(400);
  });

  it("checks uploads by their content, not their name", async () => {
    const admin = await cookieOf("admin@fivestep.example");
    const png = await app.inject({
      method: "POST",
      url: "/api/imports?name=data.csv",
      headers: { cookie: admin, "content-type": "text/csv" },
      payload: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
    });
    expect(png.statusCode).toBe(415);
    const csvNamedXlsx = await app.inject({
      method: "POST",
      url: "/api/imports?name=data.xlsx",
      headers: { cookie: admin, "content-type": "application/octet-stream" },
      payload: "area,period,value\nE08000026,2007 Q3,73.1\n",
    });
    // A text file named as a workbook is refused, saying what it is (the name is never trusted).
    expect(csvNamedXlsx.statusCode).toBe(415);
    expect(csvNamedXlsx.json().error).toMatch(/not an Excel workbook: it holds text/);
    const csvNamedCsv = await app.inject({
      method: "POST",
      url: "/api/imports?name=data.csv",
      headers: { cookie: admin, "content-type": "application/octet-stream" },
      payload: "area,period,value\nE08000026,2007 Q3,73.1\n",
    });
    expect(csvNamedCsv.statusCode).toBe(201);
    expect(csvNamedCsv.json()).toMatchObject({ format: "csv" });
    const big = await app.inject({
      method: "POST",
      url: "/api/imports?name=big.csv",
      headers: { cookie: admin, "content-type": "text/csv" },
      payload: "a,b\n".repeat(2000),
    });
    expect(big.statusCode).toBe(413);
  });

  it("never writes a password, cookie or session token to the log", async () => {
    logs.length = 0;
    const post = (path: string, input: unknown, cookie?: string) =>
      app.inject({
        method: "POST",
        url: `/trpc/${path}`,
        headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
        payload: JSON.stringify(input),
      });
    const signedIn = await post("auth.signIn", { email: "lead@coventry.example", password: PASSWORD });
    expect(signedIn.statusCode).toBe(200);
    const cookie = String(signedIn.headers["set-cookie"]).split(";")[0] ?? "";
    const token = cookie.split("=")[1] ?? "";
    expect(token.length).toBeGreaterThan(10);
    await post("auth.signIn", { email: "lead@coventry.example", password: `${PASSWORD}x` });
    await post("auth.changePassword", { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, cookie);
    await post("auth.acceptInvite", { token: "y".repeat(43), password: NEW_PASSWORD });
    await app.inject({ url: "/trpc/auth.me", headers: { cookie, authorization: `Bearer ${PASSWORD}` } });
    const text = logs.join("");
    expect(text.length).toBeGreaterThan(0);
    expect(text).toContain("incoming request");
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(NEW_PASSWORD);
    expect(text).not.toContain(token);
  });

  it("never writes an invitation (or any secret) token from a URL to the log, nor echoes it in a 404", async () => {
    logs.length = 0;
    const SECRET = "SECRETinviteTOKEN0123456789abcdefghijklmnop";
    const answers = await Promise.all([
      app.inject(`/accept-invite?token=${SECRET}`),
      app.inject(`/accept-invite?x=1&t=${SECRET}`),
      app.inject(`/anything?token=${SECRET}&x=1`),
      app.inject(`/anything?x=1&%74oken=${SECRET}`),
      app.inject(`/missing.js?token=${SECRET}`),
      app.inject(`/trpc/no.such.procedure?token=${SECRET}`),
      app.inject(`/api/reports/1/1.pdf?token=${SECRET}`),
      app.inject({
        method: "POST",
        url: `/trpc/auth.signIn?token=${SECRET}`,
        headers: { "content-type": "application/json", origin: "https://evil.example" },
        payload: "{}",
      }),
      app.inject({
        method: "POST",
        url: `/trpc/auth.signIn?token=${SECRET}`,
        headers: { "content-type": "application/json" },
        payload: "{broken",
      }),
    ]);
    expect(answers[4]?.statusCode).toBe(404);
    expect(answers[7]?.statusCode).toBe(403);
    const text = logs.join("");
    expect(text).toContain("incoming request");
    expect(text).toContain("cross-site request refused");
    expect(text).not.toContain(SECRET);
    expect(text).toContain("/anything?token=[redacted]&x=1");
    for (const a of answers) expect(a.body).not.toContain(SECRET);
  });
});
