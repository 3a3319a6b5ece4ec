import { listNotifications, nowIso, rememberImportMapping, seedDemoPlan } from "@fivestep/db";
import type { ImportMappingInput } from "@fivestep/domain";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveSession, startSession } from "../auth/sessions.ts";
import { createContextInner } from "../context.ts";
import { recomputeStatuses } from "../monitoring.ts";
import { createCaller } from "../root.ts";
import { ACTORS, createFixture, type Fixture } from "../testing/fixtures.ts";

const MAPPING: ImportMappingInput = {
  source: "Council returns",
  columns: { indicator: "indicator", area: "area", period: "period", value: "value" },
};

// Coventry's employment rate recovers to 74.6 in 2008 Q4 (the milestone is 74.5): NI 151 goes
// on track once the value is in the data.
const RECOVERY = ["indicator,area,period,value", "NI 151,E08000026,2008 Q4,74.6"].join("\n");

let fx: Fixture;
let admin: Awaited<ReturnType<Fixture["caller"]>>;
let planId: number;

/** A second system administrator, who may approve what the first sent. */
async function secondAdmin(f: Fixture) {
  const now = nowIso();
  const user = await f.db
    .insertInto("app_user")
    .values({
      email: "second.admin@fivestep.example",
      display_name: "Sam Second",
      password_hash: null,
      is_admin: 1,
      status: "active",
      invite_token_hash: null,
      invite_expires_at: null,
      created_at: now,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const token = await startSession(f.db, user.id, { ip: "127.0.0.1", userAgent: "vitest" });
  const session = await resolveSession(f.db, token);
  const caller = createCaller(
    createContextInner({
      db: f.db,
      session,
      ip: "127.0.0.1",
      requestId: "test-second-admin",
      deviceToken: null,
      cookies: { setSession: () => {}, clearSession: () => {}, setDevice: () => {} },
    }),
  );
  return { id: user.id, caller };
}

/** The "Council returns" source, remembered and marked "arrives pending". */
async function pendingSource(f: Fixture) {
  await rememberImportMapping(f.db, MAPPING.source, MAPPING, nowIso());
  const [source] = await admin.importSource.list();
  await admin.importSource.setArrivesPending({
    id: source?.id ?? 0,
    version: source?.version ?? 0,
    arrivesPending: true,
  });
}

async function commitCsv(csv: string, extra: { revisionReason?: string } = {}) {
  const fileId = await fx.upload("council.csv", csv);
  const preview = await admin.imports.preview({ fileId, mapping: MAPPING });
  expect(preview.problemCount).toBe(0);
  const committed = await admin.imports.commit({ fileId, ...extra });
  if (!committed.ok) throw new Error("the commit was refused");
  return committed.result;
}

const stored = async (period: string, areaCode = "E08000026") =>
  (await admin.observation.series({ indicatorCode: "NI 151", areaCodes: [areaCode] })).series[0]?.points.find(
    (p) => p.period === period,
  )?.value ?? null;

const ni151Status = async () => {
  const viewer = await fx.caller("viewer");
  const report = await viewer.monitoring.report({ partnershipId: fx.coventryId, planId });
  return report.priorities.flatMap((p) => p.indicators).find((i) => i.code === "NI 151")?.status;
};

beforeEach(async () => {
  fx = await createFixture();
  admin = await fx.caller("admin");
  ({ planId } = await seedDemoPlan(fx.db));
  await fx.db.transaction().execute((trx) => recomputeStatuses(trx, { cause: "Demo data loaded" }));
});
afterEach(() => fx.db.destroy());

describe("imports from a source that arrives pending", () => {
  it("holds the rows until another administrator approves them, then writes them and moves the status", async () => {
    await pendingSource(fx);
    const before = await stored("2008 Q4");
    expect(await ni151Status()).toBe("off-track");

    const held = await commitCsv(RECOVERY);
    expect(held).toMatchObject({ pending: true, inserted: before === null ? 1 : 0 });
    const batchId = held.batchId ?? 0;
    // Nothing reached the data: not the series, not the status.
    expect(await stored("2008 Q4")).toBe(before);
    expect(await ni151Status()).toBe("off-track");

    const queue = await admin.imports.pendingBatches();
    expect(queue.map((b) => [b.id, b.status, b.mine])).toEqual([[batchId, "pending", true]]);
    const shown = await admin.imports.batch({ batchId });
    expect(shown.held?.total).toBe(1);
    expect(shown.held?.values[0]).toMatchObject({
      indicatorCode: "NI 151",
      areaCode: "E08000026",
      period: "2008 Q4",
      value: 74.6,
      current: before,
    });

    // Nobody approves a batch they sent.
    await expect(admin.imports.approveBatch({ batchId, version: 1 })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const second = await secondAdmin(fx);
    await expect(second.caller.imports.approveBatch({ batchId, version: 2 })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    const approved = await second.caller.imports.approveBatch({ batchId, version: 1 });
    expect(approved.changes.map((c) => [c.indicatorCode, c.to])).toEqual([["NI 151", "on-track"]]);
    expect(await stored("2008 Q4")).toBe(74.6);
    expect(await ni151Status()).toBe("on-track");

    const after = await admin.imports.batch({ batchId });
    expect(after).toMatchObject({ status: "committed", reviewedBy: "Sam Second", held: null });
    expect(await admin.imports.pendingBatches()).toEqual([]);
    const lead = await fx.caller("lead");
    const dashboard = await lead.monitoring.dashboard({ partnershipId: fx.coventryId, planId });
    expect(dashboard.changes.find((c) => c.batch_id === batchId)?.cause).toBe(
      `Import batch ${batchId} (council.csv) approved by Sam Second`,
    );
    const audit = await fx.db
      .selectFrom("audit_event")
      .select(["action", "actor_user_id"])
      .where("entity", "=", "import_batch")
      .where("entity_id", "=", String(batchId))
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual(["import", "approve"]);
    expect(audit[1]?.actor_user_id).toBe(second.id);
    const told = await listNotifications(fx.db, await fx.userId(ACTORS.admin));
    expect(told.map((n) => n.kind)).toContain("import-approved");

    // An approved batch is an ordinary batch: it rolls back.
    await admin.imports.rollback({ batchId, version: after.version });
    expect(await stored("2008 Q4")).toBe(before);
    expect(await ni151Status()).toBe("off-track");
  });

  it("rejects a batch with its reason: nothing is written and the sender is told why", async () => {
    await pendingSource(fx);
    const before = await stored("2008 Q4");
    const batchId = (await commitCsv(RECOVERY)).batchId ?? 0;
    const second = await secondAdmin(fx);
    await expect(
      second.caller.imports.rejectBatch({ batchId, version: 1, reason: "   " }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await second.caller.imports.rejectBatch({ batchId, version: 1, reason: "The file is last year's" });
    expect(await stored("2008 Q4")).toBe(before);
    expect(await admin.imports.batch({ batchId })).toMatchObject({
      status: "rejected",
      reviewNote: "The file is last year's",
      held: null,
    });
    expect(await fx.db.selectFrom("pending_observation").selectAll().execute()).toEqual([]);
    const told = await listNotifications(fx.db, await fx.userId(ACTORS.admin));
    const rejected = told.find((n) => n.kind === "import-rejected");
    expect(rejected?.code).toBe("import.rejected");
    expect(JSON.parse(rejected?.paramsJson ?? "{}")).toMatchObject({ reason: "The file is last year's" });
    expect(rejected?.text).toContain("The file is last year's");
    // Neither approval nor rollback applies to a rejected batch.
    await expect(second.caller.imports.approveBatch({ batchId, version: 2 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      cause: { field: "batchId", reason: { code: "import.notPending" } },
    });
    await expect(admin.imports.rollback({ batchId, version: 2 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("drops rows equal to the stored values, and keeps the revision reason for locked values until approval", async () => {
    await pendingSource(fx);
    const q1 = await stored("2007 Q1");
    const q2 = await stored("2007 Q2");
    expect(q1).not.toBeNull();
    await admin.periodLock.lock({ indicatorCode: "NI 151", period: "2007 Q2" });
    const csv = [
      "indicator,area,period,value",
      `NI 151,E08000026,2007 Q1,${q1}`,
      "NI 151,E08000026,2007 Q2,73",
      "NI 151,E08000026,2009 Q1,70",
    ].join("\n");
    const fileId = await fx.upload("council.csv", csv);
    await admin.imports.preview({ fileId, mapping: MAPPING });
    // The locked-value rule holds for a held batch as for a written one.
    await expect(admin.imports.commit({ fileId })).rejects.toMatchObject({
      cause: { reason: { code: "import.lockedNeedsReason" } },
    });
    const reason = "The ONS reweighted the survey";
    const committed = await admin.imports.commit({ fileId, revisionReason: reason });
    expect(committed.ok && committed.result).toMatchObject({
      pending: true,
      inserted: 1,
      updated: 1,
      unchanged: 1,
    });
    const batchId = (committed.ok && committed.result.batchId) || 0;
    expect((await admin.imports.batch({ batchId })).held?.byIndicator).toEqual([{ code: "NI 151", rows: 2 }]);
    expect(await stored("2007 Q2")).toBe(q2);

    const second = await secondAdmin(fx);
    const approved = await second.caller.imports.approveBatch({ batchId, version: 1 });
    expect(approved).toMatchObject({ inserted: 1, updated: 1, unchanged: 1 });
    expect(await stored("2007 Q2")).toBe(73);
    expect(await stored("2009 Q1")).toBe(70);
    const revisions = await admin.imports.revisions({ batchId });
    expect(revisions.map((r) => [r.period, r.old.value, r.new.value, r.reason])).toEqual([
      ["2007 Q2", q2, 73, reason],
    ]);
  });

  it("sends a source's imports straight in again once it no longer arrives pending", async () => {
    await pendingSource(fx);
    const [source] = await admin.importSource.list();
    await admin.importSource.setArrivesPending({
      id: source?.id ?? 0,
      version: source?.version ?? 0,
      arrivesPending: false,
    });
    const result = await commitCsv(RECOVERY);
    expect(result.pending).toBe(false);
    expect(await stored("2008 Q4")).toBe(74.6);
    expect(await ni151Status()).toBe("on-track");
  });
});
