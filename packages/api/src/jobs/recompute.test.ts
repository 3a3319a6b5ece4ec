import { findJob, insertJob, listAudit, markJobRunning, nowIso, seedDemoPlan } from "@fivestep/db";
import { afterEach, describe, expect, it } from "vitest";
import { recomputeStatuses } from "../monitoring.ts";
import { ACTORS, createFixture, type Fixture } from "../testing/fixtures.ts";
import { JobCancelledError } from "./kinds.ts";
import { recomputeJob } from "./recompute.ts";

const fixtures: Fixture[] = [];
async function fixture() {
  const fx = await createFixture();
  fixtures.push(fx);
  return fx;
}
afterEach(async () => {
  for (const fx of fixtures.splice(0)) {
    await fx.jobs.idle();
    await fx.db.destroy();
  }
});

/** Every stored status, as the judge left it (its time aside). */
const stored = (fx: Fixture) =>
  fx.db
    .selectFrom("target_status")
    .select(["item_id", "status", "period", "actual", "expected"])
    .orderBy("item_id")
    .execute();

describe("recompute as a job", () => {
  it("an administrator's recompute of everything finishes with the counts and statuses of a direct call", async () => {
    const viaJob = await fixture();
    const direct = await fixture();
    await seedDemoPlan(viaJob.db);
    await seedDemoPlan(direct.db);
    const changes = await direct.db
      .transaction()
      .execute((trx) => recomputeStatuses(trx, { cause: "Direct" }));
    const targets = await direct.db.selectFrom("target_status").select("item_id").execute();

    const admin = await viaJob.caller("admin");
    const { jobId } = await admin.monitoring.startRecomputeAll({});
    await viaJob.jobs.idle();
    const job = await admin.jobs.get({ jobId });
    expect(changes.length).toBeGreaterThan(0);
    expect(job).toMatchObject({
      kind: "monitoring.recompute",
      state: "succeeded",
      error: null,
      startedBy: await viaJob.userId(ACTORS.admin),
      result: { targetsJudged: targets.length, statusesChanged: changes.length },
      message: "monitoring.recompute",
    });
    // Progress counts indicators: all of them judged.
    expect(job.progress.total).toBeGreaterThan(0);
    expect(job.progress.done).toBe(job.progress.total);
    expect(await stored(viaJob)).toEqual(await stored(direct));
    const causes = await viaJob.db.selectFrom("status_change").select("cause").distinct().execute();
    const name = (await viaJob.session("admin"))?.user.displayName;
    expect(causes).toEqual([{ cause: `Recomputed by ${name}` }]);
  });

  it("a lead's recompute of a plan is readable by the lead, judges that plan, and is audited as them", async () => {
    const fx = await fixture();
    const { planId } = await seedDemoPlan(fx.db);
    const lead = await fx.caller("lead");
    const { jobId } = await lead.monitoring.startRecompute({ partnershipId: fx.coventryId, planId });
    await fx.jobs.idle();
    const job = await lead.jobs.get({ jobId });
    expect(job).toMatchObject({ state: "succeeded", partnershipId: fx.coventryId });
    const result = job.result as { targetsJudged: number; statusesChanged: number };
    expect(result.statusesChanged).toBe(result.targetsJudged);
    expect(result.targetsJudged).toBeGreaterThan(0);
    const trail = (await listAudit(fx.db, { limit: 10 })).filter((e) => e.requestId === "test-lead");
    expect(trail.map((e) => [e.entity, e.action, Number(e.entityId), e.actorUserId])).toEqual(
      expect.arrayContaining([
        ["job", "start", jobId, await fx.userId(ACTORS.lead)],
        ["plan", "recompute", planId, await fx.userId(ACTORS.lead)],
      ]),
    );
    await expect(
      lead.monitoring.startRecompute({ partnershipId: fx.coventryId, planId: 999_999 }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a cancel between indicator batches rolls the whole recompute back: no status written", async () => {
    const fx = await fixture();
    await seedDemoPlan(fx.db);
    let checkpoints = 0;
    const seen: Array<{ done: number; total: number | null }> = [];
    const run = recomputeJob.run(
      {
        db: fx.db,
        jobId: 1,
        actor: { session: null, requestId: "test-cancel" },
        progress: (p) => seen.push({ done: p.done, total: p.total }),
        // Asked to stop once the first indicator has been judged.
        checkpoint: async () => {
          checkpoints++;
          if (checkpoints === 2) throw new JobCancelledError();
        },
      },
      { scope: "all" },
    );
    await expect(run).rejects.toBeInstanceOf(JobCancelledError);
    expect(seen.map((p) => p.done)).toEqual([0, 1]);
    expect(await stored(fx)).toEqual([]);
    expect(await fx.db.selectFrom("status_change").select("id").execute()).toEqual([]);
    expect(
      await fx.db.selectFrom("audit_event").select("id").where("action", "=", "recompute").execute(),
    ).toEqual([]);
  });
});

describe("the batched status writes", () => {
  it("store a cause with quotes, commas, braces and backslashes exactly, and each judgement as given (PostgreSQL passes them as arrays)", async () => {
    const fx = await fixture();
    await seedDemoPlan(fx.db);
    const cause = `O'Brien, "Ana" {2007} \\ NULL`;
    const changes = await fx.db.transaction().execute((trx) => recomputeStatuses(trx, { cause }));
    const rows = await fx.db
      .selectFrom("status_change")
      .select(["id", "item_id", "cause", "from_status", "batch_id", "period", "actual", "expected"])
      .orderBy("id")
      .execute();
    expect(rows.map((r) => r.cause)).toEqual(changes.map(() => cause));
    expect(rows.map((r) => [r.item_id, r.from_status, r.batch_id, r.period, r.actual, r.expected])).toEqual(
      changes.map((c) => [c.itemId, null, null, c.period, c.actual, c.expected]),
    );
    expect((await stored(fx)).map((r) => [r.item_id, r.status, r.period, r.actual, r.expected])).toEqual(
      changes.map((c) => [c.itemId, c.to, c.period, c.actual, c.expected]),
    );
  });
});

describe("jobs.cancel", () => {
  const queued = async (fx: Fixture, startedBy: number, partnershipId: number | null = null) =>
    insertJob(fx.db, {
      kind: "monitoring.recompute",
      payload: { scope: "all" },
      partnershipId,
      startedBy,
      at: nowIso(),
    });

  it("cancels a queued job at once (it never starts), audited; a finished job cannot be cancelled", async () => {
    const fx = await fixture();
    const admin = await fx.caller("admin");
    const jobId = await queued(fx, await fx.userId(ACTORS.admin));
    const job = await admin.jobs.cancel({ jobId });
    expect(job).toMatchObject({ id: jobId, state: "cancelled", error: null });
    expect(job.finishedAt).not.toBeNull();
    expect(await markJobRunning(fx.db, jobId, { instance: "web-1", at: nowIso() })).toBe(false);
    const trail = (await listAudit(fx.db, { limit: 5 })).filter((e) => e.entity === "job");
    expect(trail.map((e) => [e.action, Number(e.entityId), e.before, e.after])).toEqual([
      ["cancel", jobId, { state: "queued" }, { state: "cancelled" }],
    ]);
    await expect(admin.jobs.cancel({ jobId })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("marks a running job cancelled with no finish time until its runner has rolled it back", async () => {
    const fx = await fixture();
    const admin = await fx.caller("admin");
    const jobId = await queued(fx, await fx.userId(ACTORS.admin));
    await markJobRunning(fx.db, jobId, { instance: "elsewhere:1", at: nowIso() });
    expect(await admin.jobs.cancel({ jobId })).toMatchObject({ state: "cancelled", finishedAt: null });
    expect(await findJob(fx.db, jobId)).toMatchObject({ state: "cancelled", finishedAt: null });
  });

  it("lets a partnership's lead cancel its job; anyone who may not read a job gets NOT_FOUND", async () => {
    const fx = await fixture();
    const jobId = await queued(fx, await fx.userId(ACTORS.admin), fx.coventryId);
    await expect((await fx.caller("otherLead")).jobs.cancel({ jobId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect((await fx.caller("viewer")).jobs.cancel({ jobId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect((await fx.caller("lead")).jobs.cancel({ jobId })).resolves.toMatchObject({
      state: "cancelled",
    });
  });

  it("a recompute the runner is told to cancel before it runs is recorded cancelled, every status as it was", async () => {
    const fx = await fixture();
    await seedDemoPlan(fx.db);
    const admin = await fx.caller("admin");
    const jobId = await fx.jobs.enqueue(
      { kind: recomputeJob.name, payload: { scope: "all" }, startedBy: await fx.userId(ACTORS.admin) },
      // Told while the job is being recorded, so before it can reach its first checkpoint.
      async (_trx, id) => fx.jobs.cancel(id),
    );
    await fx.jobs.idle();
    expect(await admin.jobs.get({ jobId })).toMatchObject({ state: "cancelled", result: null });
    expect(await stored(fx)).toEqual([]);
  });
});
