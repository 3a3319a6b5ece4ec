import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { pipeline, Transform } from "node:stream";
import type { ImportEncoding, ImportReading, ImportSeparator } from "@fivestep/domain";
import { parse } from "csv-parse";
import ExcelJS from "exceljs";
import {
  byteOrderMark,
  decodingStream,
  detectFileEncoding,
  detectSeparator,
  type EncodingEvidence,
  fromDecimalComma,
  headText,
  TextDecodeError,
  utf16ByZeroBytes,
} from "./decode.ts";

/** A file format the import reads. */
export type ImportFormat = "csv" | "xlsx";

/** One data row: its number in the file (the header is row 1) and its cells as text. */
export interface FileRow {
  row: number;
  cells: string[];
}

/**
 * A file the parser cannot read past some point (an unclosed quote, a broken workbook): the
 * message says where and why, for the person who uploaded it.
 */
export class FileReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FileReadError";
  }
}

/** The longest row of a CSV file read, in characters (1 MB). @example MAX_ROW_CHARS // 1048576 */
export const MAX_ROW_CHARS = 1024 * 1024;

/** The most columns a file may have. @example MAX_COLUMNS // 2000 */
export const MAX_COLUMNS = 2000;

/** The longest text a peek sends for a column name or a sample cell. @example MAX_PEEK_TEXT // 200 */
export const MAX_PEEK_TEXT = 200;

function toFileReadError(error: unknown, format: ImportFormat): FileReadError {
  if (error instanceof FileReadError) return error;
  if (error instanceof TextDecodeError) return new FileReadError(error.message);
  const csv = error as { code?: unknown; lines?: unknown };
  if (csv?.code === "CSV_MAX_RECORD_SIZE") {
    const row = typeof csv.lines === "number" ? csv.lines : undefined;
    return new FileReadError(
      `${row === undefined ? "A row" : `Row ${row}`} is over 1 MB long; a row of data should be a few hundred characters. Is this the right file?`,
    );
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new FileReadError(
    format === "csv"
      ? `The file is not valid CSV: ${detail}`
      : `The file is not a readable XLSX workbook: ${detail}`,
  );
}

/** Bytes read so far of a file being streamed. */
export type BytesCallback = (bytesRead: number) => void;

/**
 * How to read a file (each detected, or the first, when omitted) and a byte counter for progress:
 * the reading fields of an import mapping (`ImportReading`) plus `onBytes`.
 */
export interface ReadOptions {
  encoding?: ImportEncoding;
  separator?: ImportSeparator;
  decimalComma?: boolean;
  headerRow?: number;
  sheet?: string;
  onBytes?: BytesCallback;
}

/**
 * The reading options a mapping (or any object with its reading fields) holds, without the
 * fields it leaves out; for `readRows` and `peekFile`.
 *
 * @example readRows(path, format, { ...readOptionsOf(mapping), onBytes })
 * @example readOptionsOf({ source: "DZS", encoding: "windows-1250", sheet: undefined }) // { encoding: "windows-1250" }
 */
export function readOptionsOf(m: Partial<ImportReading> | null | undefined): ReadOptions {
  const options: ReadOptions = {};
  if (!m) return options;
  if (m.encoding !== undefined) options.encoding = m.encoding;
  if (m.separator !== undefined) options.separator = m.separator;
  if (m.decimalComma !== undefined) options.decimalComma = m.decimalComma;
  if (m.headerRow !== undefined) options.headerRow = m.headerRow;
  if (m.sheet !== undefined && m.sheet !== "") options.sheet = m.sheet;
  return options;
}

/** How a file was read: what was chosen or detected, for a person to check. */
export interface FileReading {
  /** The text encoding (null for XLSX) and how it was found ("chosen" when the mapping says). */
  encoding: ImportEncoding | null;
  encodingFrom: EncodingEvidence | "chosen" | null;
  /** The column separator (null for XLSX) and whether the mapping chose it. */
  separator: ImportSeparator | null;
  separatorFrom: "detected" | "chosen" | null;
  /** Whether "2,5" is read as 2.5. */
  decimalComma: boolean;
  /** The row the headers were read from. */
  headerRow: number;
  /** The worksheet read and every worksheet of the workbook (XLSX). */
  sheet: string | null;
  sheets: string[];
  /** Up to 5 distinct texts from the file with non-ASCII characters, to see they read right. */
  nonAscii: string[];
  /** The header's number of columns (a peek sends at most `MAX_COLUMNS`). */
  columnCount: number;
}

interface CsvReading {
  encoding: ImportEncoding;
  encodingFrom: EncodingEvidence | "chosen";
  separator: ImportSeparator;
  separatorFrom: "detected" | "chosen";
  decimalComma: boolean;
}

async function resolveCsv(path: string, options: ReadOptions): Promise<CsvReading> {
  const found = options.encoding
    ? { encoding: options.encoding, evidence: "chosen" as const }
    : await detectFileEncoding(path);
  const separator =
    options.separator ?? detectSeparator(await headText(path, found.encoding), options.headerRow ?? 1);
  return {
    encoding: found.encoding,
    encodingFrom: found.evidence,
    separator,
    separatorFrom: options.separator ? "chosen" : "detected",
    // Never with commas between columns: "2,5" would be two cells.
    decimalComma: separator !== "," && (options.decimalComma ?? separator === ";"),
  };
}

/**
 * Tells a CSV from an XLSX file by its first bytes: the zip signature "PK\x03\x04" is XLSX; text
 * (UTF-16 by its byte-order mark or its zero bytes, otherwise without NUL bytes) is CSV; anything
 * else is refused (null).
 *
 * @example sniffFormat(Buffer.from("area,value\n")) // "csv"
 * @example sniffFormat(Buffer.from("\uFEFFarea,value\n", "utf16le")) // "csv"
 */
export function sniffFormat(head: Uint8Array): ImportFormat | null {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04)
    return "xlsx";
  if (head.length === 0) return null;
  const bom = byteOrderMark(head);
  if (bom && bom.encoding !== "utf-8") return "csv";
  if (utf16ByZeroBytes(head)) return "csv";
  for (const byte of head) if (byte === 0) return null;
  return "csv";
}

