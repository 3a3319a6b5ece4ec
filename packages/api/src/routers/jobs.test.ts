import { insertJob, listAudit, nowIso } from "@fivestep/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JOB_PROBLEMS } from "../jobs/import-commit.ts";
import { ACTORS, createFixture, type Fixture } from "../testing/fixtures.ts";

const DATA_CSV = "code,when,value\nE08000026,2007 Q3,73.1\nE08000031,2007 Q3,70.2\n";
const BAD_CSV = `code,when,value\n${Array.from({ length: JOB_PROBLEMS + 20 }, () => "E99999999,2007 Q3,1").join("\n")}\n`;
const MAPPING = {
  source: "Test",
  indicatorCode: "NI 151",
  columns: { area: "code", period: "when", value: "value" },
};

let fx: Fixture;
beforeEach(async () => {
  fx = await createFixture();
});
afterEach(async () => {
  await fx.jobs.idle();
  await fx.db.destroy();
});

async function previewed(content: string) {
  const fileId = await fx.upload("data.csv", content);
  await (await fx.caller("admin")).imports.preview({ fileId, mapping: MAPPING });
  return fileId;
}

describe("imports as jobs", () => {
  it("startCommit answers a job id; the job commits the file, judges targets again, and keeps the result", async () => {
    const admin = await fx.caller("admin");
    const { jobId } = await admin.imports.startCommit({ fileId: await previewed(DATA_CSV) });
    await fx.jobs.idle();
    const job = await admin.jobs.get({ jobId });
    expect(job).toMatchObject({
      kind: "import.commit",
      state: "succeeded",
      error: null,
      progress: { done: 2, total: 2 },
      startedBy: await fx.userId(ACTORS.admin),
      result: { ok: true, result: { inserted: 2, updated: 0, rejected: 0, pending: false } },
    });
    const batchId = (job.result as { result: { batchId: number } }).result.batchId;
    expect(
      await fx.db.selectFrom("observation").select("id").where("batch_id", "=", batchId).execute(),
    ).toHaveLength(2);
    // The start and the batch are in the trail, both as the request that started the job.
    const trail = (await listAudit(fx.db, { limit: 10 })).filter((e) => e.requestId === "test-admin");
    expect(trail.map((e) => [e.entity, e.action, Number(e.entityId)])).toEqual(
      expect.arrayContaining([
        ["job", "start", jobId],
        ["import_batch", "import", batchId],
      ]),
    );
    expect(await admin.jobs.list({})).toEqual([expect.objectContaining({ id: jobId, state: "succeeded" })]);
  });

  it("a file with problems fails its job with the reason, writes nothing, and keeps the first problems", async () => {
    const admin = await fx.caller("admin");
    const { jobId } = await admin.imports.startCommit({ fileId: await previewed(BAD_CSV) });
    await fx.jobs.idle();
    const job = await admin.jobs.get({ jobId });
    expect(job).toMatchObject({
      state: "failed",
      error: `${JOB_PROBLEMS + 20} row(s) have problems; nothing was written`,
      result: { ok: false, refusal: "problems", check: { rejected: JOB_PROBLEMS + 20 } },
    });
    const check = (job.result as { check: { problems: unknown[]; unknownAreas: unknown[] } }).check;
    expect(check.unknownAreas.length).toBeLessThanOrEqual(JOB_PROBLEMS);
    expect(check.problems.length).toBeGreaterThan(0);
    expect(check.problems.length).toBeLessThanOrEqual(JOB_PROBLEMS);
    expect(await fx.db.selectFrom("import_batch").select("id").execute()).toEqual([]);
  });

  it("startCommit refuses a file that was never previewed, starting nothing", async () => {
    const admin = await fx.caller("admin");
    const fileId = await fx.upload("data.csv", DATA_CSV);
    await expect(admin.imports.startCommit({ fileId })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(admin.imports.startCommit({ fileId: 999_999 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await fx.db.selectFrom("job").select("id").execute()).toEqual([]);
  });
});

describe("who may read a job", () => {
  it("its starter and administrators; for a partnership's job its leads; anyone else is told it does not exist", async () => {
    const editorId = await fx.userId(ACTORS.editor);
    const own = await insertJob(fx.db, {
      kind: "test",
      payload: {},
      partnershipId: null,
      startedBy: editorId,
      at: nowIso(),
    });
    const coventry = await insertJob(fx.db, {
      kind: "test",
      payload: {},
      partnershipId: fx.coventryId,
      startedBy: await fx.userId(ACTORS.admin),
      at: nowIso(),
    });
    const read = async (actor: Parameters<Fixture["caller"]>[0], jobId: number) =>
      (await fx.caller(actor)).jobs.get({ jobId }).then(
        (j) => j.id,
        (e: { code: string; message: string }) => `${e.code}: ${e.message}`,
      );
    const hidden = "NOT_FOUND: That job does not exist";
    expect(await read("editor", own)).toBe(own);
    expect(await read("admin", own)).toBe(own);
    expect(await read("lead", own)).toBe(hidden);
    expect(await read("lead", coventry)).toBe(coventry);
    expect(await read("admin", coventry)).toBe(coventry);
    expect(await read("editor", coventry)).toBe(hidden);
    expect(await read("otherLead", coventry)).toBe(hidden);
    expect(await read("lead", 999_999)).toBe(hidden);
    await expect((await fx.caller("anonymous")).jobs.get({ jobId: own })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    await expect((await fx.caller("lead")).jobs.list({})).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
