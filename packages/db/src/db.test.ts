import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "./create-db.ts";
import { migrateToLatest } from "./migrations/index.ts";
import { listAreas } from "./repositories/areas.ts";
import { findIndicatorByCode, listIndicators } from "./repositories/indicators.ts";
import { seriesFor, upsertObservations } from "./repositories/observations.ts";
import { seedDemo } from "./seed/demo.ts";
import { createTestDb } from "./testing.ts";

describe("demo seed", async () => {
  const db = await createTestDb({ demo: true });
  afterAll(() => db.destroy());

  it("loads the talk's three indicators and four areas", async () => {
    expect((await listIndicators(db)).map((i) => i.code)).toEqual(["NI 151", "NI 152", "NI 171"]);
    expect((await listAreas(db)).map((a) => a.code).sort()).toEqual([
      "E08000026",
      "E08000031",
      "E12000005",
      "E92000001",
    ]);
    expect((await findIndicatorByCode(db, "NI 152"))?.polarity).toBe("low-is-good");
    expect(await findIndicatorByCode(db, "NI 999")).toBeUndefined();
  });

  it("returns Coventry's employment series in time order, ending at 72.4 in 2007 Q2", async () => {
    const [coventry] = await seriesFor(db, { indicatorCode: "NI 151", areaCodes: ["E08000026"] });
    expect(coventry?.areaName).toBe("Coventry");
    expect(coventry?.points.map((p) => p.period)).toEqual([
      "2005 Q4",
      "2006 Q1",
      "2006 Q2",
      "2006 Q3",
      "2006 Q4",
      "2007 Q1",
      "2007 Q2",
    ]);
    expect(coventry?.points.at(-1)?.value).toBe(72.4);
  });

  it("keeps the requested area order and includes areas without values", async () => {
    const series = await seriesFor(db, {
      indicatorCode: "NI 171",
      areaCodes: ["E12000005", "E92000001", "E08000026"],
    });
    expect(series.map((s) => [s.areaCode, s.points.length])).toEqual([
      ["E12000005", 7],
      ["E92000001", 0],
      ["E08000026", 7],
    ]);
    expect(series[2]?.points[0]).toMatchObject({ period: "1999", value: 27 });
  });

  it("is idempotent", async () => {
    await seedDemo(db);
    const count = await db
      .selectFrom("observation")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(63);
  });

  it("writes nothing when one observation names an unknown area", async () => {
    await expect(
      db.transaction().execute((trx) =>
        upsertObservations(trx, [
          {
            indicatorCode: "NI 151",
            areaCode: "E08000026",
            period: "2007 Q3",
            value: 1,
            numerator: null,
            denominator: null,
            lower: null,
            upper: null,
          },
          {
            indicatorCode: "NI 151",
            areaCode: "NOPE",
            period: "2007 Q3",
            value: 1,
            numerator: null,
            denominator: null,
            lower: null,
            upper: null,
          },
        ]),
      ),
    ).rejects.toThrow('Unknown area code "NOPE"');
    const [coventry] = await seriesFor(db, { indicatorCode: "NI 151", areaCodes: ["E08000026"] });
    expect(coventry?.points.at(-1)?.period).toBe("2007 Q2");
  });
});

describe("createDb on a SQLite file", () => {
  it("creates the folder, uses WAL and enforces foreign keys", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fivestep-db-"));
    const db = createDb(join(dir, "nested", "fivestep.db"));
    try {
      await migrateToLatest(db);
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
      expect(mode.rows[0]?.journal_mode).toBe("wal");
      await expect(
        db
          .insertInto("area")
          .values({ code: "X1", name: "X", type: "ward", parent_code: "MISSING" })
          .execute(),
      ).rejects.toThrow(/FOREIGN KEY/);
      // A second run finds nothing to do.
      expect((await migrateToLatest(db)).results).toEqual([]);
    } finally {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
