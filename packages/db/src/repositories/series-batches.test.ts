import { afterEach, describe, expect, it } from "vitest";
import { createTestDb } from "../testing.ts";
import { findIndicatorsByCodes } from "./indicators.ts";
import { targetStatuses } from "./monitoring.ts";
import { latestValuesByArea, seriesByArea, seriesFor, upsertObservations } from "./observations.ts";

let db: Awaited<ReturnType<typeof createTestDb>> | undefined;
afterEach(async () => {
  await db?.destroy();
  db = undefined;
});

const point = (areaCode: string, period: string, value: number | null) => ({
  indicatorCode: "NI 171",
  areaCode,
  period,
  value,
  numerator: null,
  denominator: null,
  lower: null,
  upper: null,
});

describe("reading many areas' series at once", () => {
  it("gives each area the series seriesFor gives, and the latest values of its latest first day", async () => {
    db = await createTestDb({ demo: true });
    await db.transaction().execute((trx) =>
      upsertObservations(trx, [
        // Coventry: a quarter that starts on the same day as its latest year, and a later empty one.
        point("E08000026", "2006", 30),
        point("E08000026", "2006 Q1", 12),
        point("E08000026", "2007 Q1", null),
        // Wolverhampton: its latest value is empty, so the one before is its latest.
        point("E08000031", "2006", null),
      ]),
    );
    const ni171 = (await findIndicatorsByCodes(db, ["NI 171", "NI 999"])).get("NI 171");
    expect(ni171?.code).toBe("NI 171");
    const indicatorId = ni171?.id as number;
    const areaCodes = ["E08000026", "E08000031", "E99999999"];

    const whole = await seriesByArea(db, { indicatorId, areaCodes });
    const one = await seriesFor(db, { indicatorCode: "NI 171", areaCodes });
    expect([...whole.keys()].sort()).toEqual(["E08000026", "E08000031"]);
    for (const s of one.filter((x) => x.points.length > 0)) expect(whole.get(s.areaCode)).toEqual(s.points);

    const latest = await latestValuesByArea(db, { indicatorId, areaCodes });
    // 2006 and 2006 Q1 both start on 1 January 2006: both, in seriesFor's order.
    expect(latest.get("E08000026")?.map((p) => [p.period, p.value])).toEqual([
      ["2006", 30],
      ["2006 Q1", 12],
    ]);
    const wolverhampton = (whole.get("E08000031") ?? []).filter((p) => p.value !== null).at(-1);
    // The latest values carry what a status needs (not the publisher's judgement the series shows).
    expect(latest.get("E08000031")).toHaveLength(1);
    expect(wolverhampton).toMatchObject(latest.get("E08000031")?.[0] ?? {});
    expect(latest.has("E99999999")).toBe(false);
  });

  it("reads the stored statuses of more targets than SQLite takes parameters in one statement", async () => {
    db = await createTestDb();
    const ids = Array.from({ length: 40_000 }, (_, k) => k + 1);
    // No target exists: the point is that the read is split, not refused ("too many SQL variables").
    expect(await targetStatuses(db, ids)).toEqual([]);
  });
});