/**
 * Reads the first bytes of a file and sniffs its format.
 *
 * @example await sniffFile("/tmp/upload") // "xlsx"
 */
export async function sniffFile(path: string): Promise<ImportFormat | null> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return sniffFormat(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

function counter(onBytes: BytesCallback | undefined): Transform {
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      onBytes?.(bytes);
      done(null, chunk);
    },
  });
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * A date cell as text a period can be read from: "2024-03" when its number format shows no day
 * (Excel keeps a month as its first day, shown "Mar-24"), otherwise "2024-03-31", with the time
 * when it has one.
 */
function dateText(date: Date, numFmt: string | undefined): string {
  const month = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}`;
  const format = (numFmt ?? "").replace(/"[^"]*"|\[[^\]]*\]|\\./g, "").toLowerCase();
  if (format.includes("y") && format.includes("m") && !format.includes("d")) return month;
  const day = `${month}-${pad(date.getUTCDate())}`;
  const minutes = date.getUTCHours() * 60 + date.getUTCMinutes();
  return minutes === 0 ? day : `${day} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
}

/** Whether an Excel number format shows a date (a formula's result keeps only its number). */
function isDateFormat(numFmt: string | undefined): boolean {
  if (!numFmt) return false;
  const format = numFmt.replace(/"[^"]*"|\[[^\]]*\]|\\./g, "").toLowerCase();
  return /[dy]/.test(format) || /m{3,}/.test(format);
}

function excelDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - (date1904 ? -1462 : 0) - 25569) * 86400000));
}

