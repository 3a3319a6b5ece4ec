import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { type ImportMappingInput, ImportMappingSchema } from "@fivestep/domain";
import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFixture, type Fixture } from "../testing/fixtures.ts";
import { commitImport, type ImportProgress, previewImport } from "./engine.ts";
import { sniffFormat } from "./read-rows.ts";
import { storeUpload, UploadError } from "./upload.ts";

const MAPPING: ImportMappingInput = {
  source: "Council returns",
  columns: {
    indicator: "ind",
    area: "area",
    period: "period",
    value: "value",
    lower: "lo",
    upper: "hi",
    status: "status",
    note: "note",
  },
  indicatorValues: { Employment: "NI 151" },
};
const GOOD = [
  "ind,area,period,value,lo,hi,status,note",
  "Employment,E08000026,2007 Q3,73.0,71.5,74.5,provisional,",
  "NI 151,E08000031,Q3 2007,66.1,,,final,checked",
  "NI 152,E08000026,Jul - Sep 2007,16.2,,,,",
].join("\n");

let fx: Fixture;
let admin: Awaited<ReturnType<Fixture["caller"]>>;
beforeEach(async () => {
  fx = await createFixture();
  admin = await fx.caller("admin");
});
afterEach(() => fx.db.destroy());

async function previewAndCommit(csv: string, mapping: ImportMappingInput = MAPPING, acceptGoodRows = false) {
  const fileId = await fx.upload("returns.csv", csv);
  const preview = await admin.imports.preview({ fileId, mapping });
  return { fileId, preview, commit: await admin.imports.commit({ fileId, acceptGoodRows }) };
}

const latest = async (indicatorCode: string, areaCode: string) =>
  (await admin.observation.series({ indicatorCode, areaCodes: [areaCode] })).series[0]?.points.at(-1);

