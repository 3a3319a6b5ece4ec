import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixture, type Fixture } from "./testing/fixtures.ts";
import { planFixture } from "./testing/plan-fixture.ts";

// Step 1's heat map and breakdowns through the real router on a real database: a priority with 10
// indicators read for Coventry, its 15 comparator areas and England (16 areas and England), 20
// periods each, imported as an administrator would.
let fx: Fixture;
let admin: Awaited<ReturnType<Fixture["caller"]>>;
let viewer: Awaited<ReturnType<Fixture["caller"]>>;
let priorityId: number;

const INDICATORS = Array.from({ length: 10 }, (_, k) => `HM-${k + 1}`);
const PEERS = Array.from({ length: 15 }, (_, j) => `E069${String(j + 1).padStart(5, "0")}`);
const PERIODS = Array.from({ length: 20 }, (_, p) => String(2000 + p));
const ENGLAND = "E92000001";
const COVENTRY = "E08000026";
const AREAS = [COVENTRY, ...PEERS];

// The values: each area's value rises with its place in the list; every other area has limits
// (±1), and the areas without limits carry the publisher's judgement on odd indicators.
const value = (k: number, j: number, p: number) => 50 + k + j + p / 10;
const england = (k: number, p: number) => 58 + k + p / 10;
const hasLimits = (j: number) => j % 2 === 0;
const published = (k: number, j: number) => !hasLimits(j) && k % 2 === 1;

async function upload(name: string, lines: string[]) {
  return fx.upload(name, `${lines.join("\n")}\n`);
}

beforeAll(async () => {
  fx = await createFixture();
  admin = await fx.caller("admin");
  viewer = await fx.caller("viewer");
  for (const [j, code] of PEERS.entries())
    await admin.area.create({
      code,
      name: `Peer area ${j + 1}`,
      type: "unitary authority",
      parentCode: "E12000005",
    });
  const group = await admin.comparatorGroup.create({ name: "Coventry's peers", areaCodes: PEERS });
  for (const code of INDICATORS)
    await admin.indicator.create({
      code,
      title: `Heat map indicator ${code}`,
      unit: "%",
      valueType: "percentage",
      polarity: Number(code.slice(3)) % 3 === 0 ? "low-is-good" : "high-is-good",
      frequency: "annual",
      source: `Test source for ${code}`,
    });
  const lines = ["indicator,area_code,period,value,lower,upper,judgement"];
  for (const [k, code] of INDICATORS.entries())
    for (const [p, period] of PERIODS.entries()) {
      lines.push(`${code},${ENGLAND},${period},${england(k, p)},,,`);
      for (const [j, area] of AREAS.entries()) {
        const v = value(k, j, p);
        const limits = hasLimits(j) ? `${v - 1},${v + 1}` : ",";
        lines.push(`${code},${area},${period},${v},${limits},${published(k, j) ? "Worse" : ""}`);
      }
    }
  const fileId = await upload("heat-map.csv", lines);
  const preview = await admin.imports.preview({
    fileId,
    mapping: {
      source: "Heat map test file",
      columns: {
        indicator: "indicator",
        area: "area_code",
        period: "period",
        value: "value",
        lower: "lower",
        upper: "upper",
        judgement: "judgement",
      },
    },
  });
  expect(preview.problems).toEqual([]);
  expect((await admin.imports.commit({ fileId })).ok).toBe(true);

  const plan = await planFixture(fx);
  const editor = await fx.caller("editor");
  const priority = await editor.priority.create({
    partnershipId: fx.coventryId,
    planId: plan.planId,
    theme: "Health",
    title: "Ten indicators",
    ownerName: "Public health",
  });
  priorityId = priority.id;
  for (const code of INDICATORS)
    await editor.item.save({
      partnershipId: fx.coventryId,
      priorityId,
      item: { kind: "indicator", data: { indicatorCode: code, comparatorGroupId: group.id } },
    });
}, 120_000);
afterAll(() => fx.db.destroy());

