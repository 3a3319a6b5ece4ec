import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, sqliteHandleOf } from "@fivestep/db";
import { afterAll, describe, expect, it } from "vitest";
import { type Client, type ServerProcess, signIn, startCli } from "./testing/real-server.ts";

/**
 * Crash safety: the real CLI server is killed with SIGKILL (no shutdown, no checkpoint) in the
 * middle of a large import and in the middle of plan edits. After a restart the SQLite file
 * passes `PRAGMA integrity_check` and holds each change whole or not at all.
 */

const ROWS = Number(process.env.CRASH_IMPORT_ROWS ?? 200_000);
const AREAS = 400;
const areaCode = (a: number) => `E0${String(9_000_000 + a)}`;

function lookupCsv(): string {
  let text = "LAD19CD,LAD19NM\n";
  for (let a = 0; a < AREAS; a++) text += `${areaCode(a)},Crash test area ${a}\n`;
  return text;
}

/** NI 151 for every (area, quarter) once: ROWS distinct values. */
function bigCsv(rows: number): Buffer {
  const lines = ["area,period,value"];
  for (let k = 0; k < rows; k++) {
    const area = k % AREAS;
    const q = Math.floor(k / AREAS);
    lines.push(`${areaCode(area)},${1800 + Math.floor(q / 4)} Q${(q % 4) + 1},${((k * 7919) % 10000) / 100}`);
  }
  return Buffer.from(`${lines.join("\n")}\n`);
}

