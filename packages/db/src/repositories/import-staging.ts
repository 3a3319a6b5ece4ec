import type SQLite from "better-sqlite3";
import type { Kysely, Transaction } from "kysely";
import { sqliteHandleOf } from "../create-db.ts";
import type { Database, Executor } from "../database.ts";

/** One accepted row's key, and the file row it came from. */
export interface StagedKey {
  indicatorId: number;
  areaId: number;
  period: string;
  breakdown: string;
  row: number;
}

/** An indicator text's count in a part of the file, and the first row naming it. */
export interface StagedText {
  text: string;
  rows: number;
  firstRow: number;
}

/**
 * One import run's staging (see migration 0013): keys of accepted rows, to find a key the file
 * gives twice without holding the file in memory, and the distinct indicator texts with counts.
 */
export interface ImportStaging {
  readonly runId: number;
  /**
   * Stages keys in file order; returns, for each, null when it is new to the run, or the file row
   * that gave the same key first (a repeat, which is not staged).
   */
  stageKeys(keys: readonly StagedKey[]): Promise<Array<number | null>>;
  /** Adds indicator texts' counts (texts seen before keep their first row). */
  stageTexts(texts: readonly StagedText[]): Promise<void>;
  /** Both at once, in one transaction: `stageKeys(keys)` and `stageTexts(texts)`. */
  stage(keys: readonly StagedKey[], texts: readonly StagedText[]): Promise<Array<number | null>>;
  /** The most frequent texts first (ties in file order), at most `limit`, and how many there are. */
  texts(limit: number): Promise<{ texts: StagedText[]; distinct: number }>;
  /** Removes the run and everything staged for it. */
  clear(): Promise<void>;
}

/** Staged rows older than this are a crashed run's, and are cleared by the next run. */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;
/** Rows per statement on the portable path (6 parameters each, well under both engines' limits). */
const SLICE = 1000;

const keyString = (k: { indicatorId: number; areaId: number; period: string; breakdown: string }) =>
  `${k.indicatorId}\u0000${k.areaId}\u0000${k.period}\u0000${k.breakdown}`;

async function clearRuns(db: Executor, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom("import_staging_key").where("run_id", "in", ids).execute();
  await db.deleteFrom("import_staging_text").where("run_id", "in", ids).execute();
  await db.deleteFrom("import_staging_run").where("id", "in", ids).execute();
}

/**
 * Opens a staging run. Inside a commit pass the commit's transaction as `trx`: everything staged
 * is then undone with it if it rolls back (call `clear()` before it commits). Without `trx`, each
 * call runs on its own (a preview) and `clear()` must be called when the run ends, also on failure.
 *
 * On SQLite it uses prepared better-sqlite3 statements (one insert-or-ignore per key, a lookup only
 * for a repeat); elsewhere, multi-row Kysely statements. `generic: true` forces the portable path
 * (tests use it to cover the PostgreSQL code on SQLite).
 *
 * @example
 * const staging = await openImportStaging(db, { fileId: 3, at: nowIso() });
 * try {
 *   const firstRows = await staging.stage(keys, texts); // null, or the row a key repeats
 * } finally {
 *   await staging.clear();
 * }
 */
