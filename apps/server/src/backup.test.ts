import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, sqliteHandleOf } from "@fivestep/db";
import { afterAll, describe, expect, it } from "vitest";
import { BackupError, backupDatabase, restoreDatabase } from "./backup.ts";
import { runCli, signIn, startCli } from "./testing/real-server.ts";

/** Every table's rows, in a stable order, as text: two databases with equal dumps hold the same data. */
async function dump(file: string): Promise<Record<string, { count: number; rows: string }>> {
  const db = createDb(file);
  try {
    const raw = sqliteHandleOf(db);
    if (!raw) throw new Error("not SQLite");
    const tables = raw
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name",
      )
      .all() as Array<{ name: string }>;
    const out: Record<string, { count: number; rows: string }> = {};
    for (const { name } of tables) {
      const rows = raw.prepare(`select * from "${name}" order by 1, 2`).all();
      out[name] = { count: rows.length, rows: JSON.stringify(rows) };
    }
    return out;
  } finally {
    await db.destroy();
  }
}

describe("backup and restore", () => {
  const dir = mkdtempSync(join(tmpdir(), "fivestep-backup-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("backs up while the server runs and writes; restore into a fresh file gives every table back", {
    timeout: 180_000,
  }, async () => {
    const live = join(dir, "live.db");
    const server = await startCli(live, { demo: true });
    try {
      const admin = await signIn(
        server.url,
        "admin@fivestep.example",
        server.passwords.get("admin@fivestep.example") ?? "",
      );
      // Writes keep going during the backup.
      let writing = true;
      const writer = (async () => {
        for (let n = 0; writing; n++)
          await admin.mutate("comparatorGroup.create", { name: `Group ${n}`, areaCodes: ["E08000026"] });
      })();
      await new Promise((r) => setTimeout(r, 200));
      const backup = join(dir, "backup.db");
      const made = runCli(["backup", backup], { DATABASE_URL: live });
      expect(made.code, made.out).toBe(0);
      expect(made.out).toMatch(/^Backed up .* to .*backup\.db \(\d+ bytes\)\./m);
      writing = false;
      await writer;

      // While the server has the database open, restore refuses.
      const refused = runCli(["restore", backup], { DATABASE_URL: live });
      expect(refused.code).toBe(1);
      expect(refused.out).toContain("is in use (is the server running?)");

      const restored = join(dir, "restored.db");
      const ok = runCli(["restore", backup], { DATABASE_URL: restored });
      expect(ok.code, ok.out).toBe(0);
      expect(existsSync(`${restored}-wal`)).toBe(false);
      const [a, b] = [await dump(backup), await dump(restored)];
      expect(Object.keys(b)).toEqual(Object.keys(a));
      for (const table of Object.keys(a)) expect(b[table], table).toEqual(a[table]);
      expect(a.comparator_group?.count).toBeGreaterThan(0);
      expect(a.observation?.count).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
  });

  it("restores over a stopped server's database, replacing its stale -wal and -shm", async () => {
    const source = join(dir, "source.db");
    const seed = runCli(["seed-demo"], { DATABASE_URL: source });
    expect(seed.code, seed.out).toBe(0);
    const backup = join(dir, "source-backup.db");
    await backupDatabase(source, backup);
    const target = join(dir, "target.db");
    writeFileSync(target, "");
    writeFileSync(`${target}-wal`, "stale");
    writeFileSync(`${target}-shm`, "stale");
    await restoreDatabase(target, backup);
    expect(existsSync(`${target}-wal`)).toBe(false);
    expect(existsSync(`${target}-shm`)).toBe(false);
    expect(await dump(target)).toEqual(await dump(source));
  });

  it("refuses a file that is not a sound Fivestep database, and PostgreSQL", async () => {
    const junk = join(dir, "junk.db");
    writeFileSync(junk, "this is not a database at all, just some text long enough to look like something");
    const target = join(dir, "untouched.db");
    await expect(restoreDatabase(target, junk)).rejects.toBeInstanceOf(BackupError);
    const other = join(dir, "other.db");
    const db = createDb(other);
    sqliteHandleOf(db)?.exec("create table notes (x text)");
    await db.destroy();
    await expect(restoreDatabase(target, other)).rejects.toThrow("not a Fivestep database");
    expect(existsSync(target)).toBe(false);
    await expect(backupDatabase("postgres://u:p@localhost/fivestep", join(dir, "x.db"))).rejects.toThrow(
      "pg_dump",
    );
    const cli = runCli(["backup", join(dir, "x.db")], {
      DATABASE_URL: "postgres://u:secret@localhost/fivestep",
    });
    expect(cli.code).toBe(1);
    expect(cli.out).toContain("pg_dump");
    expect(cli.out).not.toContain("secret");
  });
});
