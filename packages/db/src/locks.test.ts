import { type Kysely, Migrator } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDb } from "./create-db.ts";
import type { Database } from "./database.ts";
import { migrations } from "./migrations/index.ts";
import { insertImportBatch } from "./repositories/import-batches.ts";
import {
  insertPeriodLock,
  lockedChanges,
  recordObservationRevision,
  reportedPeriods,
  reviseObservation,
} from "./repositories/locks.ts";
import { createObservationWriter } from "./repositories/observation-writer.ts";
import { listRevisions } from "./repositories/revisions.ts";
import { createTestDb } from "./testing.ts";

let db: Kysely<Database>;
let ni151: number;
let coventry: number;
let wolverhampton: number;
beforeEach(async () => {
  db = await createTestDb({ demo: true });
  const id = async (table: "indicator" | "area", code: string) =>
    (await db.selectFrom(table).select("id").where("code", "=", code).executeTakeFirstOrThrow()).id;
  ni151 = await id("indicator", "NI 151");
  coventry = await id("area", "E08000026");
  wolverhampton = await id("area", "E08000031");
});
afterEach(() => db.destroy());

const stored = (areaId: number, period: string) =>
  db
    .selectFrom("observation")
    .select(["id", "value", "batch_id"])
    .where("indicator_id", "=", ni151)
    .where("area_id", "=", areaId)
    .where("period", "=", period)
    .executeTakeFirstOrThrow();

describe("locked periods", () => {
  it("lists the periods an indicator has values for, newest first, with their counts", async () => {
    const periods = await reportedPeriods(db, "NI 151");
    expect(periods[0]).toEqual({ period: "2007 Q2", values: 3 });
    expect(periods.every((p) => typeof p.values === "number")).toBe(true);
  });

  it("finds exactly the rows that would change a locked value", async () => {
    await insertPeriodLock(db, {
      indicatorId: ni151,
      period: "2007 Q2",
      by: null,
      at: "2024-04-01T09:00:00Z",
    });
    const current = (await stored(coventry, "2007 Q2")).value;
    const rows = [
      // The locked period: a new value, the same value, a new breakdown (no value yet).
      { indicatorId: ni151, areaId: coventry, period: "2007 Q2", breakdown: "", value: 73.1 },
      { indicatorId: ni151, areaId: wolverhampton, period: "2007 Q2", breakdown: "", value: null },
      { indicatorId: ni151, areaId: coventry, period: "2007 Q2", breakdown: "Male", value: 70 },
      { indicatorId: ni151, areaId: coventry, period: "2007 Q2", breakdown: "", value: current },
      // An unlocked period.
      { indicatorId: ni151, areaId: coventry, period: "2007 Q1", breakdown: "", value: 1 },
    ];
    const changes = await lockedChanges(db, rows);
    expect(changes.map((c) => [c.index, c.current.value, c.lock.period])).toEqual([
      [0, current, "2007 Q2"],
      [1, (await stored(wolverhampton, "2007 Q2")).value, "2007 Q2"],
    ]);
    // Only the fields a row gives are compared: the same value with new limits is a change.
    expect(
      await lockedChanges(db, [{ ...rows[3], lower: 70, upper: 75 } as (typeof rows)[number]]),
    ).toHaveLength(1);
    expect(await lockedChanges(db, [])).toEqual([]);
  });

  it("records a revision with its reason beside an import batch's, and writes a return's value with one", async () => {
    const before = await stored(coventry, "2007 Q2");
    const changed = await reviseObservation(
      db,
      { indicatorId: ni151, areaId: coventry, period: "2007 Q2", breakdown: "" },
      {
        value: 73.1,
        numerator: null,
        denominator: null,
        lower: null,
        upper: null,
        status: "final",
        note: null,
      },
      { by: null, at: "2024-04-01T09:00:00Z", reason: "The ONS revised the survey" },
    );
    expect(changed).toMatchObject({
      outcome: "updated",
      observationId: before.id,
      old: { value: before.value },
    });
    expect((await stored(coventry, "2007 Q2")).value).toBe(73.1);
    // The same value again changes nothing; a new key is inserted without a revision.
    const again = await reviseObservation(
      db,
      { indicatorId: ni151, areaId: coventry, period: "2007 Q2", breakdown: "" },
      {
        value: 73.1,
        numerator: null,
        denominator: null,
        lower: null,
        upper: null,
        status: "final",
        note: null,
      },
      { by: null, at: "2024-04-02T09:00:00Z", reason: null },
    );
    expect(again.outcome).toBe("unchanged");
    const inserted = await reviseObservation(
      db,
      { indicatorId: ni151, areaId: coventry, period: "2009 Q1", breakdown: "" },
      {
        value: 70,
        numerator: null,
        denominator: null,
        lower: null,
        upper: null,
        status: "final",
        note: null,
      },
      { by: null, at: "2024-04-02T09:00:00Z", reason: null },
    );
    expect(inserted).toMatchObject({ outcome: "inserted", old: null });

    // An import changes the value too; the import side records its reason beside its batch.
    const batchId = await insertImportBatch(db, {
      fileId: null,
      source: "ONS",
      fileName: "x.csv",
      by: null,
      at: "t",
    });
    await db.transaction().execute(async (trx) => {
      const writer = createObservationWriter(
        db,
        trx,
        { batchId, userId: null, at: "2024-04-03T09:00:00Z" },
        { generic: true },
      );
      await writer.write([
        {
          indicatorId: ni151,
          areaId: coventry,
          period: "2007 Q2",
          periodType: "quarter",
          periodStart: "2007-04-01",
          breakdown: "",
          value: 73.4,
          numerator: null,
          denominator: null,
          lower: null,
          upper: null,
          status: "final",
          note: null,
        },
      ]);
    });
    await recordObservationRevision(db, {
      observationId: before.id,
      old: {
        value: 73.4,
        numerator: null,
        denominator: null,
        lower: null,
        upper: null,
        status: "final",
        note: null,
      },
      new: {
        value: 73.5,
        numerator: null,
        denominator: null,
        lower: null,
        upper: null,
        status: "final",
        note: null,
      },
      by: null,
      at: "2024-04-04T09:00:00Z",
      reason: "Corrected by the publisher",
      batchId,
    });
    const revisions = await listRevisions(db, { indicatorCode: "NI 151", areaCode: "E08000026" });
    expect(revisions.map((r) => [r.batchId, r.old.value, r.new.value, r.reason])).toEqual([
      [batchId, 73.4, 73.5, "Corrected by the publisher"],
      [batchId, 73.1, 73.4, null],
      [null, before.value, 73.1, "The ONS revised the survey"],
    ]);
  });
});

