import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
/** The CLI entry point the tests run, as people do. */
export const CLI = join(root, "apps/server/bin/fivestep.mjs");

/** A free loopback port. */
export async function freePort(): Promise<number> {
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

/** A server process started with `fivestep start` on a SQLite file. */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** The demo accounts' passwords, as printed at start (with --demo). */
  passwords: Map<string, string>;
  /** Everything it printed so far. */
  output(): string;
  /** SIGKILL: no shutdown hooks, no checkpoint, as a power cut or the OOM killer. */
  kill(): Promise<void>;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
}

/**
 * Starts `node apps/server/bin/fivestep.mjs start [--demo]` with DATABASE_URL = `dbFile`, on a
 * free port, and waits for its address (and the demo credentials).
 *
 * @example const server = await startCli(join(dir, "fivestep.db"), { demo: true });
 */
export async function startCli(
  dbFile: string,
  o: { demo?: boolean; env?: Record<string, string> } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    // As in production (tooling/scripts/demo.sh): a heap ceiling, so V8 collects before the
    // process grows towards the machine's memory.
    [
      `--max-old-space-size=${process.env.FIVESTEP_HEAP_MB ?? 512}`,
      CLI,
      "start",
      ...(o.demo ? ["--demo"] : []),
      "--port",
      String(port),
    ],
    {
      cwd: dirname(dbFile),
      env: { ...process.env, DATABASE_URL: dbFile, LOG_LEVEL: "warn", ...o.env },
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
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${output}`)), 60_000);
    const check = setInterval(() => {
      const ready = output.includes("Fivestep is running");
      const credentials = !o.demo || /admin@fivestep\.example\s+\S+/.test(output);
      if (ready && credentials) {
        clearTimeout(timer);
        clearInterval(check);
        resolve();
      }
    }, 25);
    child.once("exit", (code) => {
      clearTimeout(timer);
      clearInterval(check);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  const passwords = new Map<string, string>();
  for (const m of output.matchAll(/^\s+(\S+@\S+)\s+(\S+)\s{3}/gm))
    passwords.set(m[1] as string, m[2] as string);
  const exited = new Promise<void>((r) => {
    if (child.exitCode !== null || child.signalCode !== null) r();
    else child.once("exit", () => r());
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    passwords,
    output: () => output,
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Runs a CLI command to the end; returns its exit code and output. */
export function runCli(args: string[], env: Record<string, string>): { code: number; out: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

/** A signed-in HTTP client for a running server: tRPC calls with its session cookie. */
export interface Client {
  cookie: string;
  query<T>(path: string, input?: unknown): Promise<T>;
  mutate<T>(path: string, input?: unknown, signal?: AbortSignal): Promise<T>;
  upload(name: string, body: Buffer | string): Promise<{ fileId: number }>;
}

/** A tRPC error answer, with its code. */
export class TrpcFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function answer<T>(res: Response): Promise<T> {
  const body = (await res.json()) as {
    result?: { data: T };
    error?: { message: string; data?: { code?: string } };
  };
  if (body.error) throw new TrpcFailure(res.status, body.error.data?.code ?? "?", body.error.message);
  return body.result?.data as T;
}

/**
 * Signs in over HTTP and returns a client with the session cookie.
 *
 * @example const admin = await signIn(server.url, "admin@fivestep.example", password);
 */
export async function signIn(url: string, email: string, password: string): Promise<Client> {
  const res = await fetch(`${url}/trpc/auth.signIn`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const headers = { cookie };
  return {
    cookie,
    query: async <T>(path: string, input?: unknown) =>
      answer<T>(
        await fetch(
          `${url}/trpc/${path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
          { headers },
        ),
      ),
    mutate: async <T>(path: string, input?: unknown, signal?: AbortSignal) =>
      answer<T>(
        await fetch(`${url}/trpc/${path}`, {
          method: "POST",
          headers: { ...headers, "content-type": "application/json" },
          body: JSON.stringify(input ?? null),
          ...(signal ? { signal } : {}),
        }),
      ),
    upload: async (name: string, body: Buffer | string) => {
      const res = await fetch(`${url}/api/imports?name=${encodeURIComponent(name)}`, {
        method: "POST",
        headers: { ...headers, "content-type": "text/csv" },
        body,
      });
      if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
      return (await res.json()) as { fileId: number };
    },
  };
}
