import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixture, type Fixture } from "../testing/fixtures.ts";

// A real Nomis extract (DWP/ONS claimant count via Trafford Data Lab, see test-data/README.md): two
// indicators, each in its own measure ("Count", "Percentage"), mixed in one file, for Trafford, its
// wards, its CIPFA neighbours and England, monthly from March 2023. Imported unchanged, the way an
// administrator does: upload, preview, add the unknown areas from the file, preview, commit.
const DATA = new URL("../../test-data/", import.meta.url);
type Row = Record<"area_code" | "area_name" | "period" | "indicator" | "measure" | "units" | "value", string>;
const FILE = parse(readFileSync(new URL("claimant_count.csv", DATA)), {
  columns: true,
  bom: true,
  skip_empty_lines: true,
}) as Row[];

const COUNT_TEXT = "Claimant count | Count";
const RATE_TEXT = "Claimants as a proportion of residents aged 16-64 | Percentage";
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
/** "March 2023" → "2023-03", read here from the file's own spelling. */
const monthKey = (period: string) => {
  const [month, year] = period.split(" ");
  return `${year}-${String(MONTHS.indexOf(month as string) + 1).padStart(2, "0")}`;
};

let fx: Fixture;
let admin: Awaited<ReturnType<Fixture["caller"]>>;
beforeAll(async () => {
  fx = await createFixture();
  admin = await fx.caller("admin");
  // England's local authorities, counties, regions and the country, from the real ONS lookup.
  await admin.area.import({
    fileId: await fx.upload(
      "lookup.csv",
      readFileSync(new URL("ons_lad19_county_region_country_dec2019.csv", DATA)),
    ),
  });
  await admin.indicator.create({
    code: "CC-COUNT",
    title: "Claimant count",
    valueType: "count",
    unit: "people",
    polarity: "low-is-good",
    frequency: "monthly",
    periodType: "month",
  });
  await admin.indicator.create({
    code: "CC-RATE",
    title: "Claimants as a proportion of residents aged 16-64",
    valueType: "percentage",
    polarity: "low-is-good",
    frequency: "monthly",
    periodType: "month",
  });
});
afterAll(() => fx.db.destroy());

async function storedValues(): Promise<Map<string, number | null>> {
  const list = await fx.db
    .selectFrom("observation as o")
    .innerJoin("indicator as i", "i.id", "o.indicator_id")
    .innerJoin("area as a", "a.id", "o.area_id")
    .select(["i.code as indicator", "a.code as area", "o.period", "o.breakdown", "o.value"])
    .where("i.code", "in", ["CC-COUNT", "CC-RATE"])
    .execute();
  return new Map(list.map((r) => [`${r.indicator}|${r.area}|${r.period}|${r.breakdown}`, r.value]));
}

