import {
  type Database,
  DEMO_INDICATORS,
  insertItem,
  insertPartnership,
  insertPlan,
  insertPriority,
  nowIso,
  upsertArea,
  upsertObservations,
} from "@fivestep/db";
import { createTestDb } from "@fivestep/db/testing";
import type { Kysely, KyselyPlugin } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { recomputeStatuses } from "./monitoring.ts";

let db: Kysely<Database> | undefined;
afterEach(async () => {
  await db?.destroy();
  db = undefined;
});

/** A plugin that counts the statements executed through it. */
function statementCounter() {
  const counter = { count: 0 };
  const plugin: KyselyPlugin = {
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      counter.count++;
      return args.result;
    },
  };
  return { counter, plugin };
}

const QUARTERS = ["2007 Q1", "2007 Q2", "2007 Q3", "2007 Q4", "2008 Q1", "2008 Q2", "2008 Q3", "2008 Q4"];
const YEARS = ["2005", "2006", "2007", "2008"];

/**
 * `areas` districts, each with a partnership whose draft plan has one priority with a target on
 * each demo indicator, and eight quarters (four years for the annual one) of data per area.
 */
async function manyTargets(target: Kysely<Database>, areas: number) {
  const now = nowIso();
  return target.transaction().execute(async (trx) => {
    const observations = [];
    const itemIds: number[] = [];
    for (let a = 0; a < areas; a++) {
      const code = `E0799${String(a).padStart(4, "0")}`;
      await upsertArea(trx, { code, name: `District ${a + 1}`, type: "district", parentCode: "E12000005" });
      const partnership = await insertPartnership(trx, {
        name: `District ${a + 1} Partnership`,
        area_code: code,
        created_at: now,
        updated_at: now,
      });
      const plan = await insertPlan(trx, {
        partnership_id: partnership.id,
        title: "Many targets",
        vision: "",
        start_year: 2008,
        status: "draft",
        revision: 1,
        previous_plan_id: null,
        created_at: now,
        updated_at: now,
      });
      const priority = await insertPriority(trx, {
        plan_id: plan.id,
        position: 1,
        theme: "Economy",
        title: "Jobs",
        owner_name: "Owner",
        fields_json: "{}",
        created_at: now,
        updated_at: now,
      });
      for (const [k, indicator] of DEMO_INDICATORS.entries()) {
        const periods = indicator.frequency === "annual" ? YEARS : QUARTERS;
        const item = await insertItem(trx, {
          plan_id: plan.id,
          priority_id: priority.id,
          kind: "indicator",
          position: k + 1,
          data_json: JSON.stringify({
            indicatorCode: indicator.code,
            baselinePeriod: periods[0],
            baselineValue: 50,
            tolerance: 0.5,
            milestones: [{ period: periods.at(-1), value: 52, reason: "" }],
          }),
          lead_user_id: null,
          created_at: now,
          updated_at: now,
        });
        itemIds.push(item.id);
        for (const [p, period] of periods.entries())
          observations.push({
            indicatorCode: indicator.code,
            areaCode: code,
            period,
            // Areas move differently, so that their targets land on every status.
            value: 50 + ((a % 5) - 2) * 0.4 * p,
            numerator: null,
            denominator: null,
            lower: null,
            upper: null,
          });
      }
    }
    await upsertObservations(trx, observations);
    return itemIds;
  });
}

describe("recomputeStatuses over many targets", () => {
  it("reads and writes in a number of statements bounded by the indicators, not the targets", async () => {
    db = await createTestDb({ demo: true });
    const itemIds = await manyTargets(db, 30);
    expect(itemIds).toHaveLength(90);

    const { counter, plugin } = statementCounter();
    const counted = db.withPlugin(plugin);
    const first = await counted
      .transaction()
      .execute((trx) => recomputeStatuses(trx, { cause: "Many targets loaded" }));
    // Every target is new: each gets a status and a change.
    expect(first.map((c) => c.itemId).sort((x, y) => x - y)).toEqual(itemIds);
    expect(new Set(first.map((c) => c.to)).size).toBeGreaterThan(1);
    const indicators = DEMO_INDICATORS.length;
    expect(counter.count).toBeLessThanOrEqual(3 * indicators + 8);

    const stored = await db.selectFrom("target_status").select(["item_id", "status"]).execute();
    expect(new Map(stored.map((s) => [s.item_id, s.status]))).toEqual(
      new Map(first.map((c) => [c.itemId, c.to])),
    );
    const changes = await db.selectFrom("status_change").select(["item_id", "to_status", "cause"]).execute();
    expect(changes).toHaveLength(90);
    expect(new Set(changes.map((c) => c.cause))).toEqual(new Set(["Many targets loaded"]));

    // Nothing changed since: no change is recorded, in as few statements.
    counter.count = 0;
    const again = await counted
      .transaction()
      .execute((trx) => recomputeStatuses(trx, { cause: "Nothing new" }));
    expect(again).toEqual([]);
    expect(counter.count).toBeLessThanOrEqual(3 * indicators + 8);
    expect(await db.selectFrom("status_change").select("id").execute()).toHaveLength(90);
  });
});
