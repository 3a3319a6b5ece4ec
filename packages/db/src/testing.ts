import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Kysely } from "kysely";
import pg from "pg";
import { createDb } from "./create-db.ts";
import type { Database } from "./database.ts";
import { migrateToLatest, migrations } from "./migrations/index.ts";
import { seedDemo } from "./seed/demo.ts";

/** The engine tests run on: FIVESTEP_TEST_DATABASE=postgres selects PostgreSQL, anything else SQLite. */
export type TestEngine = "sqlite" | "postgres";

/** @example if (testEngine() === "postgres") … */
export function testEngine(): TestEngine {
  return process.env.FIVESTEP_TEST_DATABASE === "postgres" ? "postgres" : "sqlite";
}

/**
 * The PostgreSQL server tests use: FIVESTEP_TEST_PG_URL (set by tooling/scripts/ensure-postgres.sh),
 * or DATABASE_URL when that is a postgres:// URL. Throws when neither is set, so a suite that
 * needs PostgreSQL fails instead of skipping.
 *
 * @example const admin = new pg.Client(testPostgresUrl());
 */
export function testPostgresUrl(): string {
  const url =
    process.env.FIVESTEP_TEST_PG_URL ??
    (/^postgres(ql)?:\/\//i.test(process.env.DATABASE_URL ?? "") ? process.env.DATABASE_URL : undefined);
  if (!url) {
    throw new Error(
      "PostgreSQL tests need FIVESTEP_TEST_PG_URL: run them through tooling/scripts/test.sh, or " +
        'eval "$(bash tooling/scripts/ensure-postgres.sh start)" first',
    );
  }
  return url;
}

/** The URL of another database on the same server. */
function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

// Templates are keyed by the migrations they hold, so a long-lived server never hands out a
// database with an older schema.
const schemaKey = createHash("sha256")
  .update(
    Object.entries(migrations)
      .map(([name, m]) => `${name}:${m.up.toString()}`)
      .join("\n"),
  )
  .update(seedDemo.toString())
  .digest("hex")
  .slice(0, 12);

async function withAdmin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * What every copy starts with beyond the migrations (and the demo data): a test package's own
 * fixture, such as the demo accounts. On PostgreSQL it is written once into a template of its
 * own; on SQLite it is written into each new database.
 *
 * @example createTestDb({ demo: true, template: { key: "accounts-v1", setup: (db) => seedAccounts(db) } })
 */
export interface TestTemplate {
  /** Names what `setup` writes: change it whenever that changes (`setup`'s source is added to it). */
  key: string;
  setup(db: Kysely<Database>): Promise<void>;
}

/**
 * Builds (once per server and schema, whichever test process comes first) a template database
 * with the migrations and optionally the demo data, and on top of that the `extra` template's
 * own rows; copying it is much faster than migrating.
 */
function ensureTemplate(url: string, demo: boolean, extra?: TestTemplate): Promise<string> {
  const base = `fivestep_tpl_${demo ? "demo" : "empty"}_${schemaKey}`;
  const name = extra
    ? `${base}_${createHash("sha256").update(extra.key).update(extra.setup.toString()).digest("hex").slice(0, 8)}`
    : base;
  // Checked once per process: asking the server each time costs more than copying.
  const key = `${url} ${name}`;
  let ensured = templates.get(key);
  if (!ensured) {
    ensured = buildTemplate(url, name, demo, extra);
    ensured.catch(() => templates.delete(key));
    templates.set(key, ensured);
  }
  return ensured;
}
const templates = new Map<string, Promise<string>>();

async function buildTemplate(
  url: string,
  name: string,
  demo: boolean,
  extra?: TestTemplate,
): Promise<string> {
  const from = extra ? await ensureTemplate(url, demo) : undefined;
  await withAdmin(url, async (admin) => {
    const lock = Number.parseInt(createHash("sha256").update(name).digest("hex").slice(0, 8), 16);
    await admin.query("select pg_advisory_lock($1)", [lock]);
    try {
      const found = await admin.query("select 1 from pg_database where datname = $1", [name]);
      if (found.rowCount) return;
      const building = `${name}_building`;
      await admin.query(`drop database if exists "${building}"`);
      if (from) await createCopy(url, admin, building, from);
      else await admin.query(`create database "${building}" template template0 encoding 'UTF8'`);
      const db = createDb(withDatabase(url, building), { poolSize: 1 });
      try {
        if (extra) await extra.setup(db);
        else {
          await migrateToLatest(db);
          if (demo) await seedDemo(db);
        }
      } finally {
        await db.destroy();
      }
      await admin.query(`alter database "${building}" rename to "${name}"`);
    } finally {
      await admin.query("select pg_advisory_unlock($1)", [lock]);
    }
  });
  return name;
}

// PostgreSQL 15 copies a database block by block through the WAL by default (about 0.2 s for the
// demo database on an idle machine); copying its files is two to three times faster for one this small.
const copyStrategy = new Map<string, Promise<string>>();
function strategyClause(url: string, admin: pg.Client): Promise<string> {
  let clause = copyStrategy.get(url);
  if (!clause) {
    clause = admin
      .query<{ v: string }>("select current_setting('server_version_num') as v")
      .then(({ rows }) => (Number(rows[0]?.v) >= 150000 ? " strategy file_copy" : ""));
    copyStrategy.set(url, clause);
  }
  return clause;
}

async function createCopy(url: string, admin: pg.Client, name: string, template: string): Promise<void> {
  const strategy = await strategyClause(url, admin);
  // Another process may be copying the same template at this instant; PostgreSQL refuses a
  // copy while the template has other sessions, so retry briefly.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`create database "${name}" template "${template}"${strategy}`);
      return;
    } catch (e) {
      if (attempt >= 50 || !/being accessed by other users/.test(String(e))) throw e;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    }
  }
}

