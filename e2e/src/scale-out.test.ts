// Scale-out: two real server processes (the CLI, as deployed) on one PostgreSQL database. A
// session started on one is valid on the other, optimistic concurrency holds across them, and an
// import through one is seen through the other. PostgreSQL is required: without
// FIVESTEP_TEST_PG_URL (tooling/scripts/ensure-postgres.sh sets it) this file fails, never skips.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

// pg comes from the db package (this package does not depend on it directly).
interface PgClient {
  connect(): Promise<void>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
}
const pg = createRequire(join(root, "packages/db/package.json"))("pg") as {
  Client: new (o: { connectionString: string }) => PgClient;
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      srv.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

interface Instance {
  url: string;
  output: () => string;
  stop(): Promise<void>;
}

/** Starts `fivestep start` on a free port against `databaseUrl` and waits until it serves. */
async function startInstance(databaseUrl: string, demo: boolean): Promise<Instance> {
  const dir = mkdtempSync(join(tmpdir(), "fivestep-scale-"));
  const port = await freePort();
  const args = [join(root, "apps/server/bin/fivestep.mjs"), "start", "--port", String(port)];
  if (demo) args.push("--demo");
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: dir,
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${output}`)), 60_000);
    const check = setInterval(() => {
      const ready =
        output.includes("Fivestep is running") && (!demo || /admin@fivestep\.example\s+\S+/.test(output));
      if (ready) {
        clearTimeout(timer);
        clearInterval(check);
        resolve();
      }
    }, 50);
    child.once("exit", (code) => {
      clearTimeout(timer);
      clearInterval(check);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The outcome of one tRPC call over HTTP: its data, or its error code and message. */
type Outcome<T> = { ok: true; data: T } | { ok: false; code: string; message: string };

async function trpc<T>(
  base: string,
  kind: "query" | "mutation",
  path: string,
  input: unknown,
  cookie?: string,
): Promise<Outcome<T> & { setCookie: string | null }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (cookie) headers.cookie = cookie;
  const res =
    kind === "query"
      ? await fetch(
          `${base}/trpc/${path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
          { headers },
        )
      : await fetch(`${base}/trpc/${path}`, { method: "POST", headers, body: JSON.stringify(input ?? null) });
  const body = (await res.json()) as {
    result?: { data: T };
    error?: { message: string; data?: { code?: string } };
  };
  const setCookie = res.headers.get("set-cookie");
  if (body.result) return { ok: true, data: body.result.data, setCookie };
  return {
    ok: false,
    code: body.error?.data?.code ?? String(res.status),
    message: body.error?.message ?? "",
    setCookie,
  };
}

async function ok<T>(p: Promise<Outcome<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.data;
}

/** The password a demo server printed for an account. */
function passwordOf(output: string, email: string): string {
  const line = output.split("\n").find((l) => l.trim().startsWith(`${email} `));
  const password = line?.trim().split(/\s+/)[1];
  if (!password) throw new Error(`no password printed for ${email}:\n${output}`);
  return password;
}

async function signIn(base: string, email: string, password: string): Promise<string> {
  const r = await trpc(base, "mutation", "auth.signIn", { email, password });
  if (!r.ok) throw new Error(`sign-in failed: ${r.code} ${r.message}`);
  const cookie = r.setCookie?.split(";")[0];
  if (!cookie) throw new Error("sign-in set no cookie");
  return cookie;
}

describe("two server instances on one PostgreSQL database", () => {
  const pgUrl = process.env.FIVESTEP_TEST_PG_URL;
  const dbName = `fivestep_scale_${process.pid}_${Date.now()}`;
  let databaseUrl = "";
  let a: Instance | undefined;
  let b: Instance | undefined;

  beforeAll(async () => {
    if (!pgUrl) {
      throw new Error(
        "FIVESTEP_TEST_PG_URL is not set: this test needs PostgreSQL (tooling/scripts/test.sh starts one)",
      );
    }
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`create database "${dbName}"`);
    await admin.end();
    const u = new URL(pgUrl);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
    // The first instance migrates and loads the demo; the second only migrates (nothing to do)
    // and serves, as a second replica would.
    a = await startInstance(databaseUrl, true);
    b = await startInstance(databaseUrl, false);
  }, 120_000);

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    if (pgUrl) {
      const admin = new pg.Client({ connectionString: pgUrl });
      await admin.connect();
      await admin.query(`drop database if exists "${dbName}" with (force)`);
      await admin.end();
    }
  });

  const servers = () => {
    if (!a || !b) throw new Error("servers not started");
    return { a, b };
  };

  it("runs on PostgreSQL, not SQLite", () => {
    const { a } = servers();
    expect(a.output()).toMatch(/Fivestep is running on postgres(ql)?:\/\//);
  });

  it("accepts a session started on one instance on the other, and ends it on both", async () => {
    const { a, b } = servers();
    const cookie = await signIn(
      a.url,
      "lead@coventry.example",
      passwordOf(a.output(), "lead@coventry.example"),
    );
    const meOnB = await ok(trpc<{ email: string } | null>(b.url, "query", "auth.me", undefined, cookie));
    expect(meOnB?.email).toBe("lead@coventry.example");
    const mine = await ok(
      trpc<Array<{ name: string }>>(b.url, "query", "partnership.mine", undefined, cookie),
    );
    expect(mine.map((p) => p.name)).toContain("Coventry Partnership");

    await ok(trpc(b.url, "mutation", "auth.signOut", null, cookie));
    expect(await ok(trpc(a.url, "query", "auth.me", undefined, cookie))).toBeNull();
  });

  it("keeps optimistic concurrency across instances: of two edits at one version, one is a CONFLICT", async () => {
    const { a, b } = servers();
    const password = passwordOf(a.output(), "lead@coventry.example");
    const onA = await signIn(a.url, "lead@coventry.example", password);
    const onB = await signIn(b.url, "lead@coventry.example", password);
    const [partnership] = await ok(
      trpc<Array<{ id: number; name: string }>>(a.url, "query", "partnership.mine", undefined, onA),
    );
    if (!partnership) throw new Error("the lead has no partnership");
    const partnershipId = partnership.id;
    const plans = await ok(
      trpc<Array<{ id: number; version: number; title: string; vision: string; startYear: number }>>(
        a.url,
        "query",
        "plan.list",
        { partnershipId },
        onA,
      ),
    );
    const plan = plans[0];
    if (!plan) throw new Error("no demo plan");
    const edit = (base: string, cookie: string, title: string) =>
      trpc<{ version: number; title: string }>(
        base,
        "mutation",
        "plan.update",
        {
          partnershipId,
          planId: plan.id,
          version: plan.version,
          title,
          vision: plan.vision,
          startYear: plan.startYear,
        },
        cookie,
      );
    const results = await Promise.all([edit(a.url, onA, "Edited on A"), edit(b.url, onB, "Edited on B")]);
    const oks = results.filter((r) => r.ok);
    const conflicts = results.filter((r) => !r.ok && r.code === "CONFLICT");
    expect(oks).toHaveLength(1);
    expect(conflicts).toHaveLength(1);

    // Both instances now read the winner's title at the next version.
    const winner = (oks[0] as { data: { title: string } }).data.title;
    for (const [base, cookie] of [
      [a.url, onA],
      [b.url, onB],
    ] as const) {
      const now = (
        await ok(
          trpc<Array<{ id: number; version: number; title: string }>>(
            base,
            "query",
            "plan.list",
            { partnershipId },
            cookie,
          ),
        )
      ).find((p) => p.id === plan.id);
      expect(now).toMatchObject({ title: winner, version: plan.version + 1 });
    }
  });

  it("shows data imported through one instance on the other", async () => {
    const { a, b } = servers();
    const password = passwordOf(a.output(), "admin@fivestep.example");
    const onA = await signIn(a.url, "admin@fivestep.example", password);
    const onB = await signIn(b.url, "admin@fivestep.example", password);
    const csv = [
      "indicator,area,period,value",
      "NI 151,E08000026,2031 Q1,81.5",
      "NI 151,E08000031,2031 Q1,64.25",
    ].join("\n");
    const upload = await fetch(`${a.url}/api/imports?name=scale-out.csv`, {
      method: "POST",
      headers: { cookie: onA, "content-type": "text/csv" },
      body: csv,
    });
    expect(upload.status).toBe(201);
    const { fileId } = (await upload.json()) as { fileId: number };
    const mapping = {
      source: "Scale-out test",
      columns: { indicator: "indicator", area: "area", period: "period", value: "value" },
      indicatorValues: {},
    };
    const preview = await ok(
      trpc<{ accepted: number; rejected: number }>(
        a.url,
        "mutation",
        "imports.preview",
        { fileId, mapping },
        onA,
      ),
    );
    expect(preview).toMatchObject({ accepted: 2, rejected: 0 });
    const commit = await ok(
      trpc<{ ok: boolean; result?: { batchId: number; inserted: number } }>(
        a.url,
        "mutation",
        "imports.commit",
        { fileId },
        onA,
      ),
    );
    expect(commit.ok).toBe(true);
    expect(commit.result?.inserted).toBe(2);

    const batches = await ok(
      trpc<Array<{ id: number; inserted: number }>>(b.url, "query", "imports.batches", {}, onB),
    );
    expect(batches[0]).toMatchObject({ id: commit.result?.batchId, inserted: 2 });
    const series = await ok(
      trpc<{ series: Array<{ areaCode: string; points: Array<{ period: string; value: number }> }> }>(
        b.url,
        "query",
        "observation.series",
        { indicatorCode: "NI 151", areaCodes: ["E08000026", "E08000031"] },
        onB,
      ),
    );
    expect(series.series.map((s) => [s.areaCode, s.points.at(-1)])).toEqual([
      ["E08000026", expect.objectContaining({ period: "2031 Q1", value: 81.5, lower: null, upper: null })],
      ["E08000031", expect.objectContaining({ period: "2031 Q1", value: 64.25, lower: null, upper: null })],
    ]);
  });

  it("runs an import's commit as a job started through one instance and reported through the other", async () => {
    const { a, b } = servers();
    const password = passwordOf(a.output(), "admin@fivestep.example");
    const onA = await signIn(a.url, "admin@fivestep.example", password);
    const onB = await signIn(b.url, "admin@fivestep.example", password);
    const csv = ["area,period,value", "E08000026,2031 Q2,80.5", "E08000031,2031 Q2,63.75"].join("\n");
    const upload = await fetch(`${a.url}/api/imports?name=scale-out-job.csv`, {
      method: "POST",
      headers: { cookie: onA, "content-type": "text/csv" },
      body: csv,
    });
    expect(upload.status).toBe(201);
    const { fileId } = (await upload.json()) as { fileId: number };
    const mapping = {
      source: "Scale-out job test",
      indicatorCode: "NI 151",
      columns: { area: "area", period: "period", value: "value" },
    };
    await ok(trpc(a.url, "mutation", "imports.preview", { fileId, mapping }, onA));
    const { jobId } = await ok(
      trpc<{ jobId: number }>(a.url, "mutation", "imports.startCommit", { fileId }, onA),
    );
    type Job = {
      state: string;
      result: { ok: boolean; result?: { inserted: number } } | null;
      error: string | null;
    };
    let job: Job;
    // pg-boss hands the job to one of the two instances; B reads its row whichever runs it.
    for (;;) {
      job = await ok(trpc<Job>(b.url, "query", "jobs.get", { jobId }, onB));
      if (job.state !== "queued" && job.state !== "running") break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(job).toMatchObject({
      state: "succeeded",
      error: null,
      result: { ok: true, result: { inserted: 2 } },
    });
  });
});
