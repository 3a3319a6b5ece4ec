import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type ImportMappingInput, ImportMappingSchema } from "@fivestep/domain";
import { TRPCError } from "@trpc/server";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixture, type Fixture } from "../testing/fixtures.ts";
import { decodingStream, detectSeparator, fromDecimalComma } from "./decode.ts";
import { FileReadError, peekFile, readOptionsOf, readRows } from "./read-rows.ts";
import { UploadError } from "./upload.ts";

/**
 * Real national files as they come: in UTF-8 with or without a byte-order mark, UTF-16, Windows-1252
 * or Windows-1250; with commas, semicolons (and decimal commas), tabs or pipes; workbooks with
 * several sheets, titles above the header and date cells; and files that are not what they claim.
 */

const dir = mkdtempSync(join(tmpdir(), "fivestep-reading-"));
let n = 0;
function file(content: string | Buffer, name = "file.csv"): string {
  const path = join(dir, `${++n}-${name}`);
  writeFileSync(path, content);
  return path;
}

/** Text in a single-byte Windows code page, built with the platform's own decoder's table. */
function windows(text: string, encoding: "windows-1252" | "windows-1250"): Buffer {
  const decoder = new TextDecoder(encoding);
  const table = new Map<string, number>();
  for (let b = 0; b < 256; b++) table.set(decoder.decode(Uint8Array.of(b)), b);
  return Buffer.from(
    [...text].map((ch) => {
      const b = table.get(ch);
      if (b === undefined) throw new Error(`${ch} is not in ${encoding}`);
      return b;
    }),
  );
}

const utf16be = (text: string) => Buffer.from(text, "utf16le").swap16();

async function rows(path: string, options = {}, format: "csv" | "xlsx" = "csv"): Promise<string[][]> {
  const out: string[][] = [];
  for await (const { cells } of readRows(path, format, options)) out.push(cells);
  return out;
}

const WELSH = "area_code,area_name,value\nW06000001,Ynys Môn,12.5\nW06000002,Gwynedd,11\n";
const CROATIAN = "sifra;naziv;vrijednost\n1;Čakovec;2,5\n2;Đakovo;3,1\n3;Šibenik;4\n";

let fx: Fixture;
let admin: Awaited<ReturnType<Fixture["caller"]>>;
beforeAll(async () => {
  fx = await createFixture();
  admin = await fx.caller("admin");
});
afterAll(() => fx.db.destroy());

const NOTE_MAPPING: ImportMappingInput = {
  source: "Welsh returns",
  indicatorCode: "NI 151",
  columns: { area: "area", period: "period", value: "value", note: "note" },
};

async function storedNote(period: string): Promise<string | null | undefined> {
  const row = await fx.db
    .selectFrom("observation")
    .innerJoin("area", "area.id", "observation.area_id")
    .select("observation.note")
    .where("area.code", "=", "E08000026")
    .where("observation.period", "=", period)
    .executeTakeFirst();
  return row?.note;
}