describe("step 1's heat map", () => {
  it("answers 10 indicators × 16 areas and England in one request under 100 KB, latest period only", async () => {
    const map = await viewer.priority.heatMap({ partnershipId: fx.coventryId, priorityId });
    const bytes = Buffer.byteLength(JSON.stringify(map), "utf8");
    expect(bytes).toBeLessThan(100 * 1024);
    // The area first, its comparator areas (in the group's order), England last.
    const codes = map.areas.map((a) => a.code);
    expect(codes[0]).toBe(COVENTRY);
    expect(codes.at(-1)).toBe(ENGLAND);
    expect([...codes].sort()).toEqual([...AREAS, ENGLAND].sort());
    expect(map.rows.map((r) => r.code)).toEqual(INDICATORS);
    for (const row of map.rows) {
      expect(row.period).toBe("2019");
      expect(row.cells).toHaveLength(17);
    }
    // Nothing but the shown period's values: no series of 20 periods crosses the wire.
    expect(JSON.stringify(map)).not.toContain('"2018"');
  });

  it("judges every cell against England as an independent reading of the values says", async () => {
    const map = await viewer.priority.heatMap({ partnershipId: fx.coventryId, priorityId });
    const p = PERIODS.length - 1;
    for (const [k, row] of map.rows.entries()) {
      const e = england(k, p);
      const highIsGood = (k + 1) % 3 !== 0;
      for (const [j, code] of AREAS.entries()) {
        const cell = row.cells[map.areas.findIndex((a) => a.code === code)];
        const v = value(k, j, p);
        expect(cell?.value, `${row.code} ${code}`).toBeCloseTo(v, 10);
        let expected: { judgement: string; source: string | null; whyNot: string | null };
        if (hasLimits(j)) {
          const above = v - 1 > e;
          const below = v + 1 < e;
          const judgement = !above && !below ? "similar" : above === highIsGood ? "better" : "worse";
          expected = { judgement, source: "fivestep", whyNot: null };
        } else if (published(k, j)) expected = { judgement: "worse", source: "publisher", whyNot: null };
        else expected = { judgement: "not-compared", source: null, whyNot: "no-interval" };
        expect(cell, `${row.code} ${code}`).toMatchObject(expected);
      }
      expect(row.cells[16]).toMatchObject({ value: e, judgement: "not-compared" });
    }
    // All three judgements occur, so the map's words and colours are all exercised.
    const judgements = new Set(map.rows.flatMap((r) => r.cells.map((c) => c.judgement)));
    expect([...judgements].sort()).toEqual(["better", "not-compared", "similar", "worse"]);
  });

  it("refuses another partnership's priority", async () => {
    const other = await fx.caller("otherLead");
    await expect(other.priority.heatMap({ partnershipId: fx.coventryId, priorityId })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});

describe("step 1's breakdowns", () => {
  async function itemFor(code: string) {
    const editor = await fx.caller("editor");
    const saved = await editor.item.save({
      partnershipId: fx.coventryId,
      priorityId,
      item: { kind: "indicator", data: { indicatorCode: code, comparatorGroupId: null } },
    });
    return saved.id;
  }

  it("gives each sex's latest value and the gap with its interval, from an indicator's own breakdowns", async () => {
    await admin.indicator.create({
      code: "BD-LE",
      title: "Life expectancy at birth",
      unit: "years",
      valueType: "mean",
      polarity: "high-is-good",
      frequency: "annual",
    });
    const fileId = await upload("by-sex.csv", [
      "indicator,area_code,period,sex,value,lower,upper",
      `BD-LE,${COVENTRY},2021,Male,78.0,77.6,78.4`,
      `BD-LE,${COVENTRY},2021,Female,82.0,81.6,82.4`,
      `BD-LE,${COVENTRY},2022,Male,78.5,78.1,78.9`,
      `BD-LE,${COVENTRY},2022,Female,82.1,81.8,82.4`,
    ]);
    await admin.imports.preview({
      fileId,
      mapping: {
        source: "Breakdown test file",
        columns: {
          indicator: "indicator",
          area: "area_code",
          period: "period",
          value: "value",
          lower: "lower",
          upper: "upper",
          breakdown: "sex",
        },
      },
    });
    expect((await admin.imports.commit({ fileId })).ok).toBe(true);
    const itemId = await itemFor("BD-LE");
    const b = await viewer.priority.breakdowns({ partnershipId: fx.coventryId, itemId });
    expect(b.kind).toBe("breakdown");
    expect(b.breakdowns.map((x) => [x.label, x.period, x.value, x.lower, x.upper])).toEqual([
      ["Female", "2022", 82.1, 81.8, 82.4],
      ["Male", "2022", 78.5, 78.1, 78.9],
    ]);
    // The gap's interval, computed here from the limits (each read as 95%: se = width / 2z).
    const z = 1.959963984540054;
    const se = (lo: number, hi: number) => (hi - lo) / (2 * z);
    const half = z * Math.sqrt(se(81.8, 82.4) ** 2 + se(78.1, 78.9) ** 2);
    expect(b.gap?.period).toBe("2022");
    expect(b.gap?.higher).toBe("Female");
    expect(b.gap?.lower).toBe("Male");
    expect(b.gap?.gap).toBeCloseTo(3.6, 10);
    expect(b.gap?.gapLower).toBeCloseTo(3.6 - half, 10);
    expect(b.gap?.gapUpper).toBeCloseTo(3.6 + half, 10);
    expect(b.gap?.significant).toBe(true);
  });

  it("reads the catalogue's indicators of one measure as its breakdowns, and says when there are none", async () => {
    for (const [code, title] of [
      ["FAM-M", "A measure (male)"],
      ["FAM-F", "A measure (female)"],
    ] as const)
      await admin.indicator.create({
        code,
        title,
        unit: "years",
        valueType: "mean",
        polarity: "high-is-good",
        frequency: "annual",
        source: "One published measure, by sex",
      });
    const fileId = await upload("family.csv", [
      "indicator,area_code,period,value",
      `FAM-M,${COVENTRY},2020,79.1`,
      `FAM-F,${COVENTRY},2020,83.0`,
      `FAM-M,${COVENTRY},2021,79.4`,
    ]);
    await admin.imports.preview({
      fileId,
      mapping: {
        source: "Family test file",
        columns: { indicator: "indicator", area: "area_code", period: "period", value: "value" },
      },
    });
    expect((await admin.imports.commit({ fileId })).ok).toBe(true);
    const b = await viewer.priority.breakdowns({
      partnershipId: fx.coventryId,
      itemId: await itemFor("FAM-M"),
    });
    expect(b.kind).toBe("indicator");
    expect(b.breakdowns.map((x) => [x.indicatorCode, x.period, x.value])).toEqual([
      ["FAM-F", "2020", 83],
      ["FAM-M", "2021", 79.4],
    ]);
    // The gap is taken in the newest period both have, and has no interval without limits.
    expect(b.gap).toMatchObject({
      period: "2020",
      higher: "A measure (female)",
      gapLower: null,
      gapUpper: null,
    });
    expect(b.gap?.gap).toBeCloseTo(3.9, 10);

    const detail = await viewer.priority.byId({ partnershipId: fx.coventryId, priorityId });
    const first = detail.items.find((i) => i.kind === "indicator" && i.data.indicatorCode === "HM-1");
    const none = await viewer.priority.breakdowns({ partnershipId: fx.coventryId, itemId: first?.id ?? 0 });
    expect(none).toMatchObject({ kind: null, breakdowns: [], gap: null });
  });
});
