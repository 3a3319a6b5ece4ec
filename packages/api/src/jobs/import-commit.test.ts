import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, type Database, findImportFile, findJob, listAudit } from "@fivestep/db";
import { testEngine, testPostgresUrl } from "@fivestep/db/testing";
import { type Kysely, sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import type { SessionInfo } from "../auth/sessions.ts";
import { createContextInner } from "../context.ts";
import { createCaller } from "../root.ts";
import { createFixture, type Fixture } from "../testing/fixtures.ts";
import { importCommitJob } from "./import-commit.ts";
import { defineJobKind, type JobKind, jobKinds } from "./kinds.ts";
import { createPgBossJobRunner } from "./pg-boss-runner.ts";
import { JOB_KINDS } from "./registry.ts";
import { createInProcessJobRunner, type JobRunner } from "./runner.ts";

const postgres = testEngine() === "postgres";

/** A promise the test opens by hand. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

// 3 areas × 700 quarters: more than one chunk (2,000 accepted rows) of the commit.
const AREAS = ["E08000026", "E08000031", "E12000005"];
const ROWS = AREAS.length * 700;
const BIG_CSV = `code,when,value\n${AREAS.flatMap((area) =>
  Array.from({ length: 700 }, (_, q) => `${area},${1850 + Math.floor(q / 4)} Q${(q % 4) + 1},${q % 90}`),
).join("\n")}\n`;
const MAPPING = {
  source: "Cancel test",
  indicatorCode: "NI 151",
  columns: { area: "code", period: "when", value: "value" },
};

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

/** The test database's own URL (PostgreSQL): pg-boss and the progress pool connect with it. */
async function urlOf(d: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(d);
  const url = new URL(testPostgresUrl());
  url.pathname = `/${rows[0]?.name}`;
  return url.toString();
}

/**
 * The server's set-up on each engine, with the import commit paused at its second checkpoint
 * (the first chunk written inside its transaction) until `release` opens: on SQLite a database
 * file whose jobs run on a connection of their own (as the server runs them), on PostgreSQL the
 * pg-boss runner. `told` opens when the runner is told of a cancel.
 */
async function setUp() {
  const fx: Fixture = await createFixture();
  const reached = gate();
  const release = gate();
  const told = gate();
  const checkpoints: number[] = [];
  const paused: JobKind<unknown> = defineJobKind({
    ...importCommitJob,
    run: (ctx, payload) => {
      let n = 0;
      return importCommitJob.run(
        {
          ...ctx,
          checkpoint: async () => {
            n++;
            checkpoints.push(n);
            if (n === 2) {
              reached.open();
              await release.opened;
            }
            await ctx.checkpoint();
          },
        },
        payload,
      );
    },
  }) as JobKind<unknown>;
  const kinds = jobKinds([...JOB_KINDS.values()].map((k) => (k.name === importCommitJob.name ? paused : k)));
  // The file and its preview, and the administrator's session, before the database is copied.
  const fileId = await fx.upload("big.csv", BIG_CSV);
  const session = (await fx.session("admin")) as SessionInfo;
  await (await fx.caller("admin")).imports.preview({ fileId, mapping: MAPPING });

  let db: Kysely<Database>;
  let inner: JobRunner;
  if (postgres) {
    db = fx.db;
    inner = createPgBossJobRunner({
      db,
      url: await urlOf(db),
      kinds,
      instance: "web-1",
      pollingIntervalSeconds: 1,
      progressEveryMs: 0,
    });
    cleanup.push(async () => fx.db.destroy());
  } else {
    const dir = mkdtempSync(join(tmpdir(), "fivestep-import-cancel-"));
    const file = join(dir, "fivestep.db");
    await sql`vacuum into ${file}`.execute(fx.db);
    await fx.db.destroy();
    db = createDb(file);
    inner = createInProcessJobRunner({ db, kinds, instance: "web-1", workUrl: file });
    cleanup.push(async () => {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    });
  }
  cleanup.push(async () => {
    release.open();
    await inner.stop();
  });
  await inner.start();
  const jobs: JobRunner = {
    ...inner,
    cancel(id) {
      inner.cancel(id);
      told.open();
    },
  };
  const admin = createCaller(createContextInner({ db, session, requestId: "test-admin", jobs }));
  return { db, jobs, admin, fileId, reached, release, told, checkpoints };
}

/** Waits until the job's row says it has finished (on PostgreSQL another process may run it). */
async function finished(db: Kysely<Database>, id: number) {
  for (;;) {
    const job = await findJob(db, id);
    if (job?.finishedAt) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const batchesOf = (db: Kysely<Database>, fileId: number) =>
  db.selectFrom("import_batch").select("id").where("file_id", "=", fileId).execute();
const observationCount = async (db: Kysely<Database>) =>
  Number(
    (
      await db
        .selectFrom("observation")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe(`cancelling a running import (${postgres ? "PostgreSQL, pg-boss" : "SQLite file, in-process runner"})`, () => {
  it("stops at the next chunk: nothing of the batch is written, the job says cancelled, the cancel is audited, and the file can be committed again", {
    timeout: 60_000,
  }, async () => {
    const { db, jobs, admin, fileId, reached, release, told, checkpoints } = await setUp();
    const before = await observationCount(db);
    const { jobId } = await admin.imports.startCommit({ fileId });
    await reached.opened;
    // The first chunk is written inside the job's transaction, which nobody else sees yet.
    expect(await admin.jobs.get({ jobId })).toMatchObject({ state: "running" });
    expect(await observationCount(db)).toBe(before);

    const cancelling = admin.jobs.cancel({ jobId });
    await told.opened;
    release.open();
    expect(await cancelling).toMatchObject({ id: jobId, state: "cancelled" });
    const job = await finished(db, jobId);
    await jobs.idle();
    expect(job).toMatchObject({ state: "cancelled", result: null, error: null });
    // Stopped at its second checkpoint, before the second chunk: nothing after it ran.
    expect(checkpoints).toEqual([1, 2]);
    expect(await observationCount(db)).toBe(before);
    expect(await batchesOf(db, fileId)).toEqual([]);
    const trail = await listAudit(db, { limit: 20 });
    expect(trail.filter((e) => e.entity === "import_batch")).toEqual([]);
    expect(
      trail.filter((e) => e.entity === "job").map((e) => [e.action, Number(e.entityId), e.before, e.after]),
    ).toEqual([
      ["cancel", jobId, { state: "running" }, { state: "cancelled" }],
      ["start", jobId, null, expect.objectContaining({ fileId })],
    ]);

    // The uploaded file and its mapping stay: committed again, every row is written once.
    expect(await findImportFile(db, fileId)).toMatchObject({ id: fileId, mapping: MAPPING });
    const { jobId: again } = await admin.imports.startCommit({ fileId });
    const done = await finished(db, again);
    await jobs.idle();
    expect(done).toMatchObject({ state: "succeeded", error: null });
    // The demo already holds some of these quarters: those rows update (or leave) stored values.
    const counts = (done.result as { result: { inserted: number; updated: number; unchanged: number } })
      .result;
    expect(counts.inserted + counts.updated + counts.unchanged).toBe(ROWS);
    expect(counts.inserted).toBeGreaterThan(2000);
    expect(await observationCount(db)).toBe(before + counts.inserted);
    expect(await batchesOf(db, fileId)).toHaveLength(1);
  });
});
