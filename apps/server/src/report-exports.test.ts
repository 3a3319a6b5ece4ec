import { SESSION_COOKIE, startSession } from "@fivestep/api";
import { findUserByEmail } from "@fivestep/db";
import { createTestDb } from "@fivestep/db/testing";
import { afterAll, describe, expect, it } from "vitest";
import { seedDemoWithAccounts } from "./accounts.ts";
import { pruneAuthData } from "./housekeeping.ts";
import { buildServer } from "./server.ts";

describe("report exports as jobs, over HTTP", async () => {
  const db = await createTestDb();
  await seedDemoWithAccounts(db);
  const app = await buildServer({ db, logLevel: false });
  afterAll(async () => {
    await app.close();
    await db.destroy();
  });
  const cookieOf = async (email: string) => {
    const user = await findUserByEmail(db, email);
    if (!user) throw new Error(`no ${email}`);
    return `${SESSION_COOKIE}=${await startSession(db, user.id, { ip: null, userAgent: null })}`;
  };
  const viewer = await cookieOf("viewer@coventry.example");
  const plan = await db
    .selectFrom("plan")
    .innerJoin("partnership", "partnership.id", "plan.partnership_id")
    .select(["plan.id as planId", "plan.partnership_id as partnershipId"])
    .where("partnership.name", "=", "Coventry Partnership")
    .orderBy("plan.id")
    .executeTakeFirstOrThrow();
  const trpc = async (cookie: string, path: string, input: unknown, method: "GET" | "POST") => {
    const res = await app.inject({
      method,
      url:
        method === "GET"
          ? `/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`
          : `/trpc/${path}`,
      headers: { "content-type": "application/json", cookie },
      ...(method === "POST" ? { payload: JSON.stringify(input) } : {}),
    });
    return res.json() as { result?: { data: Record<string, unknown> }; error?: unknown };
  };

  it("starts an export, shows it finished, and hands its file only to those who may see the plan", async () => {
    const started = await trpc(
      viewer,
      "monitoring.startExport",
      { ...plan, pack: "board", format: "csv", lang: "en-GB" },
      "POST",
    );
    const jobId = Number(started.result?.data.jobId);
    expect(jobId).toBeGreaterThan(0);
    // Wait for the runner the way a page does: ask again until the job has finished.
    let job: Record<string, unknown> | undefined;
    for (let i = 0; i < 200; i++) {
      job = (await trpc(viewer, "jobs.get", { jobId }, "GET")).result?.data;
      if (job?.state !== "queued" && job?.state !== "running") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(job).toMatchObject({ state: "succeeded", kind: "report.export" });
    const url = `/api/report-exports/${jobId}`;
    const mine = await app.inject({ url, headers: { cookie: viewer } });
    expect(mine.statusCode).toBe(200);
    expect(mine.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(mine.headers["content-disposition"]).toContain("-board.csv");
    expect(mine.body.split("\r\n")[0]).toBe("\uFEFFExceptions");
    const direct = await app.inject({
      url: `/api/reports/${plan.partnershipId}/${plan.planId}.csv?pack=board&lang=en-GB`,
      headers: { cookie: viewer },
    });
    expect(mine.body).toBe(direct.body);
    // Another partnership's lead, and nobody signed in, get nothing.
    const other = await app.inject({
      url,
      headers: { cookie: await cookieOf("lead@wolverhampton.example") },
    });
    expect(other.statusCode).toBe(404);
    expect((await app.inject({ url })).statusCode).toBe(401);
    expect(
      (await app.inject({ url: "/api/report-exports/99999", headers: { cookie: viewer } })).statusCode,
    ).toBe(404);
    // Past its expiry the file answers 410, and housekeeping deletes it.
    await db.updateTable("report_export").set({ expires_at: "2000-01-01T00:00:00.000Z" }).execute();
    expect((await app.inject({ url, headers: { cookie: viewer } })).statusCode).toBe(410);
    await pruneAuthData(db);
    expect((await app.inject({ url, headers: { cookie: viewer } })).statusCode).toBe(404);
  });
});
