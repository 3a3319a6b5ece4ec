import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type Expression,
  Kysely,
  OperationNodeTransformer,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  PostgresDialect,
  type PostgresPool,
  type PostgresPoolClient,
  type PrimitiveValueListNode,
  type QueryResult,
  type RootOperationNode,
  type SqliteDatabase,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  sql,
  type UnknownRow,
  type ValueNode,
} from "kysely";
import pg from "pg";
import type { Database } from "./database.ts";

/** How long a statement waits for another connection's write transaction on the same file. */
const SQLITE_BUSY_WAIT_MS = 60_000;

const isBusy = (e: unknown) => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
};

/**
 * A connection whose statements, refused because another connection to the file holds the write
 * lock (the server's job runner, a CLI import), wait for it asynchronously and try again.
 * better-sqlite3's own busy wait is synchronous: it stopped the whole process, so the transaction
 * it waited for (in the same process) could not finish, and the write failed after the timeout.
 */
function waitingConnection(connection: DatabaseConnection): DatabaseConnection {
  return {
    async executeQuery(query) {
      for (let waited = 0, pause = 2; ; ) {
        try {
          return await connection.executeQuery(query);
        } catch (e) {
          if (!isBusy(e) || waited >= SQLITE_BUSY_WAIT_MS) throw e;
          await new Promise((resolve) => setTimeout(resolve, pause));
          waited += pause;
          pause = Math.min(pause * 2, 50);
        }
      }
    },
    streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
  };
}

/**
 * Kysely's SQLite driver with waiting connections, and write transactions begun IMMEDIATE: the
 * write lock is taken (or waited for) at BEGIN, where waiting is always safe. A deferred
 * transaction that read first could not take the lock once another connection had written since
 * (SQLITE_BUSY_SNAPSHOT: it must start again).
 */
class WaitingSqliteDriver extends SqliteDriver {
  readonly #connections = new WeakMap<DatabaseConnection, DatabaseConnection>();
  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection();
    let waiting = this.#connections.get(connection);
    if (!waiting) {
      waiting = waitingConnection(connection);
      this.#connections.set(connection, waiting);
    }
    return waiting;
  }
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

/** Kysely's SQLite dialect with `WaitingSqliteDriver`. */
class WaitingSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new WaitingSqliteDriver(this.#config);
  }
}

/** Which engine a URL names. @example dialectOf("postgres://localhost/fivestep") // "postgres" */
export function dialectOf(url: string): "sqlite" | "postgres" {
  return /^postgres(ql)?:\/\//i.test(url) ? "postgres" : "sqlite";
}

/**
 * Reuses prepared statements by their SQL (the 500 most recent). Kysely prepares a statement for
 * every query; each holds native memory that is only freed when the JavaScript object is
 * collected, which small objects rarely prompt, so a busy server's memory grew without bound.
 * Reuse is safe here: better-sqlite3 runs a statement to completion before the next call, and
 * nothing in Fivestep streams a query through Kysely.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(source: string) {
      let statement = statements.get(source);
      if (statement) {
        statements.delete(source);
      } else {
        statement = sqlite.prepare(source);
        if (statements.size >= 500) statements.delete(statements.keys().next().value as string);
      }
      statements.set(source, statement);
      return statement;
    },
  };
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

// PostgreSQL refuses text containing U+0000 (SQLite stores it); no Fivestep text needs it, so on
// PostgreSQL it is removed from every string parameter rather than failing the statement.
const stripNul = (v: unknown) =>
  typeof v === "string" && v.includes("\u0000") ? v.replaceAll("\u0000", "") : v;
class StripNulTransformer extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    return typeof node.value === "string" ? { ...node, value: stripNul(node.value) } : node;
  }
  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    return node.values.some((v) => typeof v === "string")
      ? { ...node, values: node.values.map(stripNul) }
      : node;
  }
}
const stripNulPlugin = {
  transformer: new StripNulTransformer(),
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.transformer.transformNode(args.node);
  },
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  },
};

// A statement whose SQL ends with this comment is prepared once per PostgreSQL connection (a named
// statement) instead of parsed and planned on every call: for the queries every request makes.
const PREPARED_MARK = /\/\* prepared: ([a-z0-9-]+) \*\/$/;
const preparedNames = new Map<string, string>();

/**
 * Marks a query to be prepared once per PostgreSQL connection (a named statement); SQLite already
 * reuses every statement. Only for queries whose SQL text never varies (no lists of varying
 * length): each distinct text stays prepared on each connection for the connection's life. Use
 * with Kysely's `modifyEnd`.
 *
 * @example db.selectFrom("session").selectAll().where("id_hash", "=", h).modifyEnd(preparedStatement("session"))
 */
export function preparedStatement(name: string): Expression<unknown> {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`preparedStatement: "${name}" is not a-z, 0-9 and -`);
  return sql.raw(`/* prepared: ${name} */`);
}

/** The pool as Kysely sees it, with each client sending marked statements as named ones. */
function preparingPool(pool: pg.Pool): PostgresPool {
  const preparing = new WeakSet<object>();
  return {
    async connect() {
      const client = await pool.connect();
      if (!preparing.has(client)) {
        preparing.add(client);
        const query = client.query.bind(client) as (...args: unknown[]) => unknown;
        (client as { query: unknown }).query = (text: unknown, values?: unknown) => {
          const mark = typeof text === "string" ? PREPARED_MARK.exec(text) : null;
          if (!mark || typeof text !== "string") return query(text, values);
          let name = preparedNames.get(text);
          if (name === undefined) {
            // The text's hash in the name: a changed query never meets an older one's statement.
            name = `${mark[1]}-${createHash("sha1").update(text).digest("hex").slice(0, 12)}`;
            preparedNames.set(text, name);
          }
          return query({ name, text, values });
        };
      }
      return client as unknown as PostgresPoolClient;
    },
    end: () => pool.end(),
  };
}

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
    // An idle connection the server closes (restart, failover, a dropped database) is an error on
    // the pool; without a listener Node would crash the process. The pool replaces the connection.
    pool.on("error", () => {});
    return new Kysely<Database>({
      dialect: new PostgresDialect({ pool: preparingPool(pool) }),
      plugins: [stripNulPlugin],
    });
  }
  const path = sqlitePath(url);
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  if (path !== ":memory:") sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  // No synchronous busy wait: a statement the write lock refuses waits asynchronously (WaitingSqliteDriver).
  sqlite.pragma("busy_timeout = 0");
  sqlite.pragma("synchronous = NORMAL");
  // A 64 MB page cache (the default is 2 MB): a large import's inserts land all over the key
  // indexes of observation and of the import staging table, and with the default most of them
  // read and spill pages through the operating system (1M rows: the commit about 40 s to 24–28 s,
  // the raw inserts 20 s to 9 s; see tooling/bench/README.md). A ceiling, filled only as pages are used.
  sqlite.pragma("cache_size = -65536");
  const db = new Kysely<Database>({
    dialect: new WaitingSqliteDialect({ database: withStatementCache(sqlite) }),
  });
  sqliteHandles.set(db, sqlite);
  return db;
}
