import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { pipeline, Transform } from "node:stream";
import { parse } from "csv-parse";
import ExcelJS from "exceljs";

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

function readError(error: unknown, format: ImportFormat): FileReadError {
  if (error instanceof FileReadError) return error;
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
 * Tells a CSV from an XLSX file by its first bytes: the zip signature "PK\x03\x04" is XLSX; text
 * without NUL bytes is CSV; anything else is refused (null).
 *
 * @example sniffFormat(Buffer.from("area,value\n")) // "csv"
 */
export function sniffFormat(head: Uint8Array): ImportFormat | null {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04)
    return "xlsx";
  if (head.length === 0) return null;
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

function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    const v = value as { text?: unknown; result?: unknown; richText?: Array<{ text: string }> };
    if (v.richText) return v.richText.map((t) => t.text).join("");
    if (v.result !== undefined) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
  }
  return String(value);
}

/**
 * Streams a CSV or XLSX file row by row (never the whole file in memory): first the header
 * (row 1), then each data row with its row number. Blank rows are skipped. For XLSX, `sheet`
 * names the worksheet (the first when omitted).
 *
 * @example for await (const { row, cells } of readRows(path, "csv")) console.log(row, cells);
 */
export async function* readRows(
  path: string,
  format: ImportFormat,
  options: { sheet?: string; onBytes?: BytesCallback } = {},
): AsyncGenerator<FileRow> {
  try {
    yield* readRowsUnchecked(path, format, options);
  } catch (error) {
    throw readError(error, format);
  }
}

async function* readRowsUnchecked(
  path: string,
  format: ImportFormat,
  options: { sheet?: string; onBytes?: BytesCallback },
): AsyncGenerator<FileRow> {
  if (format === "csv") {
    // pipeline, not pipe: leaving the loop early destroys the file stream too.
    const parser = pipeline(
      createReadStream(path, { highWaterMark: 256 * 1024 }),
      counter(options.onBytes),
      parse({
        bom: true,
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: true,
        trim: true,
        info: true,
      }),
      () => {},
    );
    for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { row: record.info.lines, cells: record.record };
    }
    return;
  }
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(
    createReadStream(path).pipe(counter(options.onBytes)),
    { worksheets: "emit", sharedStrings: "cache", hyperlinks: "ignore", styles: "ignore", entries: "ignore" },
  );
  let seen = false;
  for await (const sheet of reader) {
    const name = (sheet as unknown as { name?: string }).name;
    if (seen || (options.sheet !== undefined && name !== options.sheet)) {
      // Drain sheets we do not read, so the zip stream moves on.
      for await (const _ of sheet) {
        /* skip */
      }
      continue;
    }
    seen = true;
    let width = 0;
    for await (const r of sheet) {
      const values = r.values as unknown[];
      const cells: string[] = [];
      for (let c = 1; c < values.length; c++) cells.push(cellText(values[c]).trim());
      if (r.number === 1) width = cells.length;
      while (cells.length < width) cells.push("");
      if (cells.every((c) => c === "")) continue;
      yield { row: r.number, cells };
    }
  }
  if (!seen && options.sheet !== undefined)
    throw new FileReadError(`The workbook has no worksheet "${options.sheet}"`);
}

/**
 * A file's header and its first data rows, for the column-mapping form.
 *
 * @example const { columns, sample } = await peekFile(path, "csv", 5);
 */
export async function peekFile(
  path: string,
  format: ImportFormat,
  sampleRows = 5,
): Promise<{ columns: string[]; sample: string[][] }> {
  let columns: string[] = [];
  const sample: string[][] = [];
  for await (const { cells } of readRows(path, format)) {
    if (columns.length === 0) {
      columns = cells.map((c) => c.replace(/^\uFEFF/, ""));
      if (sampleRows === 0) break;
      continue;
    }
    sample.push(cells);
    if (sample.length >= sampleRows) break;
  }
  return { columns, sample };
}
