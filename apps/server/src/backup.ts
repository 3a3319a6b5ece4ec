import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { createDb, dialectOf, migrations, sqliteHandleOf } from "@fivestep/db";

/** A backup or restore that was refused; `message` says why and what to do. */
export class BackupError extends Error {}

const POSTGRES_HINT =
  "This database is PostgreSQL: back it up with pg_dump and restore it with pg_restore (see SECURITY.md).";

/** The SQLite file a database URL names (as `createDb` reads it). */
export function sqliteFileOf(url: string): string {
  if (dialectOf(url) === "postgres") throw new BackupError(POSTGRES_HINT);
  if (url === ":memory:" || url === "file::memory:")
    throw new BackupError("An in-memory database cannot be backed up or restored.");
  return resolve(url.replace(/^file:(\/\/)?/, ""));
}

type Db = ReturnType<typeof createDb>;

/**
 * Closes a database opened only to use its SQLite handle: Kysely connects lazily, so `destroy`
 * alone leaves a handle that never ran a Kysely query open (and the file locked).
 */
async function close(db: Db): Promise<void> {
  await db.destroy();
  const raw = sqliteHandleOf(db);
  if (raw?.open) raw.close();
}

/** Opens a SQLite file, turning "file is not a database" into a BackupError. */
function open(path: string): Db {
  try {
    return createDb(path);
  } catch (error) {
    throw new BackupError(
      `${basename(path)} is not a SQLite database (${error instanceof Error ? error.message : error})`,
    );
  }
}

function fsyncFile(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function removeSidecars(path: string): void {
  for (const suffix of ["-wal", "-shm", "-journal"]) rmSync(`${path}${suffix}`, { force: true });
}

/**
 * Checks that a SQLite file is a sound Fivestep database: `PRAGMA integrity_check` answers "ok",
 * it has Fivestep's migrations table, and no migration this version does not know (a backup from
 * a newer Fivestep). Returns the number of tables. Opens the file it is given, so call it on a copy.
 *
 * @example await verifyFivestepFile("/tmp/copy.db") // 24
 */
export async function verifyFivestepFile(path: string): Promise<number> {
  const db = open(path);
  try {
    const raw = sqliteHandleOf(db);
    if (!raw) throw new BackupError("not a SQLite database");
    let integrity: unknown;
    try {
      integrity = raw.pragma("integrity_check", { simple: true });
    } catch (error) {
      throw new BackupError(
        `${basename(path)} is not a SQLite database (${error instanceof Error ? error.message : error})`,
      );
    }
    if (integrity !== "ok") throw new BackupError(`The integrity check failed: ${String(integrity)}`);
    const tables = raw
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
      .all() as Array<{ name: string }>;
    const names = new Set(tables.map((t) => t.name));
    if (!names.has("kysely_migration") || !names.has("observation"))
      throw new BackupError("This SQLite file is not a Fivestep database (no Fivestep tables).");
    const applied = raw.prepare("select name from kysely_migration").all() as Array<{ name: string }>;
    const unknown = applied.map((m) => m.name).filter((n) => !(n in migrations));
    if (unknown.length > 0)
      throw new BackupError(
        `The backup comes from a newer Fivestep (migrations ${unknown.join(", ")}); upgrade first.`,
      );
    return names.size;
  } finally {
    await close(db);
  }
}

/**
 * `fivestep backup <file>`: SQLite's online backup API, page by page, consistent even while the
 * server runs and writes. Writes a temporary file beside the target, checks it, then renames it
 * into place, so `file` is either the old one or a complete backup. Refuses PostgreSQL.
 *
 * @example const { bytes } = await backupDatabase("./data/fivestep.db", "/backups/fivestep-2024-01-01.db");
 */
export async function backupDatabase(url: string, file: string): Promise<{ file: string; bytes: number }> {
  const source = sqliteFileOf(url);
  if (!existsSync(source)) throw new BackupError(`There is no database at ${source}.`);
  const target = resolve(file);
  if (target === source) throw new BackupError("The backup must not be the database file itself.");
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  const db = createDb(source);
  try {
    const raw = sqliteHandleOf(db);
    if (!raw) throw new BackupError("not a SQLite database");
    await raw.backup(temp);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  } finally {
    await close(db);
  }
  try {
    await verifyFivestepFile(temp);
    // A backup is one self-contained file: fold the WAL back in and leave rollback-journal mode.
    const check = createDb(temp);
    sqliteHandleOf(check)?.pragma("journal_mode = DELETE");
    await close(check);
    removeSidecars(temp);
    fsyncFile(temp);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    removeSidecars(temp);
    throw error;
  }
  return { file: target, bytes: statSync(target).size };
}

/** Whether some process (a running server) has the SQLite file open: its exclusive lock is refused. */
async function inUse(path: string): Promise<boolean> {
  if (!existsSync(path)) return false;
  // better-sqlite3 is @fivestep/db's dependency: reach its constructor through a handle.
  const memory = createDb(":memory:");
  const Sqlite = sqliteHandleOf(memory)?.constructor as
    | (new (
        file: string,
        o: { timeout: number },
      ) => NonNullable<ReturnType<typeof sqliteHandleOf>>)
    | undefined;
  await close(memory);
  if (!Sqlite) throw new BackupError("SQLite is not available");
  // A connection in EXCLUSIVE locking mode, before its first read, cannot lock a file that
  // another connection has open in WAL mode.
  const probe = new Sqlite(path, { timeout: 200 });
  try {
    probe.pragma("locking_mode = EXCLUSIVE");
    probe.exec("BEGIN EXCLUSIVE");
    probe.exec("COMMIT");
    return false;
  } catch {
    return true;
  } finally {
    probe.close();
  }
}

/**
 * `fivestep restore <file>`: replaces the database with a backup. The rule: it refuses while any
 * process (a running server, another CLI command) has the database open — stop the server first —
 * and refuses a file that is not a sound Fivestep SQLite database (integrity check, Fivestep
 * tables, no unknown migrations). Copies the backup beside the database, checks the copy, removes
 * the old database's stale -wal/-shm files and renames the copy into place: the database is the
 * old one or the restored one, never a mixture. Start the server afterwards (it migrates an older
 * backup to the current schema).
 *
 * @example await restoreDatabase("./data/fivestep.db", "/backups/fivestep-2024-01-01.db");
 */
export async function restoreDatabase(url: string, file: string): Promise<{ file: string; tables: number }> {
  const target = sqliteFileOf(url);
  const source = resolve(file);
  if (!existsSync(source)) throw new BackupError(`There is no file ${source}.`);
  if (source === target) throw new BackupError("The backup is the database file itself.");
  if (await inUse(target))
    throw new BackupError(
      `The database ${target} is in use (is the server running?). Stop the server, then restore.`,
    );
  const temp = join(dirname(target), `.${basename(target)}.restore-${process.pid}.tmp`);
  let tables: number;
  try {
    copyFileSync(source, temp);
    for (const suffix of ["-wal"]) {
      if (existsSync(`${source}${suffix}`)) copyFileSync(`${source}${suffix}`, `${temp}${suffix}`);
    }
    tables = await verifyFivestepFile(temp);
    const db = createDb(temp);
    sqliteHandleOf(db)?.pragma("journal_mode = DELETE");
    await close(db);
    removeSidecars(temp);
    fsyncFile(temp);
    if (await inUse(target)) throw new BackupError(`The database ${target} came into use; stop the server.`);
    removeSidecars(target);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    removeSidecars(temp);
    throw error;
  }
  return { file: target, tables };
}
