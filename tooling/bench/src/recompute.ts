// The recompute benchmark: `recomputeStatuses` end to end through the database — the targets read,
// their indicators, each indicator's series for all its areas, the judge, the statuses and the
// changes written — for 80,000 targets (400 areas, each a partnership whose plan has a target on
// each of 200 annual indicators, 20 years of values each: 1.6M observations), on a SQLite file
// and on PostgreSQL. Ceiling, measured in the same run on the same database: every series row
// read in one query plus the judge over each series — what any implementation must at least do
// (it writes nothing).
//
//   BENCH_ONLY=recompute pnpm bench          this one only (rewrites its section of docs/benchmarks.md)
//   node --import tsx src/recompute.ts       both engines, printed only
//   node --import tsx src/recompute.ts --engine sqlite --areas 100   one engine, a smaller set
//   node --import tsx --cpu-prof src/recompute.ts --engine sqlite    a CPU profile (.cpuprofile here)
//   node --import tsx src/recompute.ts --engine sqlite --keep        keeps the SQLite file (path printed)
// PostgreSQL: FIVESTEP_TEST_PG_URL, else a throwaway cluster from tooling/scripts/ensure-postgres.sh.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { recomputeStatuses } from "@fivestep/api";
import { createDb, type Database, indicatorColumns, migrateToLatest, nowIso } from "@fivestep/db";
import { IndicatorSchema } from "@fivestep/domain";
import { type InsertObject, type Kysely, type KyselyPlugin, sql } from "kysely";
import { judgeTarget } from "../../../packages/analytics/src/index.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const { values } = parseArgs({
  options: {
    engine: { type: "string" },
    areas: { type: "string" },
    indicators: { type: "string" },
    keep: { type: "boolean" },
  },
});
const AREAS = Number(values.areas ?? 400);
const INDICATORS = Number(values.indicators ?? 200);
const PERIODS = 20;
const FIRST_YEAR = 2001;
const PRIORITIES_PER_PLAN = 20;
const GOAL_SECONDS = { SQLite: 5, PostgreSQL: 10 } as const;
type Engine = keyof typeof GOAL_SECONDS;

const indicatorCode = (i: number) => `RB ${String(i + 1).padStart(3, "0")}`;
const areaCode = (a: number) => `E0${String(7000000 + a)}`;
const polarityOf = (i: number) => (i % 2 ? "high-is-good" : "low-is-good");
/** Every target's fields: a path from 50 in 2001 to 56 in 2025, with a band of ±0.5. */
const targetFields = (i: number) => ({
  indicatorCode: indicatorCode(i),
  comparatorGroupId: null,
  baselinePeriod: String(FIRST_YEAR),
  baselineValue: 50,
  shape: "linear",
  stretch: false,
  tolerance: 0.5,
  milestones: [{ period: "2025", value: 56, reason: "" }],
});

/** Inserts rows in statements of at most 30,000 parameters. */
async function insertMany<T extends keyof Database & string>(
  db: Kysely<Database>,
  table: T,
  rows: ReadonlyArray<InsertObject<Database, T>>,
): Promise<void> {
  const columns = Object.keys(rows[0] ?? { x: 0 }).length;
  const per = Math.floor(30_000 / columns);
  for (let k = 0; k < rows.length; k += per)
    await db
      .insertInto(table)
      .values(rows.slice(k, k + per))
      .execute();
}

/**
 * Seeds the set: areas, indicators, a partnership per area with one draft plan of 20 priorities
 * holding a target on every indicator, and 20 years of values per indicator × area, the values
 * generated in SQL by one `insert … select` (1.6M rows would take a minute as parameters).
 */
