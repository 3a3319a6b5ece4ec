import { hashPassword } from "@fivestep/api";
import { DEMO_USERS, seedDemoAccounts } from "@fivestep/db";
import { createTestDb } from "@fivestep/db/testing";
import type { FastifyInstance } from "fastify";
import { afterAll, describe, expect, it } from "vitest";
import { trustProxySetting } from "./config.ts";
import { buildServer } from "./server.ts";

// Sign-in over HTTP as an attacker tried it: a tRPC batch of 13 attempts, a forged
// X-Forwarded-For to rotate the address, and what the refusals say.

const PASSWORD = "correct horse battery staple 42";
const EMAIL = "viewer@coventry.example";

async function serverWith(trustProxy: ReturnType<typeof trustProxySetting>) {
  const db = await createTestDb({ demo: true });
  const hash = await hashPassword(PASSWORD);
  await seedDemoAccounts(db, new Map(DEMO_USERS.map((u) => [u.email, hash])));
  const app = await buildServer({ db, logLevel: false, trustProxy });
  return { app, db };
}

const signInBody = (password: string) => ({ email: EMAIL, password });

describe("sign-in over HTTP", async () => {
  const { app, db } = await serverWith(false);
  const servers: FastifyInstance[] = [app];
  afterAll(async () => {
    for (const s of servers) await s.close();
    await db.destroy();
  });

  it("a batch of 12 wrong passwords and the right one starts no session", async () => {
    const entries = [...Array.from({ length: 12 }, (_, i) => signInBody(`guess ${i}`)), signInBody(PASSWORD)];
    const res = await app.inject({
      method: "POST",
      url: `/trpc/${entries.map(() => "auth.signIn").join(",")}?batch=1`,
      payload: Object.fromEntries(entries.map((e, i) => [String(i), e])),
      remoteAddress: "10.20.0.1",
    });
    const answers = res.json() as Array<{ error?: { data: { code: string } }; result?: unknown }>;
    expect(answers).toHaveLength(13);
    expect(answers.filter((a) => a.result)).toHaveLength(0);
    expect(answers.at(-1)?.error?.data.code).toBe("TOO_MANY_REQUESTS");
    expect(answers.filter((a) => a.error?.data.code === "UNAUTHORIZED")).toHaveLength(5);
    expect(String(res.headers["set-cookie"] ?? "")).not.toContain("fivestep_session=");
    // The refusal says how long to wait, in the header and in the answer's data.
    expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
    expect(answers.at(-1)?.error?.data).toMatchObject({
      retryAfterSeconds: Number(res.headers["retry-after"]),
    });
  });

  it("13 parallel requests get no further than the limit", async () => {
    const results = await Promise.all(
      Array.from({ length: 13 }, (_, i) =>
        app.inject({
          method: "POST",
          url: "/trpc/auth.signIn",
          payload: i === 12 ? signInBody(PASSWORD) : signInBody(`guess ${i}`),
          remoteAddress: "10.20.0.2",
        }),
      ),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(0);
    expect(codes.filter((c) => c === 401)).toHaveLength(5);
    expect(codes.filter((c) => c === 429)).toHaveLength(8);
    for (const r of results.filter((x) => x.statusCode === 429))
      expect(r.headers["retry-after"]).toMatch(/^\d+$/);
  });

  it("sets a long-lived HttpOnly device cookie on sign-in", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/trpc/auth.signIn",
      payload: { email: "editor@coventry.example", password: PASSWORD },
      remoteAddress: "10.20.0.3",
    });
    expect(res.statusCode).toBe(200);
    const device = res.cookies.find((c) => c.name === "fivestep_device");
    expect(device).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/" });
    expect(device?.maxAge).toBeGreaterThan(300 * 24 * 3600);
  });
});

describe("TRUST_PROXY", () => {
  it("reads a hop count or the proxies' addresses, and refuses to trust every hop", () => {
    expect(trustProxySetting({})).toBe(false);
    expect(trustProxySetting({ TRUST_PROXY: "" })).toBe(false);
    expect(trustProxySetting({ TRUST_PROXY: "0" })).toBe(false);
    expect(trustProxySetting({ TRUST_PROXY: "1" })).toBe(1);
    expect(trustProxySetting({ TRUST_PROXY: "2" })).toBe(2);
    expect(trustProxySetting({ TRUST_PROXY: "10.0.0.5, 10.1.0.0/16,::1" })).toEqual([
      "10.0.0.5",
      "10.1.0.0/16",
      "::1",
    ]);
    expect(() => trustProxySetting({ TRUST_PROXY: "true" })).toThrow(/hop count|address/);
    expect(() => trustProxySetting({ TRUST_PROXY: "proxy.example" })).toThrow(/TRUST_PROXY/);
    expect(() => trustProxySetting({ TRUST_PROXY: "10.0.0.0/99" })).toThrow(/TRUST_PROXY/);
  });

  it("with one trusted hop, a client cannot rotate its address through X-Forwarded-For", async () => {
    const { app, db } = await serverWith(trustProxySetting({ TRUST_PROXY: "1" }));
    try {
      const codes: number[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await app.inject({
          method: "POST",
          url: "/trpc/auth.signIn",
          payload: signInBody(`guess ${i}`),
          // The client forges a first address; the proxy appends the one it saw.
          headers: { "x-forwarded-for": `203.0.113.${i}, 198.51.100.7` },
          remoteAddress: "10.0.0.5",
        });
        codes.push(res.statusCode);
      }
      expect(codes).toEqual([401, 401, 401, 401, 401, 429, 429]);
    } finally {
      await app.close();
      await db.destroy();
    }
  });

  it("with the proxy's address, X-Forwarded-For from anyone else is ignored", async () => {
    const { app, db } = await serverWith(trustProxySetting({ TRUST_PROXY: "10.0.0.5" }));
    try {
      const codes: number[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await app.inject({
          method: "POST",
          url: "/trpc/auth.signIn",
          payload: signInBody(`guess ${i}`),
          headers: { "x-forwarded-for": `203.0.113.${i}` },
          remoteAddress: "192.0.2.9",
        });
        codes.push(res.statusCode);
      }
      expect(codes.at(-1)).toBe(429);
    } finally {
      await app.close();
      await db.destroy();
    }
  });
});
