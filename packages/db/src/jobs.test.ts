import type { Kysely } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "./database.ts";
import { insertUser } from "./repositories/accounts.ts";
import {
  failUnfinishedJobs,
  findJob,
  finishJob,
  insertJob,
  listJobs,
  markJobRunning,
  updateJobProgress,
} from "./repositories/jobs.ts";
import { createTestDb } from "./testing.ts";

let db: Kysely<Database>;
let adminId: number;
beforeEach(async () => {
  db = await createTestDb({ demo: true });
  const now = "2026-11-30T00:00:00.000Z";
  adminId = (
    await insertUser(db, {
      email: "jobs@example.org",
      display_name: "Jo Bs",
      password_hash: null,
      is_admin: 1,
      status: "active",
      invite_token_hash: null,
      invite_expires_at: null,
      created_at: now,
      updated_at: now,
    })
  ).id;
});
afterEach(() => db.destroy());

const at = (s: number) => `2026-11-30T00:00:${String(s).padStart(2, "0")}.000Z`;

describe("job repository", () => {
  it("keeps a job from queued through running to succeeded, with its progress and result", async () => {
    const id = await insertJob(db, {
      kind: "import.commit",
      payload: { fileId: 3 },
      partnershipId: null,
      startedBy: adminId,
      at: at(0),
    });
    expect(await findJob(db, id)).toMatchObject({
      state: "queued",
      kind: "import.commit",
      payload: { fileId: 3 },
      progress: { done: 0, total: null },
      startedBy: adminId,
      attempts: 0,
    });
    expect(await markJobRunning(db, id, { instance: "web-1", at: at(1) })).toBe(true);
    expect(await updateJobProgress(db, id, { done: 50, total: 200, message: "reading", at: at(2) })).toBe(
      true,
    );
    expect(await findJob(db, id)).toMatchObject({
      state: "running",
      instance: "web-1",
      attempts: 1,
      progress: { done: 50, total: 200 },
      message: "reading",
      heartbeatAt: at(2),
    });
    expect(
      await finishJob(db, id, {
        state: "succeeded",
        result: { inserted: 200 },
        error: null,
        progress: { done: 200, total: 200 },
        at: at(3),
      }),
    ).toBe(true);
    const done = await findJob(db, id);
    expect(done).toMatchObject({
      state: "succeeded",
      result: { inserted: 200 },
      progress: { done: 200, total: 200 },
      finishedAt: at(3),
    });
    // A finished job stays finished: no progress, no second finish, no second start.
    expect(await updateJobProgress(db, id, { done: 1, total: 1, message: null, at: at(4) })).toBe(false);
    expect(await finishJob(db, id, { state: "failed", result: null, error: "late", at: at(4) })).toBe(false);
    expect(await markJobRunning(db, id, { instance: "web-2", at: at(4) })).toBe(false);
    expect((await findJob(db, id))?.state).toBe("succeeded");
  });

  it("lists jobs newest first, by who started them, kind and state", async () => {
    const a = await insertJob(db, {
      kind: "import.commit",
      payload: {},
      partnershipId: null,
      startedBy: adminId,
      at: at(1),
    });
    const b = await insertJob(db, {
      kind: "report.export",
      payload: {},
      partnershipId: null,
      startedBy: null,
      at: at(2),
    });
    await finishJob(db, a, { state: "failed", result: null, error: "broken", at: at(3) });
    expect((await listJobs(db, { limit: 10 })).map((j) => j.id)).toEqual([b, a]);
    expect((await listJobs(db, { startedBy: adminId, limit: 10 })).map((j) => j.id)).toEqual([a]);
    expect((await listJobs(db, { kind: "report.export", limit: 10 })).map((j) => j.id)).toEqual([b]);
    expect((await listJobs(db, { states: ["failed"], limit: 10 })).map((j) => j.id)).toEqual([a]);
    expect(await listJobs(db, { limit: 1 })).toHaveLength(1);
  });

  it("fails the unfinished jobs a dead process left, saying why, and only those of its instance when asked", async () => {
    const queued = await insertJob(db, {
      kind: "k",
      payload: {},
      partnershipId: null,
      startedBy: null,
      at: at(1),
    });
    const running = await insertJob(db, {
      kind: "k",
      payload: {},
      partnershipId: null,
      startedBy: null,
      at: at(2),
    });
    const elsewhere = await insertJob(db, {
      kind: "k",
      payload: {},
      partnershipId: null,
      startedBy: null,
      at: at(3),
    });
    const finished = await insertJob(db, {
      kind: "k",
      payload: {},
      partnershipId: null,
      startedBy: null,
      at: at(4),
    });
    await markJobRunning(db, running, { instance: "a", at: at(5) });
    await markJobRunning(db, elsewhere, { instance: "b", at: at(5) });
    await finishJob(db, finished, { state: "succeeded", result: {}, error: null, at: at(6) });
    expect(
      await failUnfinishedJobs(db, { error: "Interrupted by a restart", at: at(7), instance: "a" }),
    ).toEqual([running]);
    expect(await failUnfinishedJobs(db, { error: "Interrupted by a restart", at: at(8) })).toEqual([
      queued,
      elsewhere,
    ]);
    expect(await findJob(db, running)).toMatchObject({ state: "failed", error: "Interrupted by a restart" });
    expect((await findJob(db, finished))?.state).toBe("succeeded");
  });
});
