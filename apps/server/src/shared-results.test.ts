import { gunzipSync } from "node:zlib";
import {
  createCaller,
  createContextInner,
  hashPassword,
  resolveSession,
  SESSION_COOKIE,
} from "@fivestep/api";
import { DEMO_USERS, seedDemoAccounts, seedDemoPlan } from "@fivestep/db";
import { createTestDb, openAgain } from "@fivestep/db/testing";
import type { FastifyInstance } from "fastify";
import { afterAll, describe, expect, it } from "vitest";
import { buildServer } from "./server.ts";

// plan.overview is served from its cached JSON (shared-results.ts) rather than through tRPC's
// handler: the answer must be tRPC's, every refusal must be tRPC's, and two server instances on
// one database must see each other's sign-outs, membership changes and edits at once.

const PASSWORD = "correct horse battery staple 42";

describe("plan.overview served from its cached JSON", async () => {
  const db = await createTestDb({ demo: true, onDisk: true });
  const hash = await hashPassword(PASSWORD);
  await seedDemoAccounts(db, new Map(DEMO_USERS.map((u) => [u.email, hash])));
  const { planId } = await seedDemoPlan(db);
  const partnershipId = (
    await db
      .selectFrom("partnership")
      .select("id")
      .where("name", "=", "Coventry Partnership")
      .executeTakeFirstOrThrow()
  ).id;
  // Two instances of the server sharing the database, each with its own connections and caches.
  const other = openAgain(db);
  const a = await buildServer({ db, logLevel: false });
  const b = await buildServer({ db: other, logLevel: false });
  afterAll(async () => {
    await a.close();
    await b.close();
    await other.destroy();
    await db.destroy();
  });

  const signIn = async (app: FastifyInstance, email: string) => {
    const res = await app.inject({
      method: "POST",
      url: "/trpc/auth.signIn",
      payload: { email, password: PASSWORD },
    });
    const cookie = String(res.headers["set-cookie"] ?? "").match(/fivestep_session=[^;]+/)?.[0];
    if (res.statusCode !== 200 || !cookie) throw new Error(`sign-in failed: ${res.body}`);
    return cookie;
  };
  const overviewUrl = (input: unknown, batch = false) =>
    batch
      ? `/trpc/plan.overview?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: input }))}`
      : `/trpc/plan.overview?input=${encodeURIComponent(JSON.stringify(input))}`;
  const overview = (
    app: FastifyInstance,
    cookie: string | null,
    input: unknown = { partnershipId, planId },
  ) => app.inject({ method: "GET", url: overviewUrl(input), headers: cookie ? { cookie } : {} });
  type Answer = {
    result?: {
      data: { plan: { title: string }; priorities: Array<{ priority: { fields: { title: string } } }> };
    };
    error?: { message: string; data: { code: string; httpStatus: number; zodError: unknown } };
  };

  it("answers as tRPC does, for one call and for a batch of one", async () => {
    const cookie = await signIn(a, "viewer@coventry.example");
    const single = await overview(a, cookie);
    expect(single.statusCode).toBe(200);
    expect(single.headers["content-type"]).toMatch(/^application\/json/);
    expect(single.headers["cache-control"]).toBe("no-store");
    expect(single.headers["x-content-type-options"]).toBe("nosniff");
    expect(single.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const batchOfOne = await a.inject({
      method: "GET",
      url: overviewUrl({ partnershipId, planId }, true),
      headers: { cookie },
    });
    // A batch of two is answered by tRPC's own handler: the reference.
    const input = encodeURIComponent(
      JSON.stringify({ 0: { partnershipId, planId }, 1: { partnershipId, planId } }),
    );
    const byTrpc = await a.inject({
      method: "GET",
      url: `/trpc/plan.overview,plan.overview?batch=1&input=${input}`,
      headers: { cookie },
    });
    expect(byTrpc.statusCode).toBe(200);
    const reference = (byTrpc.json() as Answer[])[0];
    expect(reference?.result?.data.plan.title).toBeTruthy();
    expect(single.json()).toEqual(reference);
    expect(batchOfOne.json()).toEqual([reference]);
    // A browser accepts gzip: the same answer, compressed.
    const gzipped = await a.inject({
      method: "GET",
      url: overviewUrl({ partnershipId, planId }),
      headers: { cookie, "accept-encoding": "gzip, deflate, br" },
    });
    expect(gzipped.headers["content-encoding"]).toBe("gzip");
    expect(gzipped.headers.vary).toBe("accept-encoding");
    expect(JSON.parse(gunzipSync(gzipped.rawPayload).toString("utf8"))).toEqual(reference);
    const refused = await a.inject({
      method: "GET",
      url: overviewUrl({ partnershipId, planId }),
      headers: { cookie, "accept-encoding": "gzip;q=0, br" },
    });
    expect(refused.headers["content-encoding"]).toBeUndefined();
    expect(refused.json()).toEqual(reference);
    // A streaming client's request is tRPC's to answer, in its own format.
    const streamed = await a.inject({
      method: "GET",
      url: overviewUrl({ partnershipId, planId }, true),
      headers: { cookie, "trpc-accept": "application/jsonl" },
    });
    expect(streamed.statusCode).toBe(200);
    expect(streamed.body).not.toBe(JSON.stringify([reference]));
    expect(streamed.body).toContain(JSON.stringify(reference?.result?.data.plan.title));
  });

  it("refuses as tRPC does: signed out, not a member, bad input, no such plan", async () => {
    const signedOut = await overview(a, null);
    expect(signedOut.statusCode).toBe(401);
    expect((signedOut.json() as Answer).error?.data.code).toBe("UNAUTHORIZED");
    const wolverhampton = await signIn(a, "lead@wolverhampton.example");
    const outsider = await overview(a, wolverhampton);
    expect(outsider.statusCode).toBe(403);
    expect((outsider.json() as Answer).error?.message).toBe("You are not a member of this partnership.");
    const viewer = await signIn(a, "viewer@coventry.example");
    const bad = await overview(a, viewer, { partnershipId, planId: "four" });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as Answer).error?.data.zodError).toBeTruthy();
    const malformed = await a.inject({
      method: "GET",
      url: "/trpc/plan.overview?input=%7Bnot%20json",
      headers: { cookie: viewer },
    });
    expect(malformed.statusCode).toBe(400);
    const missing = await overview(a, viewer, { partnershipId, planId: planId + 1000 });
    expect(missing.statusCode).toBe(404);
    expect((missing.json() as Answer).error?.message).toBe("No such plan in this partnership");
  });

  it("an edit made through another instance shows at once", async () => {
    const cookie = await signIn(a, "editor@coventry.example");
    const before = (await overview(a, cookie)).json() as Answer;
    const firstTitle = before.result?.data.priorities[0]?.priority.fields.title;
    expect(firstTitle).toBeTruthy();
    // The other instance's router changes the first priority's title.
    const token = cookie.slice(`${SESSION_COOKIE}=`.length);
    const editor = createCaller(
      createContextInner({ db: other, session: await resolveSession(other, token) }),
    );
    const plan = await editor.plan.byId({ partnershipId, planId });
    const first = plan.priorities[0];
    if (!first) throw new Error("the demo plan has no priority");
    const { id, version, planId: _plan, position: _position, ...rest } = first;
    await editor.priority.update({
      ...rest.fields,
      partnershipId,
      priorityId: id,
      version,
      title: `${firstTitle} (renamed)`,
    });
    const after = (await overview(a, cookie)).json() as Answer;
    expect(after.result?.data.priorities[0]?.priority.fields.title).toBe(`${firstTitle} (renamed)`);
  });

  it("a sign-out on another instance ends the session at once", async () => {
    const cookie = await signIn(a, "lead@coventry.example");
    expect((await overview(a, cookie)).statusCode).toBe(200);
    const out = await b.inject({
      method: "POST",
      url: "/trpc/auth.signOut",
      payload: {},
      headers: { cookie },
    });
    expect(out.statusCode).toBe(200);
    const after = await overview(a, cookie);
    expect(after.statusCode).toBe(401);
  });

  it("a membership removed on another instance takes effect at once", async () => {
    const cookie = await signIn(a, "contributor@coventry.example");
    expect((await overview(a, cookie)).statusCode).toBe(200);
    const user = await other
      .selectFrom("app_user")
      .select("id")
      .where("email", "=", "contributor@coventry.example")
      .executeTakeFirstOrThrow();
    await other
      .deleteFrom("membership")
      .where("user_id", "=", user.id)
      .where("partnership_id", "=", partnershipId)
      .execute();
    const after = await overview(a, cookie);
    expect(after.statusCode).toBe(403);
  });
});