async function seed(db: Kysely<Database>): Promise<{ targets: number; observations: number }> {
  const now = nowIso();
  return db.transaction().execute(async (trx) => {
    await insertMany(
      trx,
      "area",
      Array.from({ length: AREAS }, (_, a) => ({
        code: areaCode(a),
        name: `Bench district ${a + 1}`,
        type: "district",
        parent_code: null,
      })),
    );
    await insertMany(
      trx,
      "indicator",
      Array.from({ length: INDICATORS }, (_, i) =>
        indicatorColumns(
          IndicatorSchema.parse({
            code: indicatorCode(i),
            title: `Recompute bench indicator ${i + 1}`,
            valueType: "rate",
            polarity: polarityOf(i),
            frequency: "annual",
            periodType: "calendar-year",
          }),
        ),
      ),
    );
    await insertMany(
      trx,
      "partnership",
      Array.from({ length: AREAS }, (_, a) => ({
        name: `Bench partnership ${a + 1}`,
        area_code: areaCode(a),
        created_at: now,
        updated_at: now,
      })),
    );
    const partnerships = await trx.selectFrom("partnership").select("id").orderBy("id").execute();
    await insertMany(
      trx,
      "plan",
      partnerships.map((p) => ({
        partnership_id: p.id,
        title: "Recompute bench plan",
        vision: "",
        start_year: 2021,
        status: "in-delivery",
        revision: 1,
        previous_plan_id: null,
        created_at: now,
        updated_at: now,
      })),
    );
    const plans = await trx.selectFrom("plan").select("id").orderBy("id").execute();
    await insertMany(
      trx,
      "priority",
      plans.flatMap((p) =>
        Array.from({ length: PRIORITIES_PER_PLAN }, (_, k) => ({
          plan_id: p.id,
          position: k + 1,
          theme: "Bench",
          title: `Priority ${k + 1}`,
          owner_name: "Owner",
          fields_json: "{}",
          created_at: now,
          updated_at: now,
        })),
      ),
    );
    const priorities = await trx.selectFrom("priority").select(["id", "plan_id"]).orderBy("id").execute();
    const fields = Array.from({ length: INDICATORS }, (_, i) => JSON.stringify(targetFields(i)));
    await insertMany(
      trx,
      "plan_item",
      priorities.flatMap((p, n) => {
        const k = n % PRIORITIES_PER_PLAN;
        const items = [];
        for (let i = k; i < INDICATORS; i += PRIORITIES_PER_PLAN)
          items.push({
            plan_id: p.plan_id,
            priority_id: p.id,
            kind: "indicator",
            position: items.length + 1,
            data_json: fields[i] as string,
            lead_user_id: null,
            created_at: now,
            updated_at: now,
          });
        return items;
      }),
    );
    // Values that wander around a slow rise, differently per indicator and area, so that the
    // targets land on every status.
    await sql`
      with recursive years(k) as (select 0 union all select k + 1 from years where k < ${sql.lit(PERIODS - 1)})
      insert into observation (indicator_id, area_id, period, breakdown, period_type, period_start, value, status)
      select i.id, a.id, cast(${sql.lit(FIRST_YEAR)} + y.k as varchar(30)), '', 'calendar-year',
             cast(${sql.lit(FIRST_YEAR)} + y.k as varchar(10)) || '-01-01',
             46 + ((i.id * 7 + a.id * 3 + y.k * 5) % 23) * 0.4 + y.k * 0.3, 'final'
      from indicator i cross join area a cross join years y
      where i.code like 'RB %' and a.code like 'E07%'`.execute(trx);
    const count = async (table: "plan_item" | "observation") =>
      Number(
        (
          await trx
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number | string>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return { targets: await count("plan_item"), observations: await count("observation") };
  });
}

/** This process's CPU time (user + system) since `from`, in ms: steadier than the wall clock on a shared machine. */
const cpuMs = (from: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(from);
  return (c.user + c.system) / 1000;
};

/** The ceiling: every series row in one query, grouped by series, and the judge over each. */
async function ceiling(db: Kysely<Database>, at: string) {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const rows = await db
    .selectFrom("observation as o")
    .innerJoin("indicator as i", "i.id", "o.indicator_id")
    .select([
      "o.indicator_id",
      "o.area_id",
      "i.polarity",
      "i.frequency",
      "o.period",
      "o.value",
      "o.lower",
      "o.upper",
    ])
    .where("o.breakdown", "=", "")
    .orderBy("o.indicator_id")
    .orderBy("o.area_id")
    .orderBy("o.period_start")
    .execute();
  const read = performance.now() - t;
  const milestones = [{ period: "2025", value: 56 }];
  const counts: Record<string, number> = {};
  let series = 0;
  for (let k = 0; k < rows.length; ) {
    const first = rows[k] as (typeof rows)[number];
    let end = k;
    while (
      end < rows.length &&
      rows[end]?.indicator_id === first.indicator_id &&
      rows[end]?.area_id === first.area_id
    )
      end++;
    const judged = judgeTarget({
      series: rows.slice(k, end),
      baselinePeriod: String(FIRST_YEAR),
      baselineValue: 50,
      milestones,
      tolerance: 0.5,
      polarity: first.polarity,
      frequency: first.frequency,
      asOf: at,
    });
    counts[judged.status] = (counts[judged.status] ?? 0) + 1;
    series++;
    k = end;
  }
  return { ms: performance.now() - t, cpuMs: cpuMs(cpu), readMs: read, rows: rows.length, series, counts };
}

/** `recomputeStatuses` over every target in one transaction, counting its statements. */
async function recompute(db: Kysely<Database>, cause: string, at: string) {
  // Each statement's time from its compilation (just before it runs) to its result, by kind.
  const counter = { statements: 0, readMs: 0, writeMs: 0 };
  const started = new WeakMap<object, { at: number; read: boolean }>();
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      started.set(args.queryId, { at: performance.now(), read: args.node.kind === "SelectQueryNode" });
      return args.node;
    },
    transformResult: async (args) => {
      counter.statements++;
      const s = started.get(args.queryId);
      if (s) counter[s.read ? "readMs" : "writeMs"] += performance.now() - s.at;
      return args.result;
    },
  };
  const t = performance.now();
  const cpu = process.cpuUsage();
  const changes = await db
    .withPlugin(plugin)
    .transaction()
    .execute((trx) => recomputeStatuses(trx, { cause, at }));
  return {
    ms: performance.now() - t,
    cpuMs: cpuMs(cpu),
    statements: counter.statements,
    readMs: counter.readMs,
    writeMs: counter.writeMs,
    changes: changes.length,
  };
}

