import { readFileSync } from "node:fs";
import { seriesFor } from "@fivestep/db";
import { PriorityIndicatorFieldsSchema } from "@fivestep/domain";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyseIndicator } from "./plan-analysis.ts";
import { createFixture, type Fixture } from "./testing/fixtures.ts";

// Step 1's rank and quintile among the comparator group, for every area of a real file: Trafford
// and its 15 CIPFA nearest neighbours (the demo's files), each read as the partnership's area in
// turn, against a computation here that counts rather than sorts: rank = 1 + the number of areas
// strictly better; quintile = 6 − ⌈5 × (areas at least as good) / N⌉ (1 the worst fifth; none
// under 5 values), which is PHEindicatormethods' phe_quantile written another way.
const DATA = new URL("../demo-data/trafford/", import.meta.url);
const rows = (name: string) =>
  parse(readFileSync(new URL(name, DATA)), { columns: true, bom: true, skip_empty_lines: true }) as Array<
    Record<string, string>
  >;
const NEIGHBOURS = rows("cipfalga0724.csv").map((r) => ({
  code: r.area_code ?? "",
  name: r.area_name ?? "",
}));
const AREAS = [{ code: "E08000009", name: "Trafford" }, ...NEIGHBOURS];
const codes = new Set(AREAS.map((a) => a.code));

const FILES = [
  {
    code: "RQ-LE-MALE",
    polarity: "high-is-good" as const,
    valueType: "mean" as const,
    rows: rows("life_expectancy.csv").filter((r) => r.inequality === "Male"),
  },
  {
    code: "RQ-SMOKING",
    polarity: "low-is-good" as const,
    valueType: "percentage" as const,
    rows: rows("adults_smoking.csv"),
  },
];

let fx: Fixture;
let groupId: number;

beforeAll(async () => {
  fx = await createFixture();
  const admin = await fx.caller("admin");
  for (const a of AREAS)
    await admin.area.create({ code: a.code, name: a.name, type: "district", parentCode: "E12000005" });
  groupId = (await admin.comparatorGroup.create({ name: "CIPFA", areaCodes: NEIGHBOURS.map((n) => n.code) }))
    .id;
  for (const file of FILES) {
    await admin.indicator.create({
      code: file.code,
      title: file.code,
      valueType: file.valueType,
      polarity: file.polarity,
      frequency: "annual",
    });
    const lines = ["area_code,period,value"];
    for (const r of file.rows)
      if (codes.has(r.area_code ?? "") && r.value !== "" && r.value !== "NA")
        lines.push(`${r.area_code},${(r.period ?? "").replaceAll(" ", "")},${r.value}`);
    const fileId = await fx.upload(`${file.code}.csv`, `${lines.join("\n")}\n`);
    const preview = await admin.imports.preview({
      fileId,
      mapping: {
        source: `Rank test ${file.code}`,
        indicatorCode: file.code,
        columns: { area: "area_code", period: "period", value: "value" },
      },
    });
    expect(preview.problems).toEqual([]);
    expect((await admin.imports.commit({ fileId })).ok).toBe(true);
  }
}, 120_000);
afterAll(() => fx.db.destroy());

describe("rank and quintile among the comparator group", () => {
  it.each(FILES)("agree with an independent count for every area of the file ($code)", async (file) => {
    let ranked = 0;
    for (const area of AREAS) {
      const data = PriorityIndicatorFieldsSchema.parse({
        indicatorCode: file.code,
        comparatorGroupId: groupId,
      });
      const a = await analyseIndicator(fx.db, { areaCode: area.code, itemId: 1, data, forecast: false });
      if (!a.latest) continue;
      const period = a.latest.period;
      const members = [...new Set([area.code, ...NEIGHBOURS.map((n) => n.code)])];
      const values = members
        .map((c) => a.series.find((s) => s.areaCode === c)?.points.find((p) => p.period === period)?.value)
        .filter((v): v is number => typeof v === "number");
      const mine = a.latest.value as number;
      const better = (v: number) => (file.polarity === "high-is-good" ? v > mine : v < mine);
      const atLeastAsGood = values.filter((v) => v === mine || better(v)).length;
      const N = values.length;
      const quintile = Math.max(1, 6 - Math.ceil((5 * atLeastAsGood) / N));
      const expected = { position: 1 + values.filter(better).length, of: N, quintile };
      if (N < 5) {
        expect(a.rank, area.name).toBeNull();
        expect(a.rankWhyNot).toBe("too-few");
        continue;
      }
      expect(a.rank, area.name).toEqual({ ...expected, missing: members.length - N });
      // Every area imported here (Trafford and its neighbours) is a district or unitary authority:
      // the national rank is among all of their values in that period.
      const all = await seriesFor(fx.db, { indicatorCode: file.code, areaCodes: AREAS.map((x) => x.code) });
      const everyValue = all
        .map((x) => x.points.find((p) => p.period === period)?.value)
        .filter((v): v is number => typeof v === "number");
      const asGood = everyValue.filter((v) => v === mine || better(v)).length;
      expect(a.nationalRank, area.name).toEqual({
        position: 1 + everyValue.filter(better).length,
        of: everyValue.length,
        quintile: Math.max(1, 6 - Math.ceil((5 * asGood) / everyValue.length)),
      });
      ranked++;
    }
    expect(ranked).toBe(AREAS.length);
  });
});