function cellText(value: unknown, numFmt?: string, date1904 = false): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number")
    return isDateFormat(numFmt) ? dateText(excelDate(value, date1904), numFmt) : String(value);
  if (typeof value === "boolean") return String(value);
  if (value instanceof Date) return dateText(value, numFmt);
  if (typeof value === "object") {
    const v = value as {
      text?: unknown;
      result?: unknown;
      richText?: Array<{ text: string }>;
      error?: unknown;
    };
    if (v.richText) return v.richText.map((t) => t.text).join("");
    if (v.result !== undefined) return cellText(v.result, numFmt, date1904);
    if (v.text !== undefined) return cellText(v.text);
    if (v.error !== undefined) return String(v.error);
    if ("formula" in v) return "";
  }
  return String(value);
}

/**
 * Streams a CSV or XLSX file row by row (never the whole file in memory): first the header, then
 * each data row with its row number in the file. Blank rows are skipped.
 *
 * Options (`readOptionsOf(mapping)` gives them; each detected, or the first, when omitted):
 * `encoding` (CSV; decoded strictly: a byte that is not valid stops the read with its row and
 * offset), `separator` (CSV), `decimalComma` (CSV; on by default with ";" and never with ",":
 * "1.234,5" is then given as "1234.5"), `headerRow` (rows above it are ignored), `sheet` (XLSX).
 * Excel date cells are given as "2024-03-31", or "2024-03" when their format shows no day.
 *
 * @example for await (const { row, cells } of readRows(path, "csv", { encoding: "windows-1252" })) console.log(row, cells);
 */
export async function* readRows(
  path: string,
  format: ImportFormat,
  options: ReadOptions = {},
): AsyncGenerator<FileRow> {
  try {
    yield* readRowsUnchecked(path, format, options, () => {});
  } catch (error) {
    throw toFileReadError(error, format);
  }
}

type Report = (reading: Partial<FileReading>) => void;

async function* readRowsUnchecked(
  path: string,
  format: ImportFormat,
  options: ReadOptions,
  report: Report,
): AsyncGenerator<FileRow> {
  const headerRow = options.headerRow ?? 1;
  if (format === "csv") {
    const csv = await resolveCsv(path, options);
    report({ ...csv, headerRow });
    // pipeline, not pipe: leaving the loop early destroys the file stream too.
    const input = createReadStream(path, { highWaterMark: 256 * 1024 });
    const text = decodingStream(csv.encoding);
    const parser = pipeline(
      input,
      counter(options.onBytes),
      text,
      parse({
        delimiter: csv.separator,
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: true,
        trim: true,
        info: true,
        max_record_size: MAX_ROW_CHARS,
      }),
      () => {},
    );
    let header = true;
    try {
      for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        if (record.info.lines < headerRow) continue;
        const cells = csv.decimalComma && !header ? record.record.map(fromDecimalComma) : record.record;
        header = false;
        yield { row: record.info.lines, cells };
      }
    } catch (error) {
      // A row cut short by text that cannot be decoded is that failure, not a CSV one.
      throw text.failure ?? error;
    } finally {
      input.destroy();
    }
    // The text stops before a row that cannot be decoded: the rows before it were given.
    if (text.failure) throw text.failure;
    return;
  }
  const input = createReadStream(path);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input.pipe(counter(options.onBytes)), {
    worksheets: "emit",
    sharedStrings: "cache",
    hyperlinks: "ignore",
    // Cached for the number formats that tell a date cell from a number.
    styles: "cache",
    entries: "ignore",
  });
  const book = reader as unknown as {
    model?: { sheets?: Array<{ name?: string }> };
    properties?: { model?: { date1904?: boolean } };
  };
  const seenNames: string[] = [];
  let seen = false;
  try {
    for await (const sheet of reader) {
      const name = (sheet as unknown as { name?: string }).name ?? "";
      seenNames.push(name);
      if (seen || (options.sheet !== undefined && name !== options.sheet)) {
        // Drain sheets we do not read, so the zip stream moves on.
        for await (const _ of sheet) {
          /* skip */
        }
        continue;
      }
      seen = true;
      const names = book.model?.sheets?.map((s) => s.name ?? "") ?? seenNames;
      report({ sheet: name, sheets: names, headerRow });
      const date1904 = book.properties?.model?.date1904 === true;
      let width = 0;
      let header = true;
      for await (const r of sheet) {
        if (r.number < headerRow) continue;
        const cells: string[] = [];
        r.eachCell({ includeEmpty: true }, (cell, col) => {
          cells[col - 1] = cellText(cell.value, cell.numFmt, date1904).trim();
        });
        for (let c = 0; c < cells.length; c++) cells[c] ??= "";
        if (header) width = cells.length;
        while (cells.length < width) cells.push("");
        if (cells.every((c) => c === "")) continue;
        header = false;
        yield { row: r.number, cells };
      }
    }
  } finally {
    input.destroy();
  }
  if (!seen && options.sheet !== undefined) {
    const names = book.model?.sheets?.map((s) => s.name ?? "") ?? seenNames;
    throw new FileReadError(
      `The workbook has no worksheet "${options.sheet}"; its worksheets are ${names.map((n) => `"${n}"`).join(", ")}`,
    );
  }
}

