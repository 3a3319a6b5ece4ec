import type { Kysely } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "./database.ts";
import { openImportStaging } from "./repositories/import-staging.ts";
import { createTestDb } from "./testing.ts";

let db: Kysely<Database>;
beforeEach(async () => {
  db = await createTestDb();
});
afterEach(() => db.destroy());

const key = (row: number, period: string, breakdown = "") => ({
  indicatorId: 1,
  areaId: 2,
  period,
  breakdown,
  row,
});
const staged = async () =>
  Number(
    (
      await db
        .selectFrom("import_staging_key")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe.each([false, true])("import staging (portable path: %s)", (generic) => {
  it("finds a key given twice, within a batch and across batches, naming the row that gave it first", async () => {
    const staging = await openImportStaging(db, { fileId: null, at: new Date().toISOString(), generic });
    expect(await staging.stageKeys([key(2, "2007 Q1"), key(3, "2007 Q2"), key(4, "2007 Q1")])).toEqual([
      null,
      null,
      2,
    ]);
    expect(
      await staging.stageKeys([key(5, "2007 Q2"), key(6, "2007 Q2", "Male"), key(7, "2007 Q3")]),
    ).toEqual([3, null, null]);
    // Another run keeps its own keys.
    const other = await openImportStaging(db, { fileId: null, at: new Date().toISOString(), generic });
    expect(await other.stageKeys([key(2, "2007 Q1")])).toEqual([null]);
    await staging.clear();
    await other.clear();
    expect(await staged()).toBe(0);
    expect(await db.selectFrom("import_staging_run").selectAll().execute()).toEqual([]);
  });

  it("counts the distinct texts, most frequent first, with their first row", async () => {
    const staging = await openImportStaging(db, { fileId: null, at: new Date().toISOString(), generic });
    await staging.stageTexts([
      { text: "Claimant count | Count", rows: 2, firstRow: 2 },
      { text: "Claimants | Percentage", rows: 1, firstRow: 3 },
    ]);
    await staging.stageTexts([
      { text: "Claimants | Percentage", rows: 3, firstRow: 40 },
      { text: "Rare", rows: 1, firstRow: 41 },
    ]);
    expect(await staging.texts(2)).toEqual({
      texts: [
        { text: "Claimants | Percentage", rows: 4, firstRow: 3 },
        { text: "Claimant count | Count", rows: 2, firstRow: 2 },
      ],
      distinct: 3,
    });
    await staging.clear();
  });
});

it("clears what a crashed run left a day ago when the next run starts", async () => {
  const crashed = await openImportStaging(db, { fileId: null, at: "2020-01-01T00:00:00.000Z" });
  await crashed.stageKeys([key(2, "2007 Q1")]);
  await crashed.stageTexts([{ text: "x", rows: 1, firstRow: 2 }]);
  const next = await openImportStaging(db, { fileId: null, at: new Date().toISOString() });
  expect(await staged()).toBe(0);
  expect(await db.selectFrom("import_staging_text").selectAll().execute()).toEqual([]);
  expect((await db.selectFrom("import_staging_run").select("id").execute()).map((r) => r.id)).toEqual([
    next.runId,
  ]);
});

it("undoes a commit's staging with its transaction", async () => {
  await db
    .transaction()
    .execute(async (trx) => {
      const staging = await openImportStaging(db, { trx, fileId: null, at: new Date().toISOString() });
      await staging.stageKeys([key(2, "2007 Q1")]);
      throw new Error("refused");
    })
    .catch(() => {});
  expect(await staged()).toBe(0);
  expect(await db.selectFrom("import_staging_run").selectAll().execute()).toEqual([]);
});
