import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import type { Database } from "./database.ts";

/** Which engine a URL names. @example dialectOf("postgres://localhost/fivestep") // "postgres" */
export function dialectOf(url: string): "sqlite" | "postgres" {
  return /^postgres(ql)?:\/\//i.test(url) ? "postgres" : "sqlite";
}

/** The SQLite file a `file:` URL or plain path names; ":memory:" stays in memory. */
function sqlitePath(url: string): string {
  if (url === ":memory:" || url === "file::memory:") return ":memory:";
  return url.replace(/^file:(\/\/)?/, "");
}

// PostgreSQL sends bigint (count(*)) and numeric as strings; Fivestep's values fit in a double, so
// read them as numbers and let SQLite and PostgreSQL return the same shapes.
const pgTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

// The better-sqlite3 handle behind each SQLite Kysely instance, for the bulk observation writer:
// a prepared statement per row is an order of magnitude faster than building each query with
// Kysely, and the statements run on the same (single) connection, so inside the same transaction.
const sqliteHandles = new WeakMap<Kysely<Database>, SQLite.Database>();

/**
 * The better-sqlite3 handle behind a database made by `createDb`, or undefined for PostgreSQL.
 * Only repositories use it, and only inside a transaction begun on `db`.
 *
 * @example const raw = sqliteHandleOf(db); raw?.prepare("select 1").get();
 */
export function sqliteHandleOf(db: Kysely<Database>): SQLite.Database | undefined {
  return sqliteHandles.get(db);
}

/**
 * Opens a database: a SQLite file (created with its folder if missing; WAL, foreign keys on), an
 * in-memory SQLite database for ":memory:", or PostgreSQL for a postgres:// URL. Run
 * `migrateToLatest` before use; call `db.destroy()` to close.
 *
 * @example
 * const db = createDb("./data/fivestep.db");
 * await migrateToLatest(db);
 */
export function createDb(url: string, options: { poolSize?: number } = {}): Kysely<Database> {
  if (dialectOf(url) === "postgres") {
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, types: pgTypes });
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  const path = sqlitePath(url);
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  if (path !== ":memory:") sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  sqliteHandles.set(db, sqlite);
  return db;
}
