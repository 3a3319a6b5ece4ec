import { type ImportMappingInput, ImportMappingSchema } from "@fivestep/domain";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFixture, type Fixture } from "../testing/fixtures.ts";

// What a preview finds and what a commit refuses: the same checks, listed before anything is written.

const MAPPING: ImportMappingInput = {
  source: "Council returns",
  columns: { indicator: "ind", area: "area", period: "period", value: "value" },
  indicatorValues: { Employment: "NI 151" },
};

let fx: Fixture;
let admin: Awaited<ReturnType<Fixture["caller"]>>;
beforeEach(async () => {
  fx = await createFixture();
  admin = await fx.caller("admin");
});
afterEach(() => fx.db.destroy());

const csv = (...rows: string[]) => ["ind,area,period,value", ...rows].join("\n");
async function previewFile(content: string, mapping: ImportMappingInput = MAPPING) {
  const fileId = await fx.upload("returns.csv", content);
  return { fileId, preview: await admin.imports.preview({ fileId, mapping }) };
}
const stored = async (indicatorCode: string, areaCode: string, period: string) =>
  (await admin.observation.series({ indicatorCode, areaCodes: [areaCode] })).series[0]?.points.find(
    (p) => p.period === period,
  )?.value;
const stagedRows = async () =>
  Number(
    (
      await fx.db
        .selectFrom("import_staging_key")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe("a key the file gives twice", () => {
  it("is listed by the preview with the row it repeats, and the commit refuses it with the same list", async () => {
    const { fileId, preview } = await previewFile(
      csv(
        "Employment,E08000026,2007 Q3,73.0",
        "NI 151,E08000031,Q3 2007,66.1",
        "NI 152,E08000026,Jul - Sep 2007,16.2",
        "NI 151,E08000031,2007 Q3,66.2",
        "NI 151,E08000026,2007 Q3,73.0",
      ),
    );
    expect(preview.problems).toEqual([
      {
        row: 5,
        column: "period",
        value: "NI 151, E08000031, 2007 Q3",
        reason: "Repeats row 3: the same indicator, area, period and breakdown",
        code: "import.duplicateKey",
        params: { firstRow: 3, indicator: "NI 151", area: "E08000031", period: "2007 Q3", breakdown: "" },
      },
      {
        row: 6,
        column: "period",
        value: "NI 151, E08000026, 2007 Q3",
        reason: "Repeats row 2: the same indicator, area, period and breakdown",
        code: "import.duplicateKey",
        params: { firstRow: 2, indicator: "NI 151", area: "E08000026", period: "2007 Q3", breakdown: "" },
      },
    ]);
    expect(preview).toMatchObject({ totalRows: 5, accepted: 3, rejected: 2, problemCount: 2 });
    expect(preview.indicators.find((i) => i.code === "NI 151")?.rows).toBe(2);
    expect(await stagedRows()).toBe(0);

    const refused = await admin.imports.commit({ fileId });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.check.problems).toEqual(preview.problems);
    expect(await fx.db.selectFrom("import_batch").selectAll().execute()).toEqual([]);

    // Only the good rows, when asked: the first of each repeated key.
    const good = await admin.imports.commit({ fileId, acceptGoodRows: true });
    expect(good.ok && good.result).toMatchObject({ inserted: 3, rejected: 2 });
    expect(await stored("NI 151", "E08000031", "2007 Q3")).toBe(66.1);
    expect(await stagedRows()).toBe(0);
  });

  it("never overwrites a stored value silently when its first row leaves the value unchanged", async () => {
    // The demo data holds 72.4 for Coventry in 2007 Q2: the first row changes nothing, the second
    // would have replaced it without a word.
    expect(await stored("NI 151", "E08000026", "2007 Q2")).toBe(72.4);
    const { fileId, preview } = await previewFile(
      csv("NI 151,E08000026,2007 Q2,72.4", "NI 151,E08000026,Apr - Jun 2007,99"),
    );
    expect(preview.problems.map((p) => [p.row, p.code, p.params.firstRow])).toEqual([
      [3, "import.duplicateKey", 2],
    ]);
    const refused = await admin.imports.commit({ fileId });
    expect(refused.ok).toBe(false);
    const good = await admin.imports.commit({ fileId, acceptGoodRows: true });
    expect(good.ok && good.result).toMatchObject({ batchId: null, unchanged: 1, rejected: 1 });
    expect(await stored("NI 151", "E08000026", "2007 Q2")).toBe(72.4);
  });

  it("is told apart by breakdown", async () => {
    const { preview } = await previewFile(
      csv("NI 151,E08000026,2009 Q1,70,Male", "NI 151,E08000026,2009 Q1,71,Female").replace(
        "ind,area,period,value",
        "ind,area,period,value,sex",
      ),
      { ...MAPPING, columns: { ...MAPPING.columns, breakdown: "sex" } },
    );
    expect(preview.problems).toEqual([]);
    expect(preview.accepted).toBe(2);
  });
});

describe("preview and commit", () => {
  it("agree: the commit refuses exactly what the preview listed, and writes what it counted", async () => {
    await admin.indicator.create({
      code: "JOBS",
      title: "Jobs",
      valueType: "count",
      polarity: "high-is-good",
      frequency: "annual",
    });
    const content = csv(
      "Employment,E08000026,2009 Q1,71.0",
      "Unemployment,E08000026,2009 Q1,5",
      "NI 151,E99999999,2009 Q1,70",
      "NI 151,E08000026,sometime,70",
      "NI 151,E08000026,2009 Q2,seventy",
      "NI 151,E08000026,2009 Q3,170",
      "JOBS,E08000026,2009,12.5",
      "JOBS,E08000026,2010,1200",
      "NI 151,E08000026,Jan - Mar 2009,71.0",
      "Unemployment,E08000031,2009 Q1,6",
      "NI 151,E08000026,2009 Q4,NA",
    );
    const { fileId, preview } = await previewFile(content);
    const refused = await admin.imports.commit({ fileId });
    if (refused.ok) throw new Error("the commit should have been refused");
    expect(refused.check).toEqual(
      Object.fromEntries(Object.entries(preview).filter(([k]) => k !== "fileId")),
    );
    expect(preview.problems.map((p) => [p.row, p.code])).toEqual([
      [3, "import.unknownIndicator"],
      [4, "import.unknownArea"],
      [5, "import.badPeriod"],
      [6, "import.notNumber"],
      [7, "value.aboveMax"],
      [8, "value.notWhole"],
      [10, "import.duplicateKey"],
    ]);
    // The unknown text is listed once, with the rows that name it.
    expect(preview.unknownIndicators).toEqual([{ value: "Unemployment", rows: 2, firstRow: 3 }]);
    expect(preview).toMatchObject({ totalRows: 11, accepted: 2, skipped: 1, rejected: 8, problemCount: 7 });

    const good = await admin.imports.commit({ fileId, acceptGoodRows: true });
    if (!good.ok) throw new Error("the good rows should have been written");
    expect(good.result.inserted + good.result.updated + good.result.unchanged).toBe(preview.accepted);
    expect(good.result).toMatchObject({ accepted: 2, rejected: 8, skipped: 1, problemCount: 7 });
  });
});

describe("values must fit their indicator", () => {
  it("names the indicator, the value and the range", async () => {
    await admin.indicator.create({
      code: "LE",
      title: "Life expectancy",
      valueType: "mean",
      unit: "years",
      polarity: "high-is-good",
      frequency: "annual",
      validMin: 40,
      validMax: 100,
    });
    const { preview } = await previewFile(
      csv("NI 151,E08000026,2009 Q1,170", "LE,E08000026,2009,120.5", "LE,E08000026,2010,-3"),
    );
    expect(preview.problems).toEqual([
      {
        row: 2,
        column: "value",
        value: "170",
        reason: "170 is above the largest value NI 151 can take (0 to 100)",
        code: "value.aboveMax",
        params: { indicator: "NI 151", value: 170, min: "0", max: "100" },
      },
      {
        row: 3,
        column: "value",
        value: "120.5",
        reason: "120.5 is above the largest value LE can take (40 to 100)",
        code: "value.aboveMax",
        params: { indicator: "LE", value: 120.5, min: "40", max: "100" },
      },
      {
        row: 4,
        column: "value",
        value: "-3",
        reason: "-3 is below the smallest value LE can take (40 to 100)",
        code: "value.belowMin",
        params: { indicator: "LE", value: -3, min: "40", max: "100" },
      },
    ]);
  });
});

describe("indicator texts", () => {
  it("come from the whole file, with counts, not from its first rows", async () => {
    const rows: string[] = [];
    for (let k = 0; k < 10; k++) rows.push(`Employment,E08000026,${2000 + k} Q1,70`);
    for (let k = 0; k < 15; k++) rows.push(`Claimant rate,E08000026,${2000 + k} Q2,4`);
    for (let k = 0; k < 5; k++) rows.push(`Vacancies,E08000031,${2000 + k} Q3,3`);
    const { fileId, preview } = await previewFile(csv(...rows));
    expect(preview.indicatorTexts).toEqual([
      { text: "Claimant rate", rows: 15, firstRow: 12, code: null },
      { text: "Employment", rows: 10, firstRow: 2, code: "NI 151" },
      { text: "Vacancies", rows: 5, firstRow: 27, code: null },
    ]);
    expect(preview.indicatorTextCount).toBe(3);
    // The upload's sample (the first ten rows) never sees the later texts.
    expect((await admin.imports.file({ fileId })).sample.map((r) => r[0])).not.toContain("Claimant rate");
    expect(await fx.db.selectFrom("import_staging_text").selectAll().execute()).toEqual([]);
  });

  it("offer at most 500, the most frequent first, and count them all", async () => {
    const rows: string[] = [];
    for (let k = 0; k < 600; k++) rows.push(`Text ${k},E08000026,2009 Q1,1`);
    rows.push("Text 599,E08000026,2009 Q2,1");
    const { preview } = await previewFile(csv(...rows));
    expect(preview.indicatorTexts).toHaveLength(500);
    expect(preview.indicatorTexts[0]).toEqual({ text: "Text 599", rows: 2, firstRow: 601, code: null });
    expect(preview.indicatorTexts[1]).toMatchObject({ text: "Text 0", rows: 1, firstRow: 2 });
    expect(preview.indicatorTextCount).toBe(600);
  });

  it("may join several columns, and a row filter leaves rows out without problems", async () => {
    const content = [
      "ind,measure,area,period,value",
      "Employment,Rate,E08000026,2009 Q1,70.5",
      "Employment,Count,E08000026,2009 Q1,120000",
      "Employment,Rate,E08000031,2009 Q1,66.5",
      "Employment,Count,E08000031,2009 Q1,100000",
      "Employment,Confidence,E08000031,2009 Q1,2.1",
    ].join("\n");
    const mapping: ImportMappingInput = {
      source: "Two measures",
      columns: { indicator: ["ind", "measure"], area: "area", period: "period", value: "value" },
      indicatorValues: { "Employment | Rate": "NI 151" },
      rowFilter: { measure: ["Rate", "Count"] },
    };
    const { fileId, preview } = await previewFile(content, mapping);
    expect(preview.indicatorTexts).toEqual([
      { text: "Employment | Rate", rows: 2, firstRow: 2, code: "NI 151" },
      { text: "Employment | Count", rows: 2, firstRow: 3, code: null },
    ]);
    expect(preview).toMatchObject({ totalRows: 5, filtered: 1, accepted: 2, rejected: 2 });
    expect(preview.problems.map((p) => [p.row, p.column, p.value, p.code])).toEqual([
      [3, "ind | measure", "Employment | Count", "import.unknownIndicator"],
    ]);

    const onlyRates = { ...mapping, rowFilter: { measure: ["Rate"] } };
    const again = await admin.imports.preview({ fileId, mapping: onlyRates });
    expect(again).toMatchObject({ totalRows: 5, filtered: 3, accepted: 2, rejected: 0, problemCount: 0 });
    const commit = await admin.imports.commit({ fileId });
    expect(commit.ok && commit.result).toMatchObject({ inserted: 2 });
    expect(await stored("NI 151", "E08000031", "2009 Q1")).toBe(66.5);
  });

  it("names a filter or indicator column the file lacks", async () => {
    const fileId = await fx.upload("x.csv", csv("Employment,E08000026,2009 Q1,70"));
    await expect(
      admin.imports.preview({ fileId, mapping: { ...MAPPING, rowFilter: { measure: ["Rate"] } } }),
    ).rejects.toThrow('The file has no column "measure"');
    await expect(
      admin.imports.preview({
        fileId,
        mapping: { ...MAPPING, columns: { ...MAPPING.columns, indicator: ["ind", "measure"] } },
      }),
    ).rejects.toThrow('The file has no column "measure"');
  });
});

describe("saved mappings", () => {
  it("are saved by name only when asked: a preview or commit never changes one", async () => {
    const saved = await admin.imports.saveMapping({ name: "Council returns", mapping: MAPPING });
    expect(saved).toMatchObject({ name: "Council returns", action: "create", version: 1 });
    const changed: ImportMappingInput = { ...MAPPING, indicatorValues: { Employment: "NI 152" } };
    const { fileId } = await previewFile(csv("Employment,E08000026,2009 Q1,16"), changed);
    const commit = await admin.imports.commit({ fileId });
    expect(commit.ok).toBe(true);
    expect(await admin.imports.mappings()).toMatchObject([
      { source: "Council returns", version: 1, mapping: ImportMappingSchema.parse(MAPPING) },
    ]);

    // Saving the changed mapping under the same name replaces it (one audited update).
    const updated = await admin.imports.saveMapping({ name: "Council returns", mapping: changed });
    expect(updated).toMatchObject({ action: "update", version: 2 });
    expect((await admin.imports.mappings())[0]?.mapping).toEqual(ImportMappingSchema.parse(changed));
    expect(await admin.imports.saveMapping({ name: "Council returns", mapping: changed })).toMatchObject({
      action: "unchanged",
      version: 2,
    });

    // A commit saves it too when asked to, under the name given.
    const next = await previewFile(csv("Employment,E08000031,2009 Q1,21"), changed);
    await admin.imports.commit({ fileId: next.fileId, saveMappingAs: "Council returns (NI 152)" });
    expect((await admin.imports.mappings()).map((m) => m.source)).toEqual([
      "Council returns",
      "Council returns (NI 152)",
    ]);
    const file = await admin.imports.file({ fileId: next.fileId });
    expect(file.rememberedMappings.map((m) => m.source)).toEqual([
      "Council returns",
      "Council returns (NI 152)",
    ]);
  });
});

describe("unknown area codes", () => {
  it("are listed once with their rows and names, and can be added from the file", async () => {
    const rows = ["ind,area,area_name,period,value"];
    for (let m = 0; m < 1000; m++)
      rows.push(`NI 152,E06000061,North Northamptonshire,${1900 + Math.floor(m / 4)} Q${(m % 4) + 1},3.1`);
    rows.push("NI 152,E05015239,Altrincham,2009 Q1,2.2", "NI 152,E05015239,Altrincham,2009 Q2,2.3");
    rows.push("NI 152,E08000026,Coventry,2009 Q1,16.0");
    const mapping: ImportMappingInput = {
      ...MAPPING,
      columns: { ...MAPPING.columns, areaName: "area_name" },
    };
    const { fileId, preview } = await previewFile(rows.join("\n"), mapping);
    expect(preview.unknownAreas).toEqual([
      { value: "E06000061", rows: 1000, firstRow: 2, name: "North Northamptonshire" },
      { value: "E05015239", rows: 2, firstRow: 1002, name: "Altrincham" },
    ]);
    expect(preview.problems).toEqual([
      {
        row: 2,
        column: "area",
        value: "E06000061",
        reason: 'Unknown area code "E06000061"',
        code: "import.unknownArea",
        params: { value: "E06000061", rows: 1000 },
      },
      {
        row: 1002,
        column: "area",
        value: "E05015239",
        reason: 'Unknown area code "E05015239"',
        code: "import.unknownArea",
        params: { value: "E05015239", rows: 2 },
      },
    ]);
    expect(preview).toMatchObject({ accepted: 1, rejected: 1002, problemCount: 2 });

    const added = await admin.imports.addAreas({
      areas: preview.unknownAreas.map((u) => ({
        code: u.value,
        name: u.name ?? u.value,
        type: u.value.startsWith("E05") ? "ward" : "district",
        parentCode: u.value.startsWith("E05") ? "E08000026" : "E12000005",
      })),
    });
    expect(added.created.map((a) => [a.code, a.name, a.type, a.parentCode])).toEqual([
      ["E06000061", "North Northamptonshire", "district", "E12000005"],
      ["E05015239", "Altrincham", "ward", "E08000026"],
    ]);
    const trail = await fx.db
      .selectFrom("audit_event")
      .select(["entity", "action", "entity_id"])
      .where("entity", "=", "area")
      .execute();
    expect(trail.map((e) => [e.entity, e.action, Number(e.entity_id)])).toEqual(
      added.created.map((a) => ["area", "create", a.id]),
    );

    const again = await admin.imports.preview({ fileId, mapping });
    expect(again).toMatchObject({ unknownAreas: [], problemCount: 0, accepted: 1003 });
  });

  it("are refused when the code exists, the parent does not, or the type is not a known one", async () => {
    await expect(
      admin.imports.addAreas({
        areas: [{ code: "E08000026", name: "Coventry", type: "district", parentCode: "E12000005" }],
      }),
    ).rejects.toThrow('An area with code "E08000026" already exists');
    await expect(
      admin.imports.addAreas({
        areas: [
          { code: "E06000061", name: "North Northamptonshire", type: "district", parentCode: "E12999999" },
        ],
      }),
    ).rejects.toThrow('No area with code "E12999999"');
    await expect(
      admin.imports.addAreas({
        areas: [{ code: "E06000061", name: "North Northamptonshire", type: "hamlet", parentCode: null }],
      }),
    ).rejects.toThrow('"hamlet" is not an area type');
    expect(await admin.area.list()).not.toContainEqual(expect.objectContaining({ code: "E06000061" }));
  });
});
