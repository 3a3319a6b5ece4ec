import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixture, type Fixture } from "../testing/fixtures.ts";

// The real files in packages/api/test-data (see its README), imported the way an administrator
// does: upload, preview, commit, through the real router. Expected values are read from the files.
const DATA = new URL("../../test-data/", import.meta.url);
const text = (name: string) => readFileSync(new URL(name, DATA), "utf8");
const rows = (name: string) =>
  parse(text(name), { columns: true, bom: true, skip_empty_lines: true }) as Array<Record<string, string>>;

let fx: Fixture;
let admin: Awaited<ReturnType<Fixture["caller"]>>;

async function stored(indicatorCode: string) {
  const list = await fx.db
    .selectFrom("observation as o")
    .innerJoin("indicator as i", "i.id", "o.indicator_id")
    .innerJoin("area as a", "a.id", "o.area_id")
    .select(["a.code", "o.period", "o.breakdown", "o.value"])
    .where("i.code", "=", indicatorCode)
    .execute();
  return new Map(list.map((r) => [`${r.code}|${r.period}|${r.breakdown}`, r.value]));
}

async function knownAreas(): Promise<Set<string>> {
  return new Set((await fx.db.selectFrom("area").select("code").execute()).map((r) => r.code));
}

async function upload(name: string): Promise<number> {
  return fx.upload(name, readFileSync(new URL(name, DATA)));
}

beforeAll(async () => {
  fx = await createFixture();
  admin = await fx.caller("admin");
});
afterAll(() => fx.db.destroy());

describe("the real ONS geography lookups", () => {
  it("load every area with its type and parent, from the LAD → county → region → country lookup", async () => {
    const file = rows("ons_lad19_county_region_country_dec2019.csv");
    const result = await admin.area.import({
      fileId: await upload("ons_lad19_county_region_country_dec2019.csv"),
    });
    expect(result.levels.map((l) => l.type)).toEqual(["country", "region", "county", "district"]);
    expect(result.rows).toBe(file.length);
    const codes = new Set(
      file.flatMap((r) => [r.LAD19CD, r.CTY19CD, r.RGN19CD, r.CTRY19CD]).filter((c) => c),
    );
    expect(result.inserted + result.updated + result.unchanged).toBe(codes.size);

    for (const r of file) {
      const area = await admin.area.byCode({ code: r.LAD19CD as string });
      expect(area.name).toBe(r.LAD19NM);
      expect(area.type).toBe("district");
      expect(area.parentCode).toBe(r.CTY19CD || r.RGN19CD || r.CTRY19CD);
    }
    const trafford = await admin.area.byCode({ code: "E08000009" });
    expect(trafford.parentCode).toBe("E11000001");
    expect((await admin.area.byCode({ code: "E11000001" })).parentCode).toBe("E12000002");
    expect((await admin.area.byCode({ code: "E12000002" })).parentCode).toBe("E92000001");
  });

  it("load the LAD → region and district → county lookups, changing only what differs", async () => {
    const again = await admin.area.import({
      fileId: await upload("ons_lad19_county_region_country_dec2019.csv"),
    });
    expect(again.inserted + again.updated).toBe(0);

    const rgn = rows("ons_lad18_to_rgn18_dec2018.csv");
    const r18 = await admin.area.import({ fileId: await upload("ons_lad18_to_rgn18_dec2018.csv") });
    expect(r18.levels.map((l) => l.type)).toEqual(["region", "district"]);
    expect(r18.rows).toBe(rgn.length);

    const cty = rows("ons_lad20_to_cty20_apr2020.csv");
    const c20 = await admin.area.import({ fileId: await upload("ons_lad20_to_cty20_apr2020.csv") });
    expect(c20.levels.map((l) => l.type)).toEqual(["county", "district"]);
    expect(c20.rows).toBe(cty.length);
    for (const r of cty)
      expect((await admin.area.byCode({ code: r.LAD20CD as string })).parentCode).toBe(r.CTY20CD);
    // A county at the top of this file keeps the region it already had.
    expect((await admin.area.byCode({ code: "E10000003" })).parentCode).toBe("E12000006");
  });

  it("build the CIPFA nearest-neighbours comparator group from its file", async () => {
    const file = rows("cipfalga0724.csv");
    const input = {
      name: "Trafford CIPFA nearest neighbours",
      areaCodes: file.map((r) => r.area_code as string),
    };
    // North Northamptonshire (2021) is newer than every lookup: it is named, not guessed.
    await expect(admin.comparatorGroup.create(input)).rejects.toThrow("Unknown area code: E06000061");
    await admin.area.create({
      code: "E06000061",
      name: "North Northamptonshire",
      type: "district",
      parentCode: "E12000004",
    });
    const group = await admin.comparatorGroup.create(input);
    expect(group.areas.map((a) => a.code).sort()).toEqual(file.map((r) => r.area_code).sort());
    expect(group.areas.find((a) => a.code === "E06000030")?.name).toBe("Swindon");
  });
});