async function copyTemplate(url: string, template: string): Promise<string> {
  const name = `fivestep_test_${process.pid}_${randomBytes(6).toString("hex")}`;
  await withAdmin(url, (admin) => createCopy(url, admin, name, template));
  return name;
}

// Copying a template takes about 0.1 s; suites that make a database per test would spend most of
// their time waiting, so the next copy is made while the current test runs.
const prepared = new Map<string, Promise<string>>();
function nextDatabase(url: string, template: string): Promise<string> {
  const key = `${url} ${template}`;
  const current = prepared.get(key) ?? copyTemplate(url, template);
  const next = copyTemplate(url, template);
  next.catch(() => {});
  prepared.set(key, next);
  return current;
}

// A test process that ends leaves its prepared copy behind; the next one drops copies whose
// process is gone (only on a local server, where the process id says something).
let swept = false;
async function sweepOrphans(url: string): Promise<void> {
  if (swept) return;
  swept = true;
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) return;
  await withAdmin(url, async (admin) => {
    const rows = await admin.query<{ datname: string }>(
      "select datname from pg_database where datname like 'fivestep_test_%'",
    );
    for (const { datname } of rows.rows) {
      const pid = Number(datname.split("_")[2]);
      if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
      await admin.query(`drop database if exists "${datname}" with (force)`).catch(() => {});
    }
  });
}
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

// Dropping a database waits for the server processes of its closed connections to exit, which
// PostgreSQL checks for every 0.1 s; so drops run one after another in the background, while the
// next test runs. One left behind when the process ends is swept by the next process.
let drops: Promise<unknown> = Promise.resolve();

async function createPostgresTestDb(demo: boolean, extra?: TestTemplate): Promise<Kysely<Database>> {
  const url = testPostgresUrl();
  await sweepOrphans(url);
  const template = await ensureTemplate(url, demo, extra);
  const name = await nextDatabase(url, template);
  const db = createDb(withDatabase(url, name), { poolSize: 4 });
  openedAt.set(db, withDatabase(url, name));
  const destroy = db.destroy.bind(db);
  let dropped = false;
  // Closing the test database also drops it, so tests leave nothing behind.
  db.destroy = async () => {
    await destroy();
    if (dropped) return;
    dropped = true;
    drops = drops
      .then(() => withAdmin(url, (admin) => admin.query(`drop database if exists "${name}" with (force)`)))
      .catch(() => {});
  };
  return db;
}

// Where each test database was opened, for `openAgain` (SQLite only when on disk).
const openedAt = new WeakMap<Kysely<Database>, string>();

/** A SQLite file in a folder of its own, removed with it by `db.destroy()`. */
function sqliteOnDisk(): Kysely<Database> {
  const dir = mkdtempSync(join(tmpdir(), "fivestep-test-db-"));
  const path = join(dir, "test.db");
  const db = createDb(path);
  openedAt.set(db, path);
  const destroy = db.destroy.bind(db);
  db.destroy = async () => {
    await destroy();
    rmSync(dir, { recursive: true, force: true });
  };
  return db;
}

/**
 * A second, independent handle on a test database — what another server instance sharing it
 * would have (its own connections, its own caches). The database must come from `createTestDb`
 * with `onDisk: true` on SQLite (an in-memory one cannot be opened twice); on PostgreSQL any
 * will do. Destroy the second handle before the first.
 *
 * @example
 * const db = await createTestDb({ demo: true, onDisk: true });
 * const other = openAgain(db); // a second server on the same database
 */
export function openAgain(db: Kysely<Database>): Kysely<Database> {
  const url = openedAt.get(db);
  if (url === undefined)
    throw new Error("openAgain: create the database with createTestDb({ onDisk: true })");
  return createDb(url, { poolSize: 4 });
}

/**
 * A fresh database with every migration applied; optionally with the demo data, and with a
 * template's own rows on top. On SQLite (the default) it is in memory; with
 * FIVESTEP_TEST_DATABASE=postgres it is a new database on the server at FIVESTEP_TEST_PG_URL,
 * copied from a template built once per server, and dropped (in the background) by
 * `db.destroy()`. Each call is independent, so tests never share state. Close it with
 * `db.destroy()`. `onDisk: true` puts a SQLite database in a temporary file, so `openAgain` can
 * open it a second time (PostgreSQL ones always can).
 *
 * @example
 * const db = await createTestDb({ demo: true });
 * afterAll(() => db.destroy());
 */
export async function createTestDb(
  options: { demo?: boolean; template?: TestTemplate; onDisk?: boolean } = {},
): Promise<Kysely<Database>> {
  if (testEngine() === "postgres") return createPostgresTestDb(options.demo ?? false, options.template);
  const db = options.onDisk ? sqliteOnDisk() : createDb(":memory:");
  await migrateToLatest(db);
  if (options.demo) await seedDemo(db);
  if (options.template) await options.template.setup(db);
  return db;
}
