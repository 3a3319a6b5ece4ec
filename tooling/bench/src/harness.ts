// What a benchmark needs around the code it measures: a free port, the real server as a child
// process, a signed-in cookie, an autocannon run, and a throwaway PostgreSQL cluster and database.
// Used by src/national.ts; run.ts keeps its own copies of the first four for now.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

/** The repository's root folder. @example join(root, "docs/benchmarks.md") */
export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** A port nobody listens on right now. @example const port = await freePort(); */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const a = srv.address();
      srv.close(() => (typeof a === "object" && a ? resolve(a.port) : reject(new Error("no port"))));
    });
  });
}

/** A running server process. */
export interface Server {
  url: string;
  /** The server's process id (for a profiler attached from outside). */
  pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * Starts `fivestep start` on a free port against `databaseUrl`, as `pnpm start` would, and waits
 * until it says it is running.
 *
 * @example const server = await startServer("/tmp/x/bench.db", "/tmp/x"); await server.stop();
 */
export async function startServer(
  databaseUrl: string,
  cwd: string,
  options: { nodeArgs?: string[]; args?: string[]; env?: Record<string, string> } = {},
): Promise<Server> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      join(root, "apps/server/bin/fivestep.mjs"),
      "start",
      "--port",
      String(port),
      ...(options.args ?? []),
    ],
    {
      cwd,
      env: { ...process.env, ...options.env, DATABASE_URL: databaseUrl, LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      if (output.includes("Fivestep is running")) {
        clearInterval(check);
        resolve();
      }
    }, 50);
    child.once("exit", (code) => {
      clearInterval(check);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * Signs in through `auth.signIn` and returns the session cookie ("name=value").
 *
 * @example const cookie = await signIn(server.url, "viewer@national.example", "secret");
 */
export async function signIn(base: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/trpc/auth.signIn`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (!res.ok || !cookie) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return cookie;
}

/** What one autocannon run measured. */
export interface Load {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
}

/**
 * Runs autocannon against one URL (GET), with the cookie when given.
 *
 * @example const r = await load(`${url}/trpc/auth.me`, null, { connections: 8, seconds: 10 }); r.p99
 */
export async function load(
  url: string,
  cookie: string | null,
  options: { connections: number; seconds: number },
): Promise<Load> {
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    headers: cookie ? { cookie } : {},
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    requests: result.requests.total,
  };
}

/** The small part of `pg` a benchmark uses (pg comes from the db package; this one does not depend on it). */
export interface PgClient {
  connect(): Promise<void>;
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
  end(): Promise<void>;
}

/**
 * A connected `pg` client for `url`.
 *
 * @example const c = await pgClient(url); await c.query("select 1"); await c.end();
 */
export async function pgClient(url: string): Promise<PgClient> {
  const pg = createRequire(join(root, "packages/db/package.json"))("pg") as {
    Client: new (o: { connectionString: string }) => PgClient;
  };
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/**
 * A PostgreSQL server: `FIVESTEP_TEST_PG_URL` when set, else a throwaway cluster from
 * tooling/scripts/ensure-postgres.sh, stopped by `stop()`.
 *
 * @example const pg = startPostgres(); try { … pg.url … } finally { pg.stop(); }
 */
export function startPostgres(): { url: string; stop(): void } {
  const given = process.env.FIVESTEP_TEST_PG_URL;
  if (given) return { url: given, stop() {} };
  const script = join(root, "tooling/scripts/ensure-postgres.sh");
  const env = execFileSync("bash", [script, "start"], { encoding: "utf8" });
  const vars = Object.fromEntries(
    env
      .split("\n")
      .filter((l) => l.startsWith("export "))
      .map((l) => l.slice(7).split("=", 2) as [string, string]),
  );
  const dir = vars.FIVESTEP_PG_DIR;
  const url = vars.FIVESTEP_TEST_PG_URL;
  if (!dir || !url) throw new Error(`ensure-postgres.sh said:\n${env}`);
  return {
    url: url.replace(/^["']|["']$/g, ""),
    stop() {
      execFileSync("bash", [script, "stop", dir]);
    },
  };
}
