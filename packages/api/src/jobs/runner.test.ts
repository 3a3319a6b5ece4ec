import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createDb,
  type Database,
  findJob,
  insertJob,
  markJobRunning,
  migrateToLatest,
  nowIso,
  requestJobCancel,
} from "@fivestep/db";
import { createTestDb, testEngine, testPostgresUrl } from "@fivestep/db/testing";
import { type Kysely, sql } from "kysely";
import PgBoss from "pg-boss";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineJobKind, jobKinds } from "./kinds.ts";
import { createPgBossJobRunner } from "./pg-boss-runner.ts";
import { createInProcessJobRunner, INTERRUPTED_BY_RESTART, type JobRunner } from "./runner.ts";

/** A promise the test opens by hand. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

let reached = gate();
let release = gate();

// Works inside a transaction of its own: writes a row, says how far it got, and waits.
const gated = defineJobKind({
  name: "test.gated",
  payload: z.object({ rows: z.int().min(1) }),
  partnershipOf: () => null,
  async run(ctx, payload) {
    await ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto("area_type").values({ name: "Job test", rank: 99, lookup_prefix: null }).execute();
      ctx.progress({ done: 1, total: payload.rows, message: "test.halfway" });
      reached.open();
      await release.opened;
      await ctx.checkpoint();
    });
    ctx.progress({ done: payload.rows, total: payload.rows, message: "test.done" });
    return { rows: payload.rows, by: ctx.actor.session?.user.id ?? null };
  },
});
const broken = defineJobKind({
  name: "test.broken",
  payload: z.object({}),
  partnershipOf: () => null,
  async run() {
    throw new Error("The file is broken");
  },
});
const kinds = jobKinds([gated, broken]);

const postgres = testEngine() === "postgres";
let db: Kysely<Database>;
let runners: JobRunner[] = [];

/** The test database's own URL (PostgreSQL): pg-boss and the progress pool connect with it. */
async function urlOf(d: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(d);
  const url = new URL(testPostgresUrl());
  url.pathname = `/${rows[0]?.name}`;
  return url.toString();
}

/** The engine's runner: in-process on SQLite, pg-boss on PostgreSQL (quick to retry a dead runner's job). */
async function runner(instance: string): Promise<JobRunner> {
  const r = postgres
    ? createPgBossJobRunner({
        db,
        url: await urlOf(db),
        kinds,
        instance,
        expireInSeconds: 1,
        maintenanceIntervalSeconds: 1,
        pollingIntervalSeconds: 1,
        progressEveryMs: 0,
      })
    : createInProcessJobRunner({ db, kinds, instance });
  runners.push(r);
  await r.start();
  return r;
}