describe("migration 0014", () => {
  it("keeps import revisions, approves returns submitted before it, and can be undone", async () => {
    const old = createDb(":memory:");
    try {
      const migrator = new Migrator({ db: old, provider: { getMigrations: async () => migrations } });
      const to = async (name: string) => {
        const r = await migrator.migrateTo(name);
        if (r.error) throw r.error;
      };
      await to("0013_import_staging");
      // biome-ignore lint/suspicious/noExplicitAny: rows of the schema before this migration
      const raw = old as unknown as Kysely<any>;
      const user = await raw
        .insertInto("app_user")
        .values({
          email: "a@b.example",
          display_name: "A",
          status: "active",
          created_at: "t",
          updated_at: "t",
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const partnership = await raw
        .insertInto("area")
        .values({ code: "E08000026", name: "Coventry", type: "district", parent_code: null })
        .execute()
        .then(() =>
          raw
            .insertInto("partnership")
            .values({ name: "P", area_code: "E08000026", created_at: "t", updated_at: "t" })
            .returning("id")
            .executeTakeFirstOrThrow(),
        );
      for (const [period, status] of [
        ["2007 Q1", "submitted"],
        ["2007 Q2", "due"],
      ])
        await raw
          .insertInto("data_return")
          .values({
            partnership_id: partnership.id,
            indicator_code: "NI 151",
            period,
            due_date: "2007-08-31",
            assignee_user_id: user.id,
            status,
            value: status === "due" ? null : 72,
            note: "",
            created_at: "t",
          })
          .execute();
      const indicator = await raw
        .insertInto("indicator")
        .values({
          code: "NI 151",
          title: "Employment",
          value_type: "percentage",
          polarity: "high-is-good",
          frequency: "quarterly",
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const area = await raw.selectFrom("area").select("id").executeTakeFirstOrThrow();
      const observation = await raw
        .insertInto("observation")
        .values({
          indicator_id: indicator.id,
          area_id: area.id,
          period: "2007 Q1",
          period_type: "quarter",
          period_start: "2007-01-01",
          value: 72,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const batch = await raw
        .insertInto("import_batch")
        .values({
          source: "ONS",
          file_name: "x.csv",
          status: "committed",
          inserted: 0,
          updated: 1,
          unchanged: 0,
          skipped: 0,
          rejected: 0,
          committed_at: "t",
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const revision = {
        observation_id: observation.id,
        batch_id: batch.id,
        old_json: "{}",
        new_json: "{}",
        changed_at: "t",
      };
      await raw.insertInto("observation_revision").values(revision).execute();
      await to("0014_approval_and_locks");
      expect(await raw.selectFrom("observation_revision").selectAll().execute()).toEqual([
        { ...revision, id: 1, previous_batch_id: null, changed_by: null, reason: null, data_return_id: null },
      ]);
      // Revisions from data returns have no batch, and new ones carry on from the copied ids.
      await raw
        .insertInto("observation_revision")
        .values({ ...revision, batch_id: null })
        .execute();
      expect((await raw.selectFrom("observation_revision").select("id").execute()).map((r) => r.id)).toEqual([
        1, 2,
      ]);
      const statuses = await old
        .selectFrom("data_return")
        .select(["period", "status"])
        .orderBy("period")
        .execute();
      expect(statuses).toEqual([
        { period: "2007 Q1", status: "approved" },
        { period: "2007 Q2", status: "due" },
      ]);
      await to("0013_import_staging");
      expect(
        (await raw.selectFrom("data_return").select("status").orderBy("period").execute()).map(
          (r) => r.status,
        ),
      ).toEqual(["submitted", "due"]);
      await to("0014_approval_and_locks");
    } finally {
      await old.destroy();
    }
  });
});