describe("preview", () => {
  it("lists each problem with its row, column, value and reason, and writes nothing", async () => {
    await admin.indicator.create({
      code: "NI 999",
      title: "Computed",
      valueType: "percentage",
      polarity: "high-is-good",
      frequency: "quarterly",
      derivation: { kind: "rolling-average", of: "NI 151", window: 4 },
    });
    const csv = [
      "ind,area,period,value,lo,hi,status,note",
      "Employment,E08000026,2007 Q3,73.0,,,,",
      "Unemployment,E08000026,2007 Q3,5,,,,",
      "NI 151,E99999999,2007 Q3,70,,,,",
      "NI 151,E08000026,sometime,70,,,,",
      "NI 151,E08000026,2007 Q4,seventy,,,,",
      "NI 151,E08000026,2008 Q1,170,,,,",
      "NI 151,E08000026,2008 Q2,70,72,68,,",
      "NI 151,E08000026,2008 Q3,70,,,maybe,",
      "NI 999,E08000026,2008 Q3,70,,,,",
      "NI 151,E08000026,2008 Q4,NA,,,,",
    ].join("\n");
    const fileId = await fx.upload("bad.csv", csv);
    const before = await fx.db
      .selectFrom("observation")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const preview = await admin.imports.preview({ fileId, mapping: MAPPING });
    expect(preview.problems).toMatchObject([
      {
        row: 3,
        column: "ind",
        value: "Unemployment",
        reason: 'Unknown indicator "Unemployment": map it to a catalogue code',
      },
      { row: 4, column: "area", value: "E99999999", reason: 'Unknown area code "E99999999"' },
      { row: 5, column: "period", value: "sometime", reason: "Not a period Fivestep can read" },
      { row: 6, column: "value", value: "seventy", reason: "Not a number" },
      {
        row: 7,
        column: "value",
        value: "170",
        reason: "170 is above the largest value NI 151 can take (0 to 100)",
        code: "value.aboveMax",
        params: { indicator: "NI 151", value: 170, min: "0", max: "100" },
      },
      { row: 8, column: "lo", value: "72", reason: "The lower limit is above the upper limit" },
      { row: 9, column: "status", value: "maybe", reason: 'Status must be "provisional" or "final"' },
      {
        row: 10,
        column: "ind",
        value: "NI 999",
        reason: '"NI 999" is derived: its values are computed, not imported',
      },
    ]);
    expect(preview).toMatchObject({ totalRows: 10, accepted: 1, skipped: 1, rejected: 8, problemCount: 8 });
    expect(preview.unknownIndicators).toEqual([{ value: "Unemployment", rows: 1, firstRow: 3 }]);
    expect(preview.unknownAreas).toEqual([{ value: "E99999999", rows: 1, firstRow: 4, name: null }]);
    const after = await fx.db
      .selectFrom("observation")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it("names a mapped column the file does not have", async () => {
    const fileId = await fx.upload("x.csv", "area,period,value\nE08000026,2007 Q3,1\n");
    await expect(
      admin.imports.preview({ fileId, mapping: { ...MAPPING, columns: { ...MAPPING.columns } } }),
    ).rejects.toThrow('The file has no column "ind"');
  });
});

describe("commit", () => {
  it("writes every accepted row in one batch, with periods in any spelling, status and note", async () => {
    const { commit } = await previewAndCommit(GOOD);
    expect(commit.ok && commit.result).toMatchObject({ inserted: 3, updated: 0, unchanged: 0, rejected: 0 });
    expect(await latest("NI 151", "E08000026")).toMatchObject({
      period: "2007 Q3",
      value: 73,
      lower: 71.5,
      upper: 74.5,
    });
    expect(await latest("NI 152", "E08000026")).toMatchObject({ period: "2007 Q3", value: 16.2 });
    const row = await fx.db
      .selectFrom("observation")
      .select(["status", "note"])
      .where("period", "=", "2007 Q3")
      .where("note", "is not", null)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "final", note: "checked" });
    const [batch] = await admin.imports.batches();
    expect(batch).toMatchObject({
      status: "committed",
      inserted: 3,
      source: "Council returns",
      committedBy: "Demo Administrator",
    });
  });

  it("writes nothing when any row has a problem, and only the good rows when asked", async () => {
    const csv = `${GOOD}\nNI 151,E08000026,2008 Q1,999,,,,`;
    const refused = await previewAndCommit(csv);
    expect(refused.commit.ok).toBe(false);
    expect(!refused.commit.ok && refused.commit.check.problems).toMatchObject([
      {
        row: 5,
        column: "value",
        value: "999",
        reason: "999 is above the largest value NI 151 can take (0 to 100)",
      },
    ]);
    expect((await latest("NI 151", "E08000026"))?.period).toBe("2007 Q2");
    expect(await admin.imports.batches()).toEqual([]);

    const accepted = await admin.imports.commit({ fileId: refused.fileId, acceptGoodRows: true });
    expect(accepted.ok && accepted.result).toMatchObject({ inserted: 3, rejected: 1 });
  });

  it("refuses a file that gives the same value twice, writing nothing", async () => {
    const { commit } = await previewAndCommit(`${GOOD}\nNI 151,E08000031,2007 Q3,66.2,,,,`);
    expect(!commit.ok && commit.check.problems[0]).toMatchObject({
      row: 5,
      reason: "Repeats row 3: the same indicator, area, period and breakdown",
    });
    expect(await fx.db.selectFrom("import_batch").selectAll().execute()).toEqual([]);
  });

  it("changes nothing when the same file is imported again", async () => {
    await previewAndCommit(GOOD);
    const audits = await fx.db
      .selectFrom("audit_event")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const fileId = await fx.upload("returns.csv", GOOD);
    await admin.imports.preview({ fileId, mapping: MAPPING });
    const again = await admin.imports.commit({ fileId });
    expect(again.ok && again.result).toMatchObject({ batchId: null, inserted: 0, updated: 0, unchanged: 3 });
    expect((await admin.imports.batches()).length).toBe(1);
    const after = await fx.db
      .selectFrom("audit_event")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    // Only the second upload and its preview were recorded.
    expect(Number(after.n)).toBe(Number(audits.n) + 2);
  });

  it("keeps a changed value as a revision, and rolls batches back in order", async () => {
    const first = await previewAndCommit(GOOD);
    const firstBatch = first.commit.ok ? (first.commit.result.batchId as number) : -1;
    const changed = GOOD.replace("73.0,71.5,74.5,provisional", "73.4,71.9,74.9,final");
    const second = await previewAndCommit(changed);
    const secondBatch = second.commit.ok ? (second.commit.result.batchId as number) : -1;
    expect(second.commit.ok && second.commit.result).toMatchObject({ inserted: 0, updated: 1, unchanged: 2 });

    const [revision] = await admin.imports.revisions({ indicatorCode: "NI 151", areaCode: "E08000026" });
    expect(revision).toMatchObject({
      batchId: secondBatch,
      period: "2007 Q3",
      old: { value: 73, lower: 71.5, upper: 74.5, status: "provisional" },
      new: { value: 73.4, lower: 71.9, upper: 74.9, status: "final" },
      changedBy: "Demo Administrator",
    });
    expect(revision?.changedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(await latest("NI 151", "E08000026")).toMatchObject({ value: 73.4 });

    // The first batch's value was changed by the second: that one must go first.
    await expect(admin.imports.rollback({ batchId: firstBatch, version: 1 })).rejects.toThrow(
      `roll back batch ${secondBatch} first`,
    );
    expect(await admin.imports.rollback({ batchId: secondBatch, version: 1 })).toMatchObject({
      deleted: 0,
      restored: 1,
    });
    expect(await latest("NI 151", "E08000026")).toMatchObject({ value: 73, lower: 71.5 });
    await expect(admin.imports.rollback({ batchId: secondBatch, version: 2 })).rejects.toThrow(
      "already been rolled back",
    );

    expect(await admin.imports.rollback({ batchId: firstBatch, version: 1 })).toMatchObject({
      deleted: 3,
      restored: 0,
    });
    expect(await latest("NI 151", "E08000026")).toMatchObject({ period: "2007 Q2", value: 72.4 });
    const batch = await admin.imports.batch({ batchId: firstBatch });
    expect(batch).toMatchObject({ status: "rolled-back", rolledBackBy: "Demo Administrator" });
  });

  it("answers CONFLICT when rolling back against a stale version", async () => {
    const { commit } = await previewAndCommit(GOOD);
    const batchId = commit.ok ? (commit.result.batchId as number) : -1;
    await expect(admin.imports.rollback({ batchId, version: 7 })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("offers the saved mappings whose columns a file has, and a guess at its columns", async () => {
    await previewAndCommit(GOOD);
    expect(await admin.imports.mappings()).toEqual([]);
    await admin.imports.saveMapping({ name: "Council returns", mapping: MAPPING });
    const [remembered] = await admin.imports.mappings();
    expect(remembered).toMatchObject({
      source: "Council returns",
      mapping: ImportMappingSchema.parse(MAPPING),
    });
    const fileId = await fx.upload("next.csv", GOOD);
    const file = await admin.imports.file({ fileId });
    expect(file.rememberedMappings.map((m) => m.source)).toEqual(["Council returns"]);
    expect(file.suggestedColumns).toMatchObject({
      area: "area",
      period: "period",
      value: "value",
      note: "note",
    });
    expect(file.sample[0]?.[1]).toBe("E08000026");
  });

  it("writes the same on the portable (PostgreSQL) path as on the SQLite fast path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fivestep-generic-"));
    const path = join(dir, "g.csv");
    writeFileSync(path, GOOD);
    const source = { path, format: "csv" as const, size: statSync(path).size, name: "g.csv" };
    const mapping = ImportMappingSchema.parse(MAPPING);
    const first = await commitImport(fx.db, source, mapping, { userId: null, fileId: null, generic: true });
    expect(first).toMatchObject({ inserted: 3, updated: 0 });
    writeFileSync(path, GOOD.replace("66.1", "66.3"));
    const second = await commitImport(fx.db, { ...source, size: statSync(path).size }, mapping, {
      userId: null,
      fileId: null,
      generic: true,
    });
    expect(second).toMatchObject({ inserted: 0, updated: 1, unchanged: 2 });
    expect(await latest("NI 151", "E08000031")).toMatchObject({ value: 66.3 });
  });
});

describe("large files", () => {
  // A file large enough to report progress several times: it reads and writes for seconds, more
  // on a busy machine, so it has a longer limit than the default.
  it("reports progress as rows processed and bytes read, ending with the whole file", {
    timeout: 90_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "fivestep-progress-"));
    const path = join(dir, "big.csv");
    const lines = ["area,period,value"];
    for (const area of ["E08000026", "E08000031", "E12000005"]) {
      for (let m = 0; m < 4000; m++)
        lines.push(
          `${area},${1850 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, "0")},${m % 100}`,
        );
    }
    writeFileSync(path, lines.join("\n"));
    await admin.indicator.create({
      code: "MONTHLY",
      title: "Monthly",
      valueType: "count",
      polarity: "no-judgement",
      frequency: "monthly",
    });
    const seen: ImportProgress[] = [];
    const source = { path, format: "csv" as const, size: statSync(path).size, name: "big.csv" };
    const mapping = ImportMappingSchema.parse({
      source: "gen",
      indicatorCode: "MONTHLY",
      columns: { area: "area", period: "period", value: "value" },
    });
    const check = await previewImport(fx.db, source, mapping, { onProgress: (p) => seen.push(p) });
    expect(check.accepted).toBe(12000);
    expect(seen.map((p) => p.rowsProcessed)).toEqual([5000, 10000, 12000]);
    expect(seen.at(-1)).toMatchObject({
      done: true,
      bytesRead: source.size,
      totalBytes: source.size,
      phase: "preview",
    });
    expect(seen[0]?.bytesRead).toBeGreaterThan(0);
    const committed = await commitImport(fx.db, source, mapping, {
      userId: null,
      fileId: null,
      chunkSize: 700,
    });
    expect(committed.inserted).toBe(12000);
  });

  it("imports a 1,000-row XLSX workbook", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Data");
    sheet.addRow(["Area code", "Quarter", "Rate"]);
    const expected = new Map<string, number>();
    for (let k = 0; k < 1000; k++) {
      const year = 1800 + Math.floor(k / 4);
      const value = Math.round((50 + (k % 37) * 0.7) * 10) / 10;
      sheet.addRow(["E08000031", `${year} Q${(k % 4) + 1}`, value]);
      expected.set(`${year} Q${(k % 4) + 1}`, value);
    }
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const fileId = await fx.upload("rates.xlsx", buffer);
    const file = await admin.imports.file({ fileId });
    expect(file).toMatchObject({ format: "xlsx", columns: ["Area code", "Quarter", "Rate"] });
    const mapping = {
      source: "Workbook",
      indicatorCode: "NI 152",
      columns: { area: "Area code", period: "Quarter", value: "Rate" },
    };
    const preview = await admin.imports.preview({ fileId, mapping });
    expect(preview.problems).toEqual([]);
    expect(preview).toMatchObject({ totalRows: 1000, accepted: 1000, problemCount: 0 });
    const commit = await admin.imports.commit({ fileId });
    // The demo data already has 2005 Q2–2006 Q4 for Wolverhampton: 7 values change, the rest are new.
    expect(commit.ok && commit.result).toMatchObject({ inserted: 993, updated: 7 });
    const { series } = await admin.observation.series({ indicatorCode: "NI 152", areaCodes: ["E08000031"] });
    const points = series[0]?.points ?? [];
    for (const [period, value] of expected)
      expect(points.find((p) => p.period === period)?.value).toBe(value);
  });
});