/** Waits until the job's row says it has finished (the work is started elsewhere). */
async function finished(id: number) {
  for (;;) {
    const job = await findJob(db, id);
    if (job && ["succeeded", "failed", "cancelled"].includes(job.state)) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeEach(async () => {
  db = await createTestDb();
  reached = gate();
  release = gate();
});
afterEach(async () => {
  release.open();
  for (const r of runners) await r.stop();
  runners = [];
  await db.destroy();
});

describe("in-process runner on a SQLite file", () => {
  it("runs the work on a connection of its own: while its transaction writes, requests read the job and its progress", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fivestep-jobs-"));
    const file = join(dir, "fivestep.db");
    const main = createDb(file);
    try {
      await migrateToLatest(main);
      const jobs = createInProcessJobRunner({ db: main, kinds, instance: "web-1", workUrl: file });
      runners.push(jobs);
      await jobs.start();
      const id = await jobs.enqueue({ kind: "test.gated", payload: { rows: 8 }, startedBy: null });
      await reached.opened;
      // The request's connection is free: the row says running (written at the start), the
      // progress is in memory, and the job's uncommitted row is not seen.
      expect(await findJob(main, id)).toMatchObject({ state: "running", progress: { done: 0 } });
      expect(jobs.liveProgress(id)).toEqual({ done: 1, total: 8, message: "test.halfway" });
      expect(
        await main.selectFrom("area_type").select("id").where("name", "=", "Job test").execute(),
      ).toEqual([]);
      release.open();
      await jobs.idle();
      expect(await findJob(main, id)).toMatchObject({ state: "succeeded", progress: { done: 8, total: 8 } });
      await jobs.stop();
    } finally {
      await main.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe(`job runner (${postgres ? "pg-boss on PostgreSQL" : "in-process on SQLite"})`, () => {
  it("runs a job to success; progress is seen while its transaction runs, the row keeps the result", async () => {
    const jobs = await runner("web-1");
    const id = await jobs.enqueue({ kind: "test.gated", payload: { rows: 40 }, startedBy: null });
    await reached.opened;
    expect(jobs.liveProgress(id)).toEqual({ done: 1, total: 40, message: "test.halfway" });
    if (postgres) {
      // Another instance, on connections of its own, sees the progress move while the job's
      // transaction (and its row) is still uncommitted.
      const other = createDb(await urlOf(db), { poolSize: 1 });
      try {
        for (;;) {
          const seen = await findJob(other, id);
          if (seen?.progress.done === 1) {
            expect(seen).toMatchObject({ state: "running", instance: "web-1", progress: { total: 40 } });
            break;
          }
          await new Promise((r) => setTimeout(r, 20));
        }
        const uncommitted = await other
          .selectFrom("area_type")
          .select("id")
          .where("name", "=", "Job test")
          .execute();
        expect(uncommitted).toEqual([]);
      } finally {
        await other.destroy();
      }
    }
    release.open();
    const job = await finished(id);
    expect(job).toMatchObject({
      state: "succeeded",
      result: { rows: 40, by: null },
      error: null,
      progress: { done: 40, total: 40 },
      message: "test.done",
      attempts: 1,
      instance: "web-1",
    });
    await jobs.idle();
    expect(jobs.liveProgress(id)).toBeNull();
  });

  it("a cancel while the job runs stops it at its next checkpoint: its transaction rolls back, its row says cancelled", async () => {
    const jobs = await runner("web-1");
    const id = await jobs.enqueue({ kind: "test.gated", payload: { rows: 40 }, startedBy: null });
    await reached.opened;
    // What jobs.cancel does: this process is told, and the row says "cancelled" (on PostgreSQL,
    // the row is how a runner on another instance learns of it; here only the row is written).
    if (!postgres) jobs.cancel(id);
    else expect(await requestJobCancel(db, id, { at: nowIso() })).toBe(true);
    release.open();
    await jobs.idle();
    const job = await findJob(db, id);
    expect(job).toMatchObject({
      state: "cancelled",
      result: null,
      error: null,
      progress: { done: 1, total: 40 },
    });
    expect(job?.finishedAt).not.toBeNull();
    expect(await db.selectFrom("area_type").select("id").where("name", "=", "Job test").execute()).toEqual(
      [],
    );
  });

  it("a queued job that was cancelled never runs", async () => {
    const jobs = await runner("web-1");
    release.open();
    // Cancelled as it is recorded, so before any runner can take it.
    const id = await jobs.enqueue(
      { kind: "test.gated", payload: { rows: 3 }, startedBy: null },
      async (trx, jobId) => {
        expect(await requestJobCancel(trx, jobId, { at: nowIso() })).toBe(true);
      },
    );
    await jobs.idle();
    const job = await findJob(db, id);
    expect(job).toMatchObject({ state: "cancelled", attempts: 0, startedAt: null });
    expect(job?.finishedAt).not.toBeNull();
    expect(await db.selectFrom("area_type").select("id").where("name", "=", "Job test").execute()).toEqual(
      [],
    );
  });

  it("fails a job whose work throws, with the error's message", async () => {
    const jobs = await runner("web-1");
    const id = await jobs.enqueue({ kind: "test.broken", payload: {}, startedBy: null });
    expect(await finished(id)).toMatchObject({ state: "failed", error: "The file is broken", result: null });
  });

  it("refuses an unknown kind and a payload its schema refuses, recording nothing", async () => {
    const jobs = await runner("web-1");
    await expect(jobs.enqueue({ kind: "test.nothing", payload: {}, startedBy: null })).rejects.toThrow(
      "Unknown job kind test.nothing",
    );
    await expect(
      jobs.enqueue({ kind: "test.gated", payload: { rows: 0 }, startedBy: null }),
    ).rejects.toThrow();
    expect(await db.selectFrom("job").select("id").execute()).toEqual([]);
  });

  it(postgres
    ? "a job whose runner died is retried by the queue on another instance"
    : "at start, jobs a dead process left queued or running fail as interrupted by a restart", {
    timeout: 60_000,
  }, async () => {
    if (postgres) {
      // Instance "dead" takes the job from the queue and dies without a word: its row says
      // running, pg-boss holds it active until it expires.
      const url = await urlOf(db);
      const id = await insertJob(db, {
        kind: "test.gated",
        payload: { rows: 5 },
        partnershipId: null,
        startedBy: null,
        at: nowIso(),
      });
      const dead = new PgBoss({ connectionString: url, schema: "pgboss", supervise: false, schedule: false });
      dead.on("error", () => {});
      await dead.start();
      await dead.createQueue("test.gated", { name: "test.gated" });
      await dead.send("test.gated", { jobId: id }, { expireInSeconds: 1, retryLimit: 2 });
      expect(await dead.fetch("test.gated")).toHaveLength(1);
      await markJobRunning(db, id, { instance: "dead", at: nowIso() });
      await dead.stop({ graceful: false, close: true });

      release.open();
      await runner("web-2");
      expect(await finished(id)).toMatchObject({
        state: "succeeded",
        instance: "web-2",
        attempts: 2,
        result: { rows: 5 },
      });
    } else {
      const at = nowIso();
      const queued = await insertJob(db, {
        kind: "test.gated",
        payload: { rows: 5 },
        partnershipId: null,
        startedBy: null,
        at,
      });
      const running = await insertJob(db, {
        kind: "test.gated",
        payload: { rows: 5 },
        partnershipId: null,
        startedBy: null,
        at,
      });
      await markJobRunning(db, running, { instance: "dead", at });
      // One being cancelled when its process died: its transaction died too.
      const cancelling = await insertJob(db, {
        kind: "test.gated",
        payload: { rows: 5 },
        partnershipId: null,
        startedBy: null,
        at,
      });
      await markJobRunning(db, cancelling, { instance: "dead", at });
      await requestJobCancel(db, cancelling, { at });
      await runner("web-2");
      for (const id of [queued, running])
        expect(await findJob(db, id)).toMatchObject({ state: "failed", error: INTERRUPTED_BY_RESTART });
      const cancelled = await findJob(db, cancelling);
      expect(cancelled).toMatchObject({ state: "cancelled", error: null });
      expect(cancelled?.finishedAt).not.toBeNull();
    }
  });
});