/**
 * What a peek found: the header, the first rows (both capped in size), how the file was read, and
 * why it stopped when a row after the header cannot be read (the rows before it are kept).
 */
export interface FilePeek {
  columns: string[];
  sample: string[][];
  reading: FileReading;
  readError: string | null;
}

const clip = (text: string) => (text.length > MAX_PEEK_TEXT ? `${text.slice(0, MAX_PEEK_TEXT - 1)}…` : text);
// Any character outside ASCII.
const NON_ASCII = /\P{ASCII}/u;

/**
 * A file's header and its first data rows, for the column-mapping form, and how the file was
 * read (`FileReading`: encoding, separator, sheets, sample non-ASCII texts from up to `scanRows`
 * rows). At most `MAX_COLUMNS` columns and `MAX_PEEK_TEXT` characters a text are sent. Throws
 * `FileReadError` when not even the header can be read; a later row that cannot be read ends the
 * peek with its reason in `readError`.
 *
 * @example const { columns, sample, reading } = await peekFile(path, "csv", { sampleRows: 5, encoding: "windows-1250" });
 */
export async function peekFile(
  path: string,
  format: ImportFormat,
  options: ReadOptions & { sampleRows?: number; scanRows?: number } = {},
): Promise<FilePeek> {
  const { sampleRows = 5, scanRows = 2000, ...read } = options;
  let columns: string[] | null = null;
  const sample: string[][] = [];
  const nonAscii = new Set<string>();
  const reading: FileReading = {
    encoding: null,
    encodingFrom: null,
    separator: null,
    separatorFrom: null,
    decimalComma: false,
    headerRow: read.headerRow ?? 1,
    sheet: null,
    sheets: [],
    nonAscii: [],
    columnCount: 0,
  };
  const report: Report = (r) => Object.assign(reading, r);
  let rows = 0;
  let readError: string | null = null;
  try {
    for await (const { cells } of readRowsUnchecked(path, format, read, report)) {
      for (const cell of cells)
        if (nonAscii.size < 5 && NON_ASCII.test(cell)) nonAscii.add(clip(cell.replace(/^\uFEFF/, "")));
      if (columns === null) {
        reading.columnCount = cells.length;
        columns = cells.slice(0, MAX_COLUMNS).map((c) => clip(c.replace(/^\uFEFF/, "")));
      } else if (sample.length < sampleRows) {
        sample.push(cells.slice(0, MAX_COLUMNS).map(clip));
      }
      rows++;
      if (sample.length >= sampleRows && (nonAscii.size >= 5 || rows > scanRows)) break;
    }
  } catch (error) {
    // A row below the header that cannot be read is told, with what came before it.
    if (columns === null) throw toFileReadError(error, format);
    readError = toFileReadError(error, format).message;
  }
  reading.nonAscii = [...nonAscii].filter((t) => t !== "");
  return { columns: columns ?? [], sample, reading, readError };
}