export async function openImportStaging(
  db: Kysely<Database>,
  options: { trx?: Transaction<Database>; fileId: number | null; at: string; generic?: boolean },
): Promise<ImportStaging> {
  const ex: Executor = options.trx ?? db;
  const cutoff = new Date(Date.parse(options.at) - STALE_AFTER_MS).toISOString();
  const stale = await ex
    .selectFrom("import_staging_run")
    .select("id")
    .where("started_at", "<", cutoff)
    .execute();
  await clearRuns(
    ex,
    stale.map((r) => r.id),
  );
  const { id: runId } = await ex
    .insertInto("import_staging_run")
    .values({ file_id: options.fileId, started_at: options.at })
    .returning("id")
    .executeTakeFirstOrThrow();

  // Without the caller's transaction, each call takes the connection in a transaction of its own,
  // so the raw statements below never run inside another request's open transaction.
  const atomically = async <T>(work: (e: Executor) => Promise<T>): Promise<T> =>
    options.trx ? work(options.trx) : db.transaction().execute(work);

  const raw = options.generic ? undefined : sqliteHandleOf(db);
  let keysOn: (e: Executor, keys: readonly StagedKey[]) => Promise<Array<number | null>>;
  let dropKeys: (() => void) | undefined;
  if (raw) {
    // On SQLite the run's keys go in a table of the connection's own temporary schema: never
    // written to the database file or its log, gone with the connection if the process dies, and
    // dropped (or rolled back with the commit) when the run ends. Its page cache is capped like
    // the main one's, so memory stays bounded however long the file.
    const table = `temp.import_keys_${runId}`;
    // Made (again, if a rolled-back transaction took it) inside each call's transaction, never
    // in the middle of another request's; prepared statements follow the table.
    const ensureTable = () => {
      raw.pragma("temp.cache_size = -65536");
      raw.exec(
        `create table if not exists ${table} (indicator_id integer not null, area_id integer not null,
         period text not null, breakdown text not null, file_row integer not null,
         primary key (indicator_id, area_id, period, breakdown)) without rowid`,
      );
    };
    let statements: { insert: SQLite.Statement; find: SQLite.Statement } | undefined;
    const prepared = () => {
      ensureTable();
      statements ??= {
        insert: raw.prepare(
          `insert into ${table} (indicator_id, area_id, period, breakdown, file_row)
           values (?, ?, ?, ?, ?) on conflict do nothing`,
        ),
        find: raw.prepare(
          `select file_row from ${table} where indicator_id = ? and area_id = ? and period = ? and breakdown = ?`,
        ),
      };
      return statements;
    };
    dropKeys = () => raw.exec(`drop table if exists ${table}`);
    keysOn = async (_e, keys) => {
      const out: Array<number | null> = new Array(keys.length);
      if (keys.length === 0) return out;
      const { insert, find } = prepared();
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i] as StagedKey;
        const info = insert.run(k.indicatorId, k.areaId, k.period, k.breakdown, k.row);
        out[i] =
          info.changes === 1
            ? null
            : (find.get(k.indicatorId, k.areaId, k.period, k.breakdown) as { file_row: number }).file_row;
      }
      return out;
    };
  } else {
    keysOn = async (e, keys) => {
      const out: Array<number | null> = [];
      for (let start = 0; start < keys.length; start += SLICE) {
        const slice = keys.slice(start, start + SLICE);
        const inserted = await e
          .insertInto("import_staging_key")
          .values(
            slice.map((k) => ({
              run_id: runId,
              indicator_id: k.indicatorId,
              area_id: k.areaId,
              period: k.period,
              breakdown: k.breakdown,
              file_row: k.row,
            })),
          )
          .onConflict((oc) =>
            oc.columns(["run_id", "indicator_id", "area_id", "period", "breakdown"]).doNothing(),
          )
          .returning("file_row")
          .execute();
        const fresh = new Set(inserted.map((r) => r.file_row));
        const repeats = slice.filter((k) => !fresh.has(k.row));
        const first = new Map<string, number>();
        if (repeats.length > 0) {
          const found = await e
            .selectFrom("import_staging_key")
            .select(["indicator_id", "area_id", "period", "breakdown", "file_row"])
            .where("run_id", "=", runId)
            .where(({ eb, refTuple, tuple }) =>
              eb(
                refTuple("indicator_id", "area_id", "period", "breakdown"),
                "in",
                repeats.map((k) => tuple(k.indicatorId, k.areaId, k.period, k.breakdown)),
              ),
            )
            .execute();
          for (const f of found)
            first.set(
              keyString({
                indicatorId: f.indicator_id,
                areaId: f.area_id,
                period: f.period,
                breakdown: f.breakdown,
              }),
              f.file_row,
            );
        }
        for (const k of slice) out.push(fresh.has(k.row) ? null : (first.get(keyString(k)) ?? null));
      }
      return out;
    };
  }

  const textsOn = async (e: Executor, texts: readonly StagedText[]) => {
    if (texts.length === 0) return;
    // One row per text in a statement: PostgreSQL refuses to upsert the same row twice in one.
    const merged = new Map<string, StagedText>();
    for (const t of texts) {
      const seen = merged.get(t.text);
      if (seen) seen.rows += t.rows;
      else merged.set(t.text, { ...t });
    }
    const all = [...merged.values()];
    for (let start = 0; start < all.length; start += SLICE) {
      await e
        .insertInto("import_staging_text")
        .values(
          all
            .slice(start, start + SLICE)
            .map((t) => ({ run_id: runId, text: t.text, rows: t.rows, first_row: t.firstRow })),
        )
        .onConflict((oc) =>
          oc.columns(["run_id", "text"]).doUpdateSet((eb) => ({
            rows: eb("import_staging_text.rows", "+", eb.ref("excluded.rows")),
          })),
        )
        .execute();
    }
  };

  return {
    runId,
    stageKeys: (keys) => atomically((e) => keysOn(e, keys)),
    stageTexts: (texts) => (texts.length === 0 ? Promise.resolve() : atomically((e) => textsOn(e, texts))),
    stage: (keys, texts) =>
      keys.length === 0 && texts.length === 0
        ? Promise.resolve([])
        : atomically(async (e) => {
            const firstRows = await keysOn(e, keys);
            await textsOn(e, texts);
            return firstRows;
          }),
    async texts(limit) {
      const rows = await ex
        .selectFrom("import_staging_text")
        .select(["text", "rows", "first_row"])
        .where("run_id", "=", runId)
        .orderBy("rows", "desc")
        .orderBy("first_row")
        .limit(limit)
        .execute();
      const count = await ex
        .selectFrom("import_staging_text")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("run_id", "=", runId)
        .executeTakeFirstOrThrow();
      return {
        texts: rows.map((r) => ({ text: r.text, rows: Number(r.rows), firstRow: Number(r.first_row) })),
        distinct: Number(count.n),
      };
    },
    async clear() {
      await atomically(async (e) => {
        dropKeys?.();
        await clearRuns(e, [runId]);
      });
    },
  };
}
