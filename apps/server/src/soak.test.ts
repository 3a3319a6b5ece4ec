import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, sqliteHandleOf } from "@fivestep/db";
import { afterAll, describe, expect, it } from "vitest";
import { signIn, startCli } from "./testing/real-server.ts";

/**
 * A bounded soak on loopback: the real CLI server, CONNECTIONS concurrent keep-alive clients
 * mixing reads and writes for SOAK_SECONDS (default 60 in the test command; `pnpm test:durability`
 * runs the 5-minute soak). Zero errors; every acknowledged write is
 * in the database afterwards; the server's RSS at the start and end is printed and must not grow
 * by more than SOAK_MAX_RSS_GROWTH_MB (default 200).
 */
const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.SOAK_CONNECTIONS ?? 64);
const MAX_GROWTH_MB = Number(process.env.SOAK_MAX_RSS_GROWTH_MB ?? 200);

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return Math.round(kb / 1024);
}

const READS = [
  "/trpc/indicator.list",
  "/trpc/area.list",
  `/trpc/observation.series?input=${encodeURIComponent(JSON.stringify({ indicatorCode: "NI 151", areaCodes: ["E08000026", "E08000031"] }))}`,
  `/trpc/indicator.byCode?input=${encodeURIComponent(JSON.stringify({ code: "NI 151" }))}`,
  "/trpc/auth.me",
  "/healthz",
];

describe("soak", () => {
  const dir = mkdtempSync(join(tmpdir(), "fivestep-soak-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`serves ${CONNECTIONS} connections of mixed reads and writes for ${SECONDS} s without an error`, {
    timeout: (SECONDS + 180) * 1000,
  }, async () => {
    const file = join(dir, "soak.db");
    const server = await startCli(file, { demo: true });
    const pid = server.child.pid as number;
    try {
      const admin = await signIn(
        server.url,
        "admin@fivestep.example",
        server.passwords.get("admin@fivestep.example") ?? "",
      );
      const headers = { cookie: admin.cookie };
      const rssAtStart = rssMb(pid);
      const started = performance.now();
      const deadline = started + SECONDS * 1000;
      let rssAfterWarmUp: number | undefined;
      const warmUpAt = started + Math.min(10_000, SECONDS * 100);
      const acknowledged: string[] = [];
      const errors: string[] = [];
      let reads = 0;
      let writes = 0;
      const worker = async (w: number) => {
        for (let n = 0; performance.now() < deadline; n++) {
          if (rssAfterWarmUp === undefined && performance.now() >= warmUpAt) rssAfterWarmUp = rssMb(pid);
          try {
            if (n % 5 === 4) {
              const name = `Soak ${w}-${n}`;
              const res = await fetch(`${server.url}/trpc/comparatorGroup.create`, {
                method: "POST",
                headers: { ...headers, "content-type": "application/json" },
                body: JSON.stringify({ name, areaCodes: ["E08000026", "E08000031"] }),
              });
              const text = await res.text();
              if (res.status !== 200) errors.push(`write ${res.status}: ${text.slice(0, 200)}`);
              else acknowledged.push(name);
              writes++;
            } else {
              const res = await fetch(`${server.url}${READS[(w + n) % READS.length]}`, { headers });
              await res.arrayBuffer();
              if (res.status !== 200) errors.push(`read ${res.status}`);
              reads++;
            }
          } catch (error) {
            errors.push(`${error instanceof Error ? error.message : error}`);
          }
        }
      };
      await Promise.all(Array.from({ length: CONNECTIONS }, (_, w) => worker(w)));
      const seconds = (performance.now() - started) / 1000;
      const rssAtEnd = rssMb(pid);
      const baseline = rssAfterWarmUp ?? rssAtStart;
      console.log(
        `soak: ${CONNECTIONS} connections, ${seconds.toFixed(0)} s, ${reads + writes} requests (${reads} reads, ${writes} writes), ` +
          `${Math.round((reads + writes) / seconds)} req/s, ${errors.length} errors; ` +
          `RSS ${rssAtStart} MB at start, ${baseline} MB after warm-up, ${rssAtEnd} MB at end`,
      );
      expect(errors.slice(0, 5)).toEqual([]);
      expect(errors.length).toBe(0);

      await server.stop();
      const db = createDb(file);
      try {
        const raw = sqliteHandleOf(db);
        if (!raw) throw new Error("not SQLite");
        const stored = new Set(
          (
            raw.prepare("select name from comparator_group where name like 'Soak %'").all() as Array<{
              name: string;
            }>
          ).map((r) => r.name),
        );
        const missing = acknowledged.filter((name) => !stored.has(name));
        expect(missing).toEqual([]);
        expect(raw.pragma("integrity_check", { simple: true })).toBe("ok");
        console.log(`soak: all ${acknowledged.length} acknowledged writes found after the run`);
      } finally {
        await db.destroy();
        sqliteHandleOf(db)?.close();
      }
      expect(rssAtEnd, "RSS growth after warm-up, MB").toBeLessThan(baseline + MAX_GROWTH_MB);
    } finally {
      if (server.child.exitCode === null && server.child.signalCode === null) await server.kill();
    }
  });
});