/** Moves every value of one indicator up by 5 (in every area), so that a recompute has changes to find. */
async function nudge(db: Kysely<Database>) {
  await sql`update observation set value = value + 5
    where indicator_id = (select min(id) from indicator where code like 'RB %')`.execute(db);
}

const fmt = (n: number, d = 0) =>
  n.toLocaleString("en-GB", { maximumFractionDigits: d, minimumFractionDigits: d });

async function measure(engine: Engine, db: Kysely<Database>): Promise<string[]> {
  await migrateToLatest(db);
  const t = performance.now();
  const seeded = await seed(db);
  const seedMs = performance.now() - t;
  // Vacuumed and analysed now, so that autovacuum does not pick the 1.6M new rows up in the middle
  // of a measurement (with 2 cores it competes for one).
  if (engine === "PostgreSQL") await sql`vacuum analyze`.execute(db);
  const at = nowIso();
  const roof = await ceiling(db, at);
  // First: every status is new (80,000 rows inserted and 80,000 changes recorded); then again
  // with nothing changed (every row only marked judged); then after one indicator's values moved.
  const first = await recompute(db, "Bench: first recompute", at);
  // The stored statuses must be the ceiling's, or the comparison means nothing.
  const stored = Object.fromEntries(
    (
      await db
        .selectFrom("target_status")
        .select((eb) => ["status", eb.fn.countAll<number | string>().as("n")])
        .groupBy("status")
        .execute()
    ).map((r) => [r.status, Number(r.n)]),
  );
  const agree =
    JSON.stringify(Object.entries(stored).sort()) === JSON.stringify(Object.entries(roof.counts).sort());
  if (!agree)
    throw new Error(
      `stored statuses ${JSON.stringify(stored)} differ from the ceiling's ${JSON.stringify(roof.counts)}`,
    );
  const again = await recompute(db, "Bench: nothing new", at);
  await nudge(db);
  const nudged = await recompute(db, "Bench: one indicator moved", at);
  const worst = Math.max(first.ms, again.ms, nudged.ms);
  const goal = GOAL_SECONDS[engine];
  const line = (
    label: string,
    r: { ms: number; cpuMs: number; statements: number; readMs: number; writeMs: number; changes: number },
  ) =>
    `${engine}: ${label} ${fmt(r.ms / 1000, 2)} s (${fmt(r.ms / roof.ms, 1)}× the ceiling; this process's CPU ${fmt(r.cpuMs / 1000, 2)} s, ${fmt(r.cpuMs / roof.cpuMs, 1)}× the ceiling's), ${fmt(r.statements)} statements (reads ${fmt(r.readMs / 1000, 2)} s, writes ${fmt(r.writeMs / 1000, 2)} s, until each result), ${fmt(r.changes)} changes`;
  return [
    `${engine}: ${fmt(seeded.targets)} targets, ${fmt(seeded.observations)} observations (seeded in ${fmt(seedMs / 1000, 1)} s); ceiling: one query of ${fmt(roof.rows)} rows (${fmt(roof.readMs / 1000, 2)} s) and the judge over ${fmt(roof.series)} series, ${fmt(roof.ms / 1000, 2)} s (CPU ${fmt(roof.cpuMs / 1000, 2)} s); statuses ${Object.entries(
      roof.counts,
    )
      .sort()
      .map(([s, n]) => `${s} ${fmt(n)}`)
      .join(", ")} (the first recompute stored the same)`,
    line("recompute, every status new,", first),
    line("recompute, nothing changed,", again),
    line("recompute, one indicator's values moved,", nudged),
    `${engine}: goal under ${goal} s (slowest of the three ${fmt(worst / 1000, 2)} s): ${worst < goal * 1000 ? "met" : "missed"}`,
  ];
}