/** Opens the file as a fresh process would after the crash (recovering the WAL) and checks it. */
async function inspect<T>(file: string, read: (raw: NonNullable<ReturnType<typeof sqliteHandleOf>>) => T) {
  const db = createDb(file);
  try {
    const raw = sqliteHandleOf(db);
    if (!raw) throw new Error("not SQLite");
    expect(raw.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(raw.pragma("foreign_key_check")).toEqual([]);
    return read(raw);
  } finally {
    await db.destroy();
  }
}

const count = (raw: NonNullable<ReturnType<typeof sqliteHandleOf>>, sql: string): number =>
  Number((raw.prepare(sql).get() as { n: number }).n);

async function restartAndCheck(file: string): Promise<void> {
  const again = await startCli(file);
  try {
    const health = await fetch(`${again.url}/healthz`);
    expect(health.status).toBe(200);
    const series = await fetch(
      `${again.url}/trpc/observation.series?input=${encodeURIComponent(JSON.stringify({ indicatorCode: "NI 151", areaCodes: ["E08000026"] }))}`,
    );
    expect(series.status).toBe(200);
  } finally {
    await again.stop();
  }
}

describe("SIGKILL in the middle of work", () => {
  const dir = mkdtempSync(join(tmpdir(), "fivestep-crash-"));
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) await s.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`keeps a ${ROWS.toLocaleString("en-GB")}-row import whole or absent`, { timeout: 300_000 }, async () => {
    const file = join(dir, "import.db");
    const server = await startCli(file, { demo: true });
    servers.push(server);
    const admin = await signIn(
      server.url,
      "admin@fivestep.example",
      server.passwords.get("admin@fivestep.example") ?? "",
    );

    const lookup = await admin.upload("lookup.csv", lookupCsv());
    await admin.mutate("area.import", { fileId: lookup.fileId });
    const { fileId } = await admin.upload("big.csv", bigCsv(ROWS));
    const mapping = {
      source: "Crash test",
      indicatorCode: "NI 151",
      columns: { area: "area", period: "period", value: "value" },
    };
    const previewStarted = performance.now();
    const check = await admin.mutate<{ problemCount: number; accepted: number }>("imports.preview", {
      fileId,
      mapping,
    });
    const previewMs = performance.now() - previewStarted;
    expect(check.problemCount).toBe(0);

    const before = await inspect(file, (raw) => ({
      observations: count(raw, "select count(*) as n from observation"),
      batches: count(raw, "select count(*) as n from import_batch"),
      audits: count(raw, "select count(*) as n from audit_event where entity = 'import_batch'"),
    }));
    const wal = `${file}-wal`;
    const walBefore = existsSync(wal) ? statSync(wal).size : 0;

    // The commit holds the single SQLite connection for its whole transaction, so imports.status
    // answers only after it; the test kills at 40% of the preview's time instead, while the commit's
    // HTTP answer is still outstanding, and records how far the WAL had grown.
    let settled = false;
    const commit = admin.mutate("imports.commit", { fileId }).then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    // Kill once the transaction has spilled pages into the WAL (it is writing), or at 80% of the
    // preview's time, whichever comes first.
    const commitStarted = performance.now();
    const walSize = () => (existsSync(wal) ? statSync(wal).size : 0);
    while (walSize() <= walBefore && performance.now() - commitStarted < Math.max(500, previewMs * 0.8))
      await new Promise((r) => setTimeout(r, 10));
    const killAt = performance.now() - commitStarted;
    const walAtKill = walSize();
    expect(settled, "the commit must still be running when the server is killed").toBe(false);
    await server.kill();
    await commit;
    console.log(
      `crash: killed the import commit after ${Math.round(killAt)} ms (preview took ${Math.round(previewMs)} ms); WAL ${walBefore} → ${walAtKill} bytes`,
    );

    const after = await inspect(file, (raw) => ({
      observations: count(raw, "select count(*) as n from observation"),
      batches: count(raw, "select count(*) as n from import_batch"),
      audits: count(raw, "select count(*) as n from audit_event where entity = 'import_batch'"),
      batchRows: count(
        raw,
        "select count(*) as n from observation where batch_id = (select max(id) from import_batch)",
      ),
    }));
    const whole =
      after.observations === before.observations + ROWS &&
      after.batches === before.batches + 1 &&
      after.audits === before.audits + 1;
    const none =
      after.observations === before.observations &&
      after.batches === before.batches &&
      after.audits === before.audits;
    console.log(`crash: after restart the import is ${whole ? "whole" : none ? "absent" : "PARTIAL"}`, after);
    expect(whole || none, JSON.stringify({ before, after })).toBe(true);
    await restartAndCheck(file);
    await inspect(file, () => undefined);
  });

  it("keeps every plan edit whole or absent, and every acknowledged edit", { timeout: 180_000 }, async () => {
    const file = join(dir, "plan.db");
    const server = await startCli(file, { demo: true });
    servers.push(server);
    const leadEmail = "lead@coventry.example";
    const lead: Client = await signIn(server.url, leadEmail, server.passwords.get(leadEmail) ?? "");
    const priorities = await inspect(file, (raw) => {
      const partnershipId = (
        raw.prepare("select id from partnership where name = 'Coventry Partnership'").get() as { id: number }
      ).id;
      const rows = raw
        .prepare(
          "select p.id, p.version, p.theme, p.title, p.owner_name from priority p join plan on plan.id = p.plan_id where plan.partnership_id = ?",
        )
        .all(partnershipId) as Array<{
        id: number;
        version: number;
        theme: string;
        title: string;
        owner_name: string;
      }>;
      return rows.map((r) => ({ ...r, partnershipId }));
    });
    expect(priorities.length).toBeGreaterThan(0);
    const startVersion = new Map(priorities.map((p) => [p.id, p.version]));
    const acknowledged = new Map<number, number>();
    let stop = false;
    let failures = 0;
    const loops = priorities.map(async (p) => {
      let version = p.version;
      for (let n = 1; !stop; n++) {
        try {
          const saved = await lead.mutate<{ version: number }>("priority.update", {
            partnershipId: p.partnershipId,
            priorityId: p.id,
            version,
            theme: p.theme,
            title: `${p.title.slice(0, 150)} (edit ${n})`,
            ownerName: p.owner_name,
          });
          version = saved.version;
          acknowledged.set(p.id, version);
        } catch {
          failures++;
          return;
        }
      }
    });
    await new Promise((r) => setTimeout(r, 1500 + Math.random() * 500));
    await server.kill();
    stop = true;
    await Promise.all(loops);
    expect(acknowledged.size).toBeGreaterThan(0);

    await inspect(file, (raw) => {
      for (const p of priorities) {
        const row = raw.prepare("select version, title from priority where id = ?").get(p.id) as {
          version: number;
          title: string;
        };
        const audits = raw
          .prepare(
            "select after_json from audit_event where entity = 'priority' and action = 'update' and entity_id = ? order by id",
          )
          .all(String(p.id)) as Array<{ after_json: string }>;
        // Every acknowledged edit is there; each stored edit has its audit entry and no more.
        expect(row.version).toBeGreaterThanOrEqual(acknowledged.get(p.id) ?? p.version);
        expect(audits.length, `priority ${p.id}`).toBe(row.version - (startVersion.get(p.id) ?? 0));
        if (audits.length > 0) expect(audits.at(-1)?.after_json).toContain(JSON.stringify(row.title));
      }
    });
    console.log(
      `crash: killed during plan edits after ${[...acknowledged.values()].reduce((a, v) => a + v, 0)} acknowledged versions (${failures} loops cut off by the kill)`,
    );
    await restartAndCheck(file);
  });
});
