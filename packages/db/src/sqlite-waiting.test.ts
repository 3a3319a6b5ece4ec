import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createDb } from "./create-db.ts";
import { migrateToLatest } from "./migrations/index.ts";

// Two handles on one SQLite file, as the server and its job runner hold: while one writes in a
// long transaction, the other's writes wait for it without stopping the process (better-sqlite3's
// own busy wait is synchronous, so the transaction it waits for could never finish, and the write
// failed with SQLITE_BUSY after the timeout).
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function twoHandles() {
  const dir = mkdtempSync(join(tmpdir(), "fivestep-waiting-"));
  dirs.push(dir);
  const url = join(dir, "two.db");
  const first = createDb(url);
  await migrateToLatest(first);
  return { first, second: createDb(url) };
}

let n = 0;
const area = (name: string) => ({ code: `E0${++n}`, name, type: "district", parent_code: null });

describe("two connections to one SQLite file", () => {
  it("a write waits for the other connection's transaction, while the process carries on", async () => {
    const { first, second } = await twoHandles();
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const job = second.transaction().execute(async (trx) => {
      await trx.insertInto("area").values(area("Held by the job")).execute();
      await held; // the job goes on working (timers, I/O) while holding the write lock
    });
    // Let the job's transaction take the lock first.
    await new Promise((r) => setTimeout(r, 20));
    const write = first.insertInto("area").values(area("Written meanwhile")).execute();
    const transaction = first.transaction().execute(async (trx) => {
      const n = await trx
        .selectFrom("area")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirst();
      await trx
        .insertInto("area")
        .values(area(`After ${n?.n}`))
        .execute();
    });
    // The event loop is free: this timer fires and ends the job's transaction.
    setTimeout(release, 50);
    await Promise.all([job, write, transaction]);
    const names = (await first.selectFrom("area").select("name").orderBy("id").execute()).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(["Held by the job", "Written meanwhile"]));
    expect(names.filter((n) => n.startsWith("After "))).toHaveLength(1);
    await second.destroy();
    await first.destroy();
  });
});