async function sqliteRun(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "fivestep-bench-recompute-"));
  const db = createDb(join(dir, "bench.db"));
  try {
    return await measure("SQLite", db);
  } finally {
    await db.destroy();
    if (values.keep) console.log(`kept ${join(dir, "bench.db")}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresRun(): Promise<string[]> {
  let started: string | null = null;
  let url = process.env.FIVESTEP_TEST_PG_URL;
  if (!url) {
    const env = execFileSync("bash", [join(root, "tooling/scripts/ensure-postgres.sh"), "start"], {
      encoding: "utf8",
    });
    const vars = Object.fromEntries(
      env
        .split("\n")
        .filter((l) => l.startsWith("export "))
        .map((l) => l.slice(7).split("=", 2) as [string, string]),
    );
    started = vars.FIVESTEP_PG_DIR ?? null;
    url = vars.FIVESTEP_TEST_PG_URL as string;
  }
  // pg comes from the db package (this one does not depend on it directly).
  const pg = createRequire(join(root, "packages/db/package.json"))("pg") as {
    Client: new (o: {
      connectionString: string;
    }) => {
      connect(): Promise<void>;
      query(sql: string): Promise<unknown>;
      end(): Promise<void>;
    };
  };
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const name = `fivestep_bench_recompute_${Date.now()}`;
  await admin.query(`create database "${name}" template template0 encoding 'UTF8' locale 'C'`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const db = createDb(u.toString(), { poolSize: 2 });
  try {
    return await measure("PostgreSQL", db);
  } finally {
    await db.destroy();
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
    if (started) execFileSync("bash", [join(root, "tooling/scripts/ensure-postgres.sh"), "stop", started]);
  }
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(", ");
const loadBefore = load();
const lines: string[] = [];
if (values.engine !== "postgres") lines.push(...(await sqliteRun()));
if (values.engine !== "sqlite") lines.push(...(await postgresRun()));
lines.push(`load average (1, 5, 15 min) before ${loadBefore}; after ${load()}; ${cpus().length} cores`);
for (const l of lines) console.log(l);
