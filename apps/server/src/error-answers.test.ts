import { Writable } from "node:stream";
import { SESSION_COOKIE, startSession } from "@fivestep/api";
import { DEMO_USERS, findUserByEmail, seedDemoAccounts } from "@fivestep/db";
import { createTestDb } from "@fivestep/db/testing";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { buildServer } from "./server.ts";

// Error answers carry the code, a message, field errors and (on CONFLICT) the current record;
// never a stack trace or a server path, whatever NODE_ENV says. A failure that is the server's
// fault answers with a reference to the log line that has the detail.

describe("error answers", async () => {
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const db = await createTestDb({ demo: true });
  const app = await buildServer({ db, logLevel: "info", logStream });
  afterAll(async () => {
    await app.close();
    await db.destroy();
  });

  const leaks = (body: string) => {
    expect(body).not.toContain('"stack"');
    expect(body).not.toContain(process.cwd());
    expect(body).not.toMatch(/\/(work|home|usr|tmp)\/|node_modules|\.ts:\d+/);
  };

  it("sends no stack or path to an anonymous caller", async () => {
    for (const url of [
      "/trpc/user.list",
      `/trpc/observation.series?input=${encodeURIComponent("{broken")}`,
      "/trpc/no.such.procedure",
      `/trpc/plan.list?input=${encodeURIComponent(JSON.stringify({ partnershipId: "x" }))}`,
    ]) {
      const res = await app.inject(url);
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      leaks(res.body);
    }
    const res = await app.inject("/trpc/user.list");
    expect(res.json()).toMatchObject({
      error: { message: "Sign in to continue", data: { code: "UNAUTHORIZED" } },
    });
  });

  it("keeps field errors for forms", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/trpc/auth.signIn",
      payload: { email: "not an email", password: "" },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.data.zodError.fieldErrors).toHaveProperty("email");
    leaks(res.body);
  });

  it("says only 'Something went wrong' with the request id when the server fails, and logs the detail", async () => {
    // Break the catalogue table under the running server.
    await sql`alter table indicator rename to indicator_gone`.execute(db);
    try {
      const res = await app.inject({ url: "/trpc/indicator.list", headers: { "x-request-id": "ref-4242" } });
      expect(res.statusCode).toBe(500);
      expect(res.json().error.message).toBe("Something went wrong (reference ref-4242)");
      leaks(res.body);
      expect(res.body).not.toMatch(/no such table|SQLITE/i);
      const logged = logs.filter((l) => l.includes("ref-4242")).join("\n");
      expect(logged).toMatch(/no such table: indicator/);
    } finally {
      await sql`alter table indicator_gone rename to indicator`.execute(db);
    }
  });

  it("answers a failed report export the same way", async () => {
    await sql`alter table plan rename to plan_gone`.execute(db);
    try {
      await seedDemoAccounts(db, new Map(DEMO_USERS.map((u) => [u.email, "not a real hash"])));
      const lead = await findUserByEmail(db, "lead@coventry.example");
      if (!lead) throw new Error("no lead");
      const cookie = `${SESSION_COOKIE}=${await startSession(db, lead.id, { ip: null, userAgent: null })}`;
      const membership = await db
        .selectFrom("membership")
        .select("partnership_id")
        .where("user_id", "=", lead.id)
        .executeTakeFirstOrThrow();
      const res = await app.inject({
        url: `/api/reports/${membership.partnership_id}/1.csv`,
        headers: { cookie, "x-request-id": "ref-report-1" },
      });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({ error: "Something went wrong (reference ref-report-1)" });
    } finally {
      await sql`alter table plan_gone rename to plan`.execute(db);
    }
  });
});