describe("the Nomis claimant count file", () => {
  it("lands exactly its values: two indicator columns joined, a row filter, unknown areas added from the file", async () => {
    const fileId = await fx.upload("claimant_count.csv", readFileSync(new URL("claimant_count.csv", DATA)));
    const mapping = {
      source: "Nomis claimant count",
      columns: {
        indicator: ["indicator", "measure"],
        area: "area_code",
        areaName: "area_name",
        period: "period",
        value: "value",
      },
      indicatorValues: { [RATE_TEXT]: "CC-RATE" },
      // Only the rates first: counts are not comparable between areas of different sizes.
      rowFilter: { measure: ["Percentage"] },
    };
    const rates = FILE.filter((r) => r.measure === "Percentage");
    const preview = await admin.imports.preview({ fileId, mapping });
    expect(preview.totalRows).toBe(FILE.length);
    expect(preview.filtered).toBe(FILE.length - rates.length);
    expect(preview.indicatorTexts).toEqual([
      {
        text: RATE_TEXT,
        rows: rates.length,
        firstRow: 2 + FILE.findIndex((r) => r.measure === "Percentage"),
        code: "CC-RATE",
      },
    ]);

    // The wards and North Northamptonshire (2021) are newer than the lookup: each is listed once,
    // with its rows and the name the file gives it.
    const known = new Set((await admin.area.list()).map((a) => a.code));
    const unknown = [...new Set(rates.map((r) => r.area_code).filter((c) => !known.has(c)))];
    expect(unknown).toHaveLength(22);
    expect(preview.unknownAreas).toEqual(
      unknown.map((code) => ({
        value: code,
        rows: rates.filter((r) => r.area_code === code).length,
        firstRow: 2 + FILE.findIndex((r) => r.area_code === code && r.measure === "Percentage"),
        name: FILE.find((r) => r.area_code === code)?.area_name,
      })),
    );
    expect(preview.unknownAreas.find((u) => u.value === "E06000061")).toMatchObject({
      name: "North Northamptonshire",
      rows: 37,
    });
    expect(preview.problems.map((p) => p.code)).toEqual(unknown.map(() => "import.unknownArea"));
    expect(preview.problemCount).toBe(22);

    await admin.imports.addAreas({
      areas: preview.unknownAreas.map((u) =>
        u.value.startsWith("E05")
          ? { code: u.value, name: u.name ?? "", type: "ward", parentCode: "E08000009" }
          : { code: u.value, name: u.name ?? "", type: "district", parentCode: "E12000004" },
      ),
    });
    expect((await admin.area.byCode({ code: "E05015239" })).name).toBe("Altrincham");
    const ready = await admin.imports.preview({ fileId, mapping });
    expect(ready).toMatchObject({ problemCount: 0, accepted: rates.length, unknownAreas: [] });

    // Then the counts as well: both measures, each its own indicator.
    const both = {
      ...mapping,
      indicatorValues: { [RATE_TEXT]: "CC-RATE", [COUNT_TEXT]: "CC-COUNT" },
      rowFilter: { measure: ["Count", "Percentage"] },
    };
    const full = await admin.imports.preview({ fileId, mapping: both });
    expect(full).toMatchObject({
      filtered: 0,
      accepted: FILE.length,
      problemCount: 0,
      indicatorTextCount: 2,
    });
    expect(full.indicatorTexts.map((t) => [t.text, t.rows, t.code])).toEqual([
      [COUNT_TEXT, 650, "CC-COUNT"],
      [RATE_TEXT, 650, "CC-RATE"],
    ]);
    expect(full.indicators).toEqual([
      { code: "CC-COUNT", rows: 650, firstPeriod: "2023-03", lastPeriod: "2026-03" },
      { code: "CC-RATE", rows: 650, firstPeriod: "2023-03", lastPeriod: "2026-03" },
    ]);
    const commit = await admin.imports.commit({ fileId, saveMappingAs: "Nomis claimant count" });
    if (!commit.ok) throw new Error("the commit was refused");
    expect(commit.result).toMatchObject({ inserted: FILE.length, updated: 0, rejected: 0 });

    // Specific values, as the file gives them.
    const values = await storedValues();
    expect(values.get("CC-COUNT|E92000001|2023-03|")).toBe(1343645);
    expect(values.get("CC-RATE|E92000001|2023-03|")).toBe(3.7);
    expect(values.get("CC-COUNT|E06000030|2023-03|")).toBe(4460);
    expect(values.get("CC-RATE|E06000030|2023-03|")).toBe(2.9);
    expect(values.get("CC-COUNT|E05015239|2026-03|")).toBe(160);
    expect(values.get("CC-RATE|E05015239|2026-03|")).toBe(2.2);
    // And every other row of the file, exactly once.
    for (const r of FILE) {
      const code = r.measure === "Count" ? "CC-COUNT" : "CC-RATE";
      expect(
        values.get(`${code}|${r.area_code}|${monthKey(r.period)}|`),
        `${code} ${r.area_code} ${r.period}`,
      ).toBe(Number(r.value));
    }
    expect(values.size).toBe(FILE.length);

    const trafford = await admin.observation.series({ indicatorCode: "CC-RATE", areaCodes: ["E08000009"] });
    expect(trafford.series[0]?.points).toHaveLength(
      FILE.filter((r) => r.area_code === "E08000009").length / 2,
    );
    expect((await admin.imports.mappings()).map((m) => m.source)).toEqual(["Nomis claimant count"]);
  });
});