/** Imports a real file with acceptGoodRows, after checking the preview lists exactly the unknown areas. */
async function importReal(name: string, mapping: Parameters<typeof admin.imports.preview>[0]["mapping"]) {
  const fileId = await upload(name);
  const preview = await admin.imports.preview({ fileId, mapping });
  const known = await knownAreas();
  const file = rows(name);
  const areaColumn = mapping.columns.area;
  const unknown = [...new Set(file.map((r) => r[areaColumn] as string).filter((c) => !known.has(c)))].sort();
  expect(preview.unknownAreas.map((u) => u.value).sort()).toEqual(
    unknown.filter((c) =>
      file.some((r) => r[areaColumn] === c && !["NA", ""].includes(r[mapping.columns.value] as string)),
    ),
  );
  expect(preview.unknownIndicators).toEqual([]);
  expect(preview.problems.every((p) => p.column === areaColumn)).toBe(true);
  const committed = await admin.imports.commit({
    fileId,
    acceptGoodRows: true,
    saveMappingAs: mapping.source,
  });
  if (!committed.ok) throw new Error("the commit was refused");
  expect(committed.result.inserted).toBe(preview.accepted);
  return { file, known, preview, result: committed.result };
}

describe("the real indicator files", () => {
  it("life expectancy: male and female as breakdowns, 3-year periods", async () => {
    await admin.indicator.create({
      code: "LE-BIRTH",
      title: "Life expectancy at birth",
      valueType: "mean",
      unit: "years",
      polarity: "high-is-good",
      frequency: "annual",
      periodType: "multi-year",
      validMin: 50,
      validMax: 100,
    });
    const { file, known } = await importReal("life_expectancy.csv", {
      source: "Trafford Data Lab: life expectancy",
      columns: {
        indicator: "indicator",
        area: "area_code",
        period: "period",
        value: "value",
        breakdown: "inequality",
      },
      indicatorValues: { "Life expectancy at birth": "LE-BIRTH" },
    });
    const values = await stored("LE-BIRTH");
    let checked = 0;
    for (const r of file) {
      if (!known.has(r.area_code as string) || r.value === "NA") continue;
      const [start, end] = (r.period as string).split(" - ");
      const key = `${r.area_code}|${start}-${(start as string).slice(0, 2)}${end}|${r.inequality}`;
      expect(values.get(key)).toBe(Number(r.value));
      checked++;
    }
    expect(checked).toBe(values.size);
    expect(checked).toBeGreaterThan(5000);

    const female = await admin.observation.series({
      indicatorCode: "LE-BIRTH",
      areaCodes: ["E92000001"],
      breakdown: "Female",
    });
    expect(female.breakdowns).toEqual(["Female", "Male"]);
    expect(female.series[0]?.points[0]).toMatchObject({ period: "2015-2017", value: 83.1 });
  });

  it("adult smoking: one indicator named in a column, 'Persons' as no breakdown", async () => {
    await admin.indicator.create({
      code: "SMOKING-APS",
      title: "Smoking prevalence in adults (18+), current smokers (APS)",
      valueType: "percentage",
      polarity: "low-is-good",
      frequency: "annual",
    });
    const { file, known } = await importReal("adults_smoking.csv", {
      source: "Trafford Data Lab: smoking",
      columns: {
        indicator: "indicator",
        area: "area_code",
        period: "period",
        value: "value",
        breakdown: "unit",
      },
      indicatorValues: {
        "Smoking Prevalence in adults (aged 18 and over) - current smokers (APS)": "SMOKING-APS",
      },
      breakdownValues: { Persons: "" },
    });
    const values = await stored("SMOKING-APS");
    const expected = file.filter((r) => known.has(r.area_code as string) && r.value !== "NA");
    for (const r of expected) expect(values.get(`${r.area_code}|${r.period}|`)).toBe(Number(r.value));
    expect(values.size).toBe(expected.length);
  });

  it("employment rate: rolling 12-month periods", async () => {
    await admin.indicator.create({
      code: "EMP-16-64",
      title: "Employment rate, aged 16–64",
      valueType: "percentage",
      polarity: "high-is-good",
      frequency: "quarterly",
      periodType: "rolling-12-months",
    });
    const { file, known } = await importReal("employment_rate.csv", {
      source: "Trafford Data Lab: employment",
      columns: { indicator: "indicator", area: "area_code", period: "period", value: "value" },
      indicatorValues: { "Employment rate - aged 16-64": "EMP-16-64" },
    });
    const values = await stored("EMP-16-64");
    const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    for (const r of file.filter((x) => x.value !== "NA" && known.has(x.area_code as string))) {
      const m = (r.period as string).match(/-(\w{3}) (\d{4})$/) as RegExpMatchArray;
      const key = `12M to ${m[2]}-${String(months.indexOf(m[1] as string) + 1).padStart(2, "0")}`;
      expect(values.get(`${r.area_code}|${key}|`)).toBe(Number(r.value));
    }
    const trafford = await admin.observation.series({ indicatorCode: "EMP-16-64", areaCodes: ["E08000009"] });
    expect(trafford.series[0]?.points.length).toBeGreaterThan(10);
  });

  it("ONS subnational indicators: seven indicators, periods respelled, thousands separators", async () => {
    const meta = rows("ons_subnational_indicators.metadata.csv");
    const negative = new Set(meta.filter((m) => m.Polarity === "Negative").map((m) => m.Shortened));
    const file = rows("ons_subnational_indicators.csv");
    const names = [...new Set(file.map((r) => r.Indicator as string))].sort();
    const codeOf = new Map(names.map((n, k) => [n, `ONS-${k + 1}`]));
    for (const [name, code] of codeOf) {
      const unit = file.find((r) => r.Indicator === name)?.Unit ?? "";
      await admin.indicator.create({
        code,
        title: name,
        valueType: unit === "%" ? "percentage" : unit === "Number" ? "count" : "mean",
        unit,
        polarity:
          [...negative].some((n) => name.startsWith(n as string)) || /mortality|Smoking/.test(name)
            ? "low-is-good"
            : "high-is-good",
        frequency: "annual",
        source: "ONS subnational indicators",
        ...(unit === "Number" ? { validMin: -100000 } : {}),
      });
    }
    const mapping = {
      source: "ONS subnational indicators",
      columns: { indicator: "Indicator", area: "AREACD", period: "Period", value: "Value" },
      indicatorValues: Object.fromEntries(codeOf),
    };
    // First without help: the preview lists the two spellings it cannot read, and writes nothing.
    const first = await admin.imports.preview({
      fileId: await upload("ons_subnational_indicators.csv"),
      mapping,
    });
    const unreadable = new Set(first.problems.filter((p) => p.column === "Period").map((p) => p.value));
    expect([...unreadable].sort()).toEqual(["201618", "202021"]);

    const { known } = await importReal("ons_subnational_indicators.csv", {
      ...mapping,
      periodValues: { "201618": "2016 - 18", "202021": "2020/21" },
    });
    for (const [name, code] of codeOf) {
      const values = await stored(code);
      const expected = file.filter(
        (r) => r.Indicator === name && known.has(r.AREACD as string) && r.Value !== "NA",
      );
      expect(values.size).toBe(expected.length);
      for (const r of expected) {
        const period = r.Period === "201618" ? "2016-2018" : r.Period === "202021" ? "2020/21" : r.Period;
        expect(values.get(`${r.AREACD}|${period}|`)).toBe(Number((r.Value as string).replace(/,/g, "")));
      }
    }
  });

  it("re-importing a real file changes nothing", async () => {
    const fileId = await upload("employment_rate.csv");
    const before = await fx.db
      .selectFrom("observation")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const mapping = (await admin.imports.mappings()).find(
      (m) => m.source === "Trafford Data Lab: employment",
    )?.mapping;
    if (!mapping) throw new Error("the mapping was not remembered");
    await admin.imports.preview({ fileId, mapping });
    const again = await admin.imports.commit({ fileId, acceptGoodRows: true });
    expect(again.ok && again.result).toMatchObject({ batchId: null, inserted: 0, updated: 0 });
    const after = await fx.db
      .selectFrom("observation")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
