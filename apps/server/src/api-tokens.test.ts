import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { newTokenSecret, SESSION_COOKIE, startSession } from "@fivestep/api";
import {
  DEMO_USERS,
  findUserByEmail,
  insertApiToken,
  listAudit,
  nowIso,
  seedDemoAccounts,
} from "@fivestep/db";
import { createTestDb } from "@fivestep/db/testing";
import { afterAll, describe, expect, it } from "vitest";
import { buildServer } from "./server.ts";

// API tokens over real HTTP: a server listening on a loopback port, called with fetch and
// node:http as a machine would.

describe("API tokens over HTTP", async () => {
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const db = await createTestDb({ demo: true });
  await seedDemoAccounts(db, new Map(DEMO_USERS.map((u) => [u.email, "unused"])));
  const app = await buildServer({
    db,
    logLevel: "trace",
    logStream,
    // A small budget, so the limit is reached without waiting for a window to pass.
    tokenRateLimit: { max: 5, windowMs: 3_600_000 },
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  afterAll(async () => {
    await app.close();
    await db.destroy();
  });

  const userId = async (email: string) => {
    const user = await findUserByEmail(db, email);
    if (!user) throw new Error(`no ${email}`);
    return user.id;
  };
  const coventry = await db
    .selectFrom("partnership")
    .select("id")
    .where("name", "=", "Coventry Partnership")
    .executeTakeFirstOrThrow();

  /** A token as `tokens.create` stores it; returns its secret and id. */
  const token = async (o: {
    by: string;
    name: string;
    scopes: string[];
    partnershipId: number | null;
    expiresAt?: string;
  }) => {
    const { secret, hash, prefix } = newTokenSecret();
    const row = await insertApiToken(db, {
      name: o.name,
      prefix,
      hash,
      scopes_json: JSON.stringify(o.scopes),
      sources_json: "[]",
      partnership_id: o.partnershipId,
      created_by: await userId(o.by),
      created_at: nowIso(),
      expires_at: o.expiresAt ?? new Date(Date.now() + 86_400_000).toISOString(),
      last_used_at: null,
      revoked_at: null,
      revoked_by: null,
    });
    return { secret, id: row.id };
  };
  const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
  const planList = `/trpc/plan.list?input=${encodeURIComponent(JSON.stringify({ partnershipId: coventry.id }))}`;

  it("a valid token reads what its scope admits, and nothing else", async () => {
    const { secret } = await token({
      by: "lead@coventry.example",
      name: "Coventry dashboard",
      scopes: ["reports:read"],
      partnershipId: coventry.id,
    });
    const ok = await fetch(`${base}${planList}`, { headers: bearer(secret) });
    expect(ok.status).toBe(200);
    const outside = await fetch(`${base}/trpc/indicator.list`, { headers: bearer(secret) });
    expect(outside.status).toBe(403);
  });

  it("answers 401 with WWW-Authenticate for a wrong, malformed, expired or revoked token", async () => {
    const expired = await token({
      by: "admin@fivestep.example",
      name: "Old export",
      scopes: ["plans:read"],
      partnershipId: null,
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    });
    const revoked = await token({
      by: "admin@fivestep.example",
      name: "Revoked",
      scopes: ["plans:read"],
      partnershipId: null,
    });
    await db.updateTable("api_token").set({ revoked_at: nowIso() }).where("id", "=", revoked.id).execute();
    for (const authorization of [
      `Bearer ${newTokenSecret().secret}`,
      `Bearer ${expired.secret}`,
      `Bearer ${revoked.secret}`,
      "Bearer",
      "Basic YWRtaW46YWRtaW4=",
      `Bearer ${"fst_"}${"x".repeat(43)}`,
    ]) {
      const res = await fetch(`${base}${planList}`, { headers: { authorization } });
      expect(res.status, authorization).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm="fivestep"/);
    }
  });

  it("stops working when its creator loses the role", async () => {
    const lead = await userId("lead@coventry.example");
    const { secret } = await token({
      by: "lead@coventry.example",
      name: "Coventry plans",
      scopes: ["plans:read"],
      partnershipId: coventry.id,
    });
    expect((await fetch(`${base}${planList}`, { headers: bearer(secret) })).status).toBe(200);
    await db
      .updateTable("membership")
      .set({ role: "editor" })
      .where("user_id", "=", lead)
      .where("partnership_id", "=", coventry.id)
      .execute();
    try {
      const res = await fetch(`${base}${planList}`, { headers: bearer(secret) });
      expect(res.status).toBe(401);
    } finally {
      await db
        .updateTable("membership")
        .set({ role: "lead" })
        .where("user_id", "=", lead)
        .where("partnership_id", "=", coventry.id)
        .execute();
    }
  });

  it("answers 401 before reading the body: a huge or broken body makes no difference", async () => {
    // The body is announced as 50 MB (past every limit) and only its first bytes are sent: the
    // answer arrives while the rest is still unsent, so the server cannot have read it.
    const answer = await new Promise<{ status: number; challenge: string | undefined }>((resolve, reject) => {
      const req = request(
        `${base}/trpc/tokens.create`,
        {
          method: "POST",
          headers: {
            authorization: `Bearer ${newTokenSecret().secret}`,
            "content-type": "application/json",
            "content-length": String(50 * 1024 * 1024),
          },
        },
        (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, challenge: res.headers["www-authenticate"] });
          req.destroy();
        },
      );
      req.on("error", (e) => {
        if ((e as NodeJS.ErrnoException).code !== "ECONNRESET") reject(e);
      });
      req.write("{ this is not JSON");
    });
    expect(answer).toEqual({ status: 401, challenge: expect.stringMatching(/^Bearer/) });
    const broken = await fetch(`${base}/trpc/plan.create`, {
      method: "POST",
      headers: { ...bearer(newTokenSecret().secret), "content-type": "application/json" },
      body: "{ broken",
    });
    expect(broken.status).toBe(401);
  });

  it("refuses a request carrying both a session cookie and a bearer token", async () => {
    const { secret } = await token({
      by: "lead@coventry.example",
      name: "Both",
      scopes: ["plans:read"],
      partnershipId: coventry.id,
    });
    const session = await startSession(db, await userId("lead@coventry.example"), {
      ip: null,
      userAgent: null,
    });
    const res = await fetch(`${base}${planList}`, {
      headers: { ...bearer(secret), cookie: `${SESSION_COOKIE}=${session}` },
    });
    expect(res.status).toBe(400);
    // With the cookie alone, the browser's session works as before.
    const cookieOnly = await fetch(`${base}${planList}`, {
      headers: { cookie: `${SESSION_COOKIE}=${session}` },
    });
    expect(cookieOnly.status).toBe(200);
  });

  it("a bearer request needs no Origin check; a cookie request from another site is still refused", async () => {
    const admin = await userId("admin@fivestep.example");
    const { secret } = await token({
      by: "lead@coventry.example",
      name: "Returns robot",
      scopes: ["observations:write"],
      partnershipId: coventry.id,
    });
    const viaToken = await fetch(
      `${base}/trpc/monitoring.returns?input=${encodeURIComponent(JSON.stringify({ partnershipId: coventry.id }))}`,
      {
        headers: { ...bearer(secret), origin: "https://elsewhere.example" },
      },
    );
    expect(viaToken.status).toBe(200);
    const session = await startSession(db, admin, { ip: null, userAgent: null });
    const viaCookie = await fetch(`${base}/trpc/auth.signOut`, {
      method: "POST",
      headers: { cookie: `${SESSION_COOKIE}=${session}`, origin: "https://elsewhere.example" },
    });
    expect(viaCookie.status).toBe(403);
  });

  it("audits a token's change under its name and its creator's", async () => {
    const { secret, id } = await token({
      by: "admin@fivestep.example",
      name: "Warehouse nightly",
      scopes: ["import:write"],
      partnershipId: null,
    });
    const res = await fetch(`${base}/api/imports?name=aps.csv`, {
      method: "POST",
      headers: { ...bearer(secret), "content-type": "text/csv" },
      body: "code,when,value\nE08000026,2007 Q3,73.1\n",
    });
    expect(res.status).toBe(201);
    const [entry] = await listAudit(db, { entity: "import_file", limit: 1 });
    expect(entry).toMatchObject({
      actorTokenId: id,
      actorTokenName: "Warehouse nightly",
      actorName: DEMO_USERS.find((u) => u.email === "admin@fivestep.example")?.displayName,
      actorUserId: await userId("admin@fivestep.example"),
    });
  });

  it("rate-limits each token on its own: 429 with Retry-After past the budget", async () => {
    const a = await token({
      by: "lead@coventry.example",
      name: "Busy",
      scopes: ["plans:read"],
      partnershipId: coventry.id,
    });
    const b = await token({
      by: "lead@coventry.example",
      name: "Quiet",
      scopes: ["plans:read"],
      partnershipId: coventry.id,
    });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${base}${planList}`, { headers: bearer(a.secret) });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get("retry-after");
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // Another token has a budget of its own.
    expect((await fetch(`${base}${planList}`, { headers: bearer(b.secret) })).status).toBe(200);
  });

  it("records the last use, at most once a minute", async () => {
    const { secret, id } = await token({
      by: "lead@coventry.example",
      name: "Touch",
      scopes: ["plans:read"],
      partnershipId: coventry.id,
    });
    const lastUsed = async () =>
      (await db.selectFrom("api_token").select("last_used_at").where("id", "=", id).executeTakeFirstOrThrow())
        .last_used_at;
    expect(await lastUsed()).toBeNull();
    await fetch(`${base}${planList}`, { headers: bearer(secret) });
    const first = await lastUsed();
    expect(first).not.toBeNull();
    await fetch(`${base}${planList}`, { headers: bearer(secret) });
    expect(await lastUsed()).toBe(first);
  });

  it("never writes a token to the log", async () => {
    const { secret } = await token({
      by: "lead@coventry.example",
      name: "Leaky",
      scopes: ["plans:read"],
      partnershipId: coventry.id,
    });
    await fetch(`${base}${planList}`, { headers: bearer(secret) });
    await fetch(`${base}/trpc/indicator.list?input=${encodeURIComponent(JSON.stringify({ key: secret }))}`, {
      headers: bearer(secret),
    });
    await fetch(`${base}/no-such-page/${secret}`, { headers: bearer(`${secret}x`) });
    await fetch(`${base}${planList}`, { headers: { ...bearer(secret), cookie: "a=b" } });
    const secretPart = secret.slice(4);
    const all = logs.join("");
    // Each use is logged under the token's name instead.
    expect(all).toMatch(/"apiToken":\{"id":\d+,"name":"Leaky"\}.*"msg":"API token used"/);
    expect(all.length).toBeGreaterThan(0);
    expect(all).toContain("[redacted]");
    expect(all).not.toContain(secretPart);
  });
});