describe("encodings", () => {
  it("stores a Windows-1252 file's 'Ynys Môn' intact, not as 'Ynys M\uFFFDn'", async () => {
    const csv = windows("area,period,value,note\nE08000026,2031 Q1,70.5,Ynys Môn compared\n", "windows-1252");
    const fileId = await fx.upload("welsh.csv", csv);
    const info = await admin.imports.file({ fileId });
    expect(info.reading).toMatchObject({
      encoding: "windows-1252",
      encodingFrom: "detector",
      separator: ",",
    });
    expect(info.reading?.nonAscii).toEqual(["Ynys Môn compared"]);
    await admin.imports.preview({ fileId, mapping: NOTE_MAPPING });
    const commit = await admin.imports.commit({ fileId });
    expect(commit.ok).toBe(true);
    expect(await storedNote("2031 Q1")).toBe("Ynys Môn compared");
  });

  it("reads UTF-8 with and without a byte-order mark", async () => {
    expect(await rows(file(`\uFEFF${WELSH}`))).toEqual([
      ["area_code", "area_name", "value"],
      ["W06000001", "Ynys Môn", "12.5"],
      ["W06000002", "Gwynedd", "11"],
    ]);
    const peek = await peekFile(file(`\uFEFF${WELSH}`), "csv");
    expect(peek.columns[0]).toBe("area_code");
    expect(peek.reading).toMatchObject({ encoding: "utf-8", encodingFrom: "byte-order mark" });
    expect((await peekFile(file(WELSH), "csv")).reading).toMatchObject({
      encoding: "utf-8",
      encodingFrom: "utf-8",
    });
  });

  it.each([
    [
      "UTF-16 LE with a byte-order mark",
      Buffer.from(`\uFEFF${CROATIAN}`, "utf16le"),
      "utf-16le",
      "byte-order mark",
    ],
    ["UTF-16 BE with a byte-order mark", utf16be(`\uFEFF${CROATIAN}`), "utf-16be", "byte-order mark"],
    ["UTF-16 LE without one", Buffer.from(CROATIAN, "utf16le"), "utf-16le", "zero bytes"],
    ["UTF-16 BE without one", utf16be(CROATIAN), "utf-16be", "zero bytes"],
  ])("reads %s", async (_name, bytes, encoding, evidence) => {
    const fileId = await fx.upload("utf16.csv", bytes);
    const info = await admin.imports.file({ fileId });
    expect(info.reading).toMatchObject({
      encoding,
      encodingFrom: evidence,
      separator: ";",
      decimalComma: true,
    });
    expect(info.columns).toEqual(["sifra", "naziv", "vrijednost"]);
    expect(info.sample).toEqual([
      ["1", "Čakovec", "2.5"],
      ["2", "Đakovo", "3.1"],
      ["3", "Šibenik", "4"],
    ]);
  });

  it("tells Windows-1250 (Croatian) from Windows-1252 and reads Čakovec, Đakovo and Šibenik", async () => {
    const path = file(windows(CROATIAN, "windows-1250"));
    const peek = await peekFile(path, "csv");
    expect(peek.reading).toMatchObject({ encoding: "windows-1250", encodingFrom: "detector" });
    expect(peek.reading.nonAscii).toEqual(["Čakovec", "Đakovo", "Šibenik"]);
    // The administrator's choice wins: read as Windows-1252 the same bytes say "Èakovec".
    const chosen = await peekFile(path, "csv", { encoding: "windows-1252" });
    expect(chosen.reading).toMatchObject({ encoding: "windows-1252", encodingFrom: "chosen" });
    expect(chosen.sample[0]?.[1]).toBe("Èakovec");
    expect((await peekFile(file(windows(WELSH, "windows-1252")), "csv")).reading.encoding).toBe(
      "windows-1252",
    );
  });

  it("keeps Windows-1252 when the detector is not clearly surer of Windows-1250 (España, not Espańa)", async () => {
    const spanish = windows("name,value\nEspaña,1\nMálaga,2\nCádiz,3\nA Coruña,4\n", "windows-1252");
    const peek = await peekFile(file(spanish), "csv");
    expect(peek.reading.encoding).toBe("windows-1252");
    expect(peek.reading.nonAscii).toEqual(["España", "Málaga", "Cádiz", "A Coruña"]);
    const croatian = windows("naziv,vrijednost\nKriževci,1\nPožega,2\n", "windows-1250");
    expect((await peekFile(file(croatian), "csv")).reading.nonAscii).toEqual(["Križevci", "Požega"]);
  });

  it("stops at an invalid UTF-8 byte, naming its row and byte offset", async () => {
    const bytes = Buffer.concat([
      Buffer.from("area,period,value,note\nE08000026,2031 Q2,70,Ynys Môn\nE08000026,2031 Q3,71,Caf"),
      Buffer.from([0xe9]),
      Buffer.from("\n"),
    ]);
    const offset = bytes.indexOf(0xe9);
    await expect(rows(file(bytes))).rejects.toThrow(
      new FileReadError(
        `Row 3 is not valid UTF-8: the byte 0xE9 at byte ${offset} cannot be read. The file may be in another encoding: choose the right one (for example Windows-1252 or Windows-1250) and read it again.`,
      ),
    );
    // Through the router: the upload is kept (another encoding may be chosen), the file page
    // says why it stops, the preview is a field error on the file, and nothing is written.
    const fileId = await fx.upload("broken.csv", bytes);
    const info = await admin.imports.file({ fileId });
    expect(info.sample).toEqual([["E08000026", "2031 Q2", "70", "Ynys Môn"]]);
    expect(info.readError).toMatch(`Row 3 is not valid UTF-8: the byte 0xE9 at byte ${offset}`);
    const error = await admin.imports.preview({ fileId, mapping: NOTE_MAPPING }).catch((e) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    expect((error as TRPCError).message).toContain(
      `Row 3 is not valid UTF-8: the byte 0xE9 at byte ${offset}`,
    );
    expect(await storedNote("2031 Q2")).toBeUndefined();
  });

  it("refuses text already lost (U+FFFD in the file) rather than store it", async () => {
    await expect(rows(file("area,name\nE1,Ynys M\uFFFDn\n"))).rejects.toThrow(
      /Row 2 holds the character "\uFFFD" \(at byte 19\)/,
    );
  });

  it("joins characters split between chunks, and counts rows and bytes across them", async () => {
    const text = "name\nYnys Môn\nČakovec 😀\n";
    for (const encoding of ["utf-8", "utf-16le", "utf-16be"] as const) {
      const bytes =
        encoding === "utf-8"
          ? Buffer.from(text)
          : encoding === "utf-16le"
            ? Buffer.from(text, "utf16le")
            : utf16be(text);
      let out = "";
      await pipeline(
        Readable.from([...bytes].map((b) => Buffer.from([b]))),
        decodingStream(encoding),
        async (source: AsyncIterable<string>) => {
          for await (const t of source) out += t;
        },
      );
      expect(out, encoding).toBe(text);
    }
    const bad = Buffer.concat([Buffer.from("a\nb\nYnys Môn "), Buffer.from([0xc3, 0x28])]);
    const stream = decodingStream("utf-8");
    let before = "";
    await pipeline(
      Readable.from([...bad].map((b) => Buffer.from([b]))),
      stream,
      async (s: AsyncIterable<string>) => {
        for await (const t of s) before += t;
      },
    );
    expect(before).toBe("a\nb\n");
    expect(stream.failure?.message).toMatch(
      `Row 3 is not valid UTF-8: the byte 0xC3 at byte ${bad.length - 2}`,
    );
  });
});

describe("separators and decimals", () => {
  it("finds , ; tab and | from the first lines, respecting quotes", () => {
    expect(detectSeparator('area,name,value\nE1,"Bath; Wells",1\n')).toBe(",");
    expect(detectSeparator('area;name;value\nE1;"Bath, Somerset";2,5\nE2;Leeds;3,1\n')).toBe(";");
    expect(detectSeparator("area\tname\tvalue\nE1\tBath, Somerset\t1\n")).toBe("\t");
    expect(detectSeparator("area|name|value\nE1|Bath, Somerset|1\n")).toBe("|");
    expect(
      detectSeparator('"Title, with a comma"\n"Published; 2024"\narea;name;value\nE1;x;1\nE2;y;2\n'),
    ).toBe(";");
    expect(detectSeparator('note\n"a,b;c"\n')).toBe(",");
  });

  it("reads decimal commas with ';' (and when the mapping says so), never with ','", async () => {
    const semicolon = file("area;value;share\nE1;2,5;1.234,5\nE2;-3;12,5%\n");
    expect(await rows(semicolon)).toEqual([
      ["area", "value", "share"],
      ["E1", "2.5", "1234.5"],
      ["E2", "-3", "12.5%"],
    ]);
    expect((await rows(semicolon, { decimalComma: false }))[1]).toEqual(["E1", "2,5", "1.234,5"]);
    const tab = file("area\tvalue\nE1\t2,5\n");
    expect((await rows(tab))[1]).toEqual(["E1", "2,5"]);
    expect((await rows(tab, { decimalComma: true }))[1]).toEqual(["E1", "2.5"]);
    const comma = file('area,value\nE1,"2,5"\n');
    expect((await rows(comma, { decimalComma: true }))[1]).toEqual(["E1", "2,5"]);
    expect(fromDecimalComma("Bath, Somerset")).toBe("Bath, Somerset");
    expect(fromDecimalComma("1 234,5")).toBe("1234.5");
    expect(
      ImportMappingSchema.safeParse({ ...NOTE_MAPPING, separator: ",", decimalComma: true }).success,
    ).toBe(false);
  });

  it("imports a ';' file with decimal commas as numbers", async () => {
    const fileId = await fx.upload("semicolon.csv", "area;period;value\nE08000026;2031 Q4;70,5\n");
    await admin.imports.preview({
      fileId,
      mapping: { ...NOTE_MAPPING, columns: { area: "area", period: "period", value: "value" } },
    });
    expect(await admin.imports.commit({ fileId })).toMatchObject({ ok: true });
    const { series } = await admin.observation.series({ indicatorCode: "NI 151", areaCodes: ["E08000026"] });
    expect(series[0]?.points.find((p) => p.period === "2031 Q4")?.value).toBe(70.5);
  });

  it("reads tabs, pipes and quoted separators, and a header below a title", async () => {
    expect(await rows(file("a\tb\n1\t2\n"))).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect(await rows(file("a|b\n1|x, y\n"))).toEqual([
      ["a", "b"],
      ["1", "x, y"],
    ]);
    expect(await rows(file('a,b\n1,"x, y"\n'))).toEqual([
      ["a", "b"],
      ["1", "x, y"],
    ]);
    const titled = file("Claimant count, March 2023\nSource: ONS\narea;value\nE1;2,5\n");
    expect(await rows(titled, { headerRow: 3 })).toEqual([
      ["area", "value"],
      ["E1", "2.5"],
    ]);
    const peek = await peekFile(titled, "csv", { headerRow: 3 });
    expect(peek).toMatchObject({ columns: ["area", "value"], reading: { headerRow: 3, separator: ";" } });
  });

  it("gives the reading options of a mapping", () => {
    expect(readOptionsOf({ encoding: "windows-1250", separator: ";", headerRow: 2, sheet: "" })).toEqual({
      encoding: "windows-1250",
      separator: ";",
      headerRow: 2,
    });
    expect(readOptionsOf(null)).toEqual({});
  });
});

async function workbook(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet("Notes").addRow(["About this file"]);
  const data = book.addWorksheet("Data");
  data.addRow(["Employment rate by area"]);
  data.addRow(["Source: Annual Population Survey"]);
  data.addRow(["Area code", "Month", "Ending", "Rate", "Area name"]);
  const march = data.addRow([
    "E08000026",
    new Date(Date.UTC(2024, 2, 1)),
    new Date(Date.UTC(2024, 2, 31)),
    71.5,
    "Ynys Môn",
  ]);
  march.getCell(2).numFmt = "mmm-yy";
  march.getCell(3).numFmt = "yyyy-mm-dd";
  const april = data.addRow([
    "E08000031",
    new Date(Date.UTC(2024, 3, 1)),
    new Date(Date.UTC(2024, 3, 30)),
    66.1,
    "Đakovo",
  ]);
  april.getCell(2).numFmt = "mmmm yyyy";
  april.getCell(3).numFmt = "d/m/yyyy";
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe("workbooks", () => {
  it("reads the chosen sheet from the chosen header row, with date cells as periods", async () => {
    const path = file(await workbook(), "book.xlsx");
    const first = await peekFile(path, "xlsx");
    expect(first).toMatchObject({
      columns: ["About this file"],
      reading: { sheet: "Notes", sheets: ["Notes", "Data"] },
    });
    const peek = await peekFile(path, "xlsx", { sheet: "Data", headerRow: 3 });
    expect(peek.columns).toEqual(["Area code", "Month", "Ending", "Rate", "Area name"]);
    expect(peek.sample).toEqual([
      ["E08000026", "2024-03", "2024-03-31", "71.5", "Ynys Môn"],
      ["E08000031", "2024-04", "2024-04-30", "66.1", "Đakovo"],
    ]);
    expect(peek.reading).toMatchObject({
      sheet: "Data",
      headerRow: 3,
      encoding: null,
      nonAscii: ["Ynys Môn", "Đakovo"],
    });
    await expect(rows(path, { sheet: "Summary" }, "xlsx")).rejects.toThrow(
      'The workbook has no worksheet "Summary"; its worksheets are "Notes", "Data"',
    );
  });

  it("offers the sheets and reads the chosen one through the router", async () => {
    const fileId = await fx.upload("book.xlsx", await workbook());
    const info = await admin.imports.file({ fileId, read: { sheet: "Data", headerRow: 3 } });
    expect(info.reading?.sheets).toEqual(["Notes", "Data"]);
    expect(info.columns).toEqual(["Area code", "Month", "Ending", "Rate", "Area name"]);
  });
});

describe("files that are not what they claim", () => {
  it("refuses a text file named .xlsx as not an Excel workbook", async () => {
    const error = await fx.upload("returns.xlsx", "area,value\nE1,2\n").catch((e) => e);
    expect(error).toBeInstanceOf(UploadError);
    expect(error).toMatchObject({ status: 415 });
    expect((error as UploadError).message).toMatch(/not an Excel workbook/);
  });

  it("refuses a header line of megabytes at upload", async () => {
    const error = await fx.upload("huge.csv", `${"a".repeat(5 * 1024 * 1024)}\n1\n`).catch((e) => e);
    expect(error).toBeInstanceOf(UploadError);
    expect((error as UploadError).message).toBe(
      "The first line is 5.0 MB long; a header row should be a few hundred characters. Is this the right file?",
    );
  });

  it("refuses a header of thousands of columns at upload, and never sends more than 2,000", async () => {
    const header = Array.from({ length: 3000 }, (_, i) => `c${i}`).join(",");
    const error = await fx.upload("wide.csv", `${header}\n1\n`).catch((e) => e);
    expect(error).toBeInstanceOf(UploadError);
    expect((error as UploadError).message).toBe(
      "The header row has 3,000 columns; Fivestep reads files with at most 2,000. Is this the right file?",
    );
    const peek = await peekFile(file(`${header}\n1\n`), "csv");
    expect(peek.columns).toHaveLength(2000);
    expect(peek.reading.columnCount).toBe(3000);
  });
});