describe("upload", () => {
  const dir = mkdtempSync(join(tmpdir(), "fivestep-upload-"));
  const store = async (body: Buffer, maxBytes?: number) =>
    storeUpload(
      fx.db,
      { session: await fx.session("admin"), requestId: "t" },
      {
        body: Readable.from([body]),
        name: "../../etc/x.csv",
        dir,
        ...(maxBytes ? { maxBytes } : {}),
      },
    );

  it("checks the content, not the name", async () => {
    expect(sniffFormat(Buffer.from("a,b\n1,2\n"))).toBe("csv");
    expect(sniffFormat(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0]))).toBe("xlsx");
    await expect(store(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]))).rejects.toMatchObject({
      status: 415,
    });
  });

  it("caps the size and keeps only the file's base name", async () => {
    await expect(store(Buffer.alloc(2048, 65), 1024)).rejects.toBeInstanceOf(UploadError);
    await expect(store(Buffer.alloc(2048, 65), 1024)).rejects.toMatchObject({ status: 413 });
    const ok = await store(Buffer.from("area,value\nE08000026,1\n"));
    expect(ok).toMatchObject({
      name: "x.csv",
      format: "csv",
      columns: ["area", "value"],
      sample: [["E08000026", "1"]],
    });
    const stored = await fx.db
      .selectFrom("import_file")
      .select("path")
      .where("id", "=", ok.fileId)
      .executeTakeFirstOrThrow();
    expect(readFileSync(stored.path, "utf8")).toBe("area,value\nE08000026,1\n");
  });
});
