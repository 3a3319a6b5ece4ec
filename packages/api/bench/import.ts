// The import benchmark: a generated CSV through the real import path (commitImport: stream,
// parse, check, write in chunks in one transaction) into a SQLite file, against the ceiling of
// one prepared better-sqlite3 insert in one transaction. Each measurement runs in its own child
// process, so its peak RSS (getrusage maxrss) is its own.
//
//   pnpm bench                       100k and 1M rows
//   node --import tsx bench/import.ts --rows 200000   one size
import { execFileSync } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  createDb,
  migrateToLatest,
  rawInsertCeiling,
  upsertArea,
  upsertIndicator,
  type WriteRow,
} from "@fivestep/db";
import { ImportMappingSchema, IndicatorSchema } from "@fivestep/domain";
import { commitImport, previewImport } from "../src/index.ts";

const INDICATORS = 10;
const AREAS = 400;
const indicatorCode = (i: number) => `BENCH ${i}`;
const areaCode = (a: number) => `E0${String(9000000 + a)}`;

/** Row k of the generated data: every (indicator, area, quarter) once. */
function rowAt(k: number) {
  const indicator = k % INDICATORS;
  const area = Math.floor(k / INDICATORS) % AREAS;
  const q = Math.floor(k / (INDICATORS * AREAS));
  const value = ((k * 7919) % 10000) / 100;
  return { indicator, area, year: 1800 + Math.floor(q / 4), quarter: (q % 4) + 1, value };
}

async function writeCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write("indicator,area_code,period,value,lower,upper\n");
  let buffer = "";
  for (let k = 0; k < rows; k++) {
    const r = rowAt(k);
    buffer += `${indicatorCode(r.indicator)},${areaCode(r.area)},${r.year} Q${r.quarter},${r.value},${Math.max(0, r.value - 1.5).toFixed(2)},${Math.min(100, r.value + 1.5).toFixed(2)}\n`;
    if (buffer.length > 1 << 16) {
      if (!out.write(buffer)) await once(out, "drain");
      buffer = "";
    }
  }
  out.end(buffer);
  await once(out, "finish");
}

async function freshDb(path: string) {
  const db = createDb(path);
  await migrateToLatest(db);
  await db.transaction().execute(async (trx) => {
    for (let a = 0; a < AREAS; a++)
      await upsertArea(trx, { code: areaCode(a), name: `Area ${a}`, type: "district", parentCode: null });
    for (let i = 0; i < INDICATORS; i++) {
      await upsertIndicator(
        trx,
        IndicatorSchema.parse({
          code: indicatorCode(i),
          title: `Bench ${i}`,
          valueType: "percentage",
          polarity: "high-is-good",
          frequency: "quarterly",
        }),
      );
    }
  });
  return db;
}

async function child(mode: string, rows: number, dir: string): Promise<void> {
  const csv = join(dir, `bench-${rows}.csv`);
  const db = await freshDb(join(dir, `${mode}-${rows}.db`));
  const started = performance.now();
  if (mode === "raw") {
    const ids = new Map(
      (await db.selectFrom("indicator").select(["id", "code"]).execute()).map((r) => [r.code, r.id]),
    );
    const areaIds = new Map(
      (await db.selectFrom("area").select(["id", "code"]).execute()).map((r) => [r.code, r.id]),
    );
    function* generate(): Generator<WriteRow> {
      for (let k = 0; k < rows; k++) {
        const r = rowAt(k);
        yield {
          indicatorId: ids.get(indicatorCode(r.indicator)) as number,
          areaId: areaIds.get(areaCode(r.area)) as number,
          period: `${r.year} Q${r.quarter}`,
          periodType: "quarter",
          periodStart: `${r.year}-${String(r.quarter * 3 - 2).padStart(2, "0")}-01`,
          breakdown: "",
          value: r.value,
          numerator: null,
          denominator: null,
          lower: Math.max(0, r.value - 1.5),
          upper: Math.min(100, r.value + 1.5),
          status: "final",
          note: null,
        };
      }
    }
    rawInsertCeiling(db, generate());
  } else {
    const source = { path: csv, format: "csv" as const, size: statSync(csv).size, name: "bench.csv" };
    const mapping = ImportMappingSchema.parse({
      source: "bench",
      columns: {
        indicator: "indicator",
        area: "area_code",
        period: "period",
        value: "value",
        lower: "lower",
        upper: "upper",
      },
    });
    const result =
      mode === "preview"
        ? await previewImport(db, source, mapping)
        : await commitImport(db, source, mapping, { userId: null, fileId: null });
    if (result.accepted !== rows) throw new Error(`expected ${rows} accepted rows, got ${result.accepted}`);
  }
  const seconds = (performance.now() - started) / 1000;
  await db.destroy();
  console.log(
    JSON.stringify({
      mode,
      rows,
      seconds,
      rowsPerSecond: rows / seconds,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
}

const { values } = parseArgs({
  options: { rows: { type: "string" }, child: { type: "string" }, dir: { type: "string" } },
});
if (values.child) {
  await child(values.child, Number(values.rows), values.dir as string);
} else {
  const sizes = values.rows ? [Number(values.rows)] : [100_000, 1_000_000];
  const dir = mkdtempSync(join(tmpdir(), "fivestep-bench-"));
  try {
    const results: Array<Record<string, number | string>> = [];
    for (const rows of sizes) {
      await writeCsv(join(dir, `bench-${rows}.csv`), rows);
      for (const mode of ["raw", "preview", "commit"]) {
        const out = execFileSync(
          process.execPath,
          [
            ...process.execArgv,
            process.argv[1] as string,
            "--child",
            mode,
            "--rows",
            String(rows),
            "--dir",
            dir,
          ],
          {
            encoding: "utf8",
          },
        );
        results.push(JSON.parse(out.trim().split("\n").at(-1) as string));
      }
      const mb = statSync(join(dir, `bench-${rows}.csv`)).size / 1048576;
      const raw = results.find((r) => r.mode === "raw" && r.rows === rows) as {
        rowsPerSecond: number;
        peakRssMb: number;
      };
      const commit = results.find((r) => r.mode === "commit" && r.rows === rows) as {
        rowsPerSecond: number;
        peakRssMb: number;
      };
      const preview = results.find((r) => r.mode === "preview" && r.rows === rows) as {
        rowsPerSecond: number;
        peakRssMb: number;
      };
      console.log(
        `${rows.toLocaleString("en-GB")} rows (${mb.toFixed(1)} MB CSV): raw insert ${Math.round(raw.rowsPerSecond).toLocaleString("en-GB")} rows/s (peak RSS ${raw.peakRssMb.toFixed(0)} MB); ` +
          `import ${Math.round(commit.rowsPerSecond).toLocaleString("en-GB")} rows/s = ${((100 * commit.rowsPerSecond) / raw.rowsPerSecond).toFixed(0)}% of raw (peak RSS ${commit.peakRssMb.toFixed(0)} MB); ` +
          `preview ${Math.round(preview.rowsPerSecond).toLocaleString("en-GB")} rows/s (peak RSS ${preview.peakRssMb.toFixed(0)} MB)`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
