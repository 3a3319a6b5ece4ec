import { createHash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, open, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type Database, findImportFile, type ImportFileView, insertImportFile, nowIso } from "@fivestep/db";
import type { Kysely } from "kysely";
import { audit } from "../audit.ts";
import type { Context } from "../context.ts";
import {
  type FilePeek,
  type FileReading,
  type ImportFormat,
  MAX_COLUMNS,
  peekFile,
  sniffFormat,
} from "./read-rows.ts";

/** The largest upload accepted, in bytes (200 MB). @example MAX_UPLOAD_BYTES // 209715200 */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

/** The longest file name kept for an upload, in characters. @example MAX_UPLOAD_NAME_LENGTH // 200 */
export const MAX_UPLOAD_NAME_LENGTH = 200;

// C0 and C1 controls, DEL, and the bidirectional marks, embeddings, overrides and isolates that
// can make a name read as something else (U+061C, U+200E–F, U+202A–E, U+2066–9).
const INVISIBLE = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
// Half of a surrogate pair without its other half (not a character in UTF-8).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A file name fit to store and show: whitespace (tabs, line breaks…) as single spaces, control
 * and bidirectional-override characters removed, only the part after the last / or \, trimmed,
 * at most `MAX_UPLOAD_NAME_LENGTH` characters (cut before the extension, which is kept), and
 * "upload" when nothing is left.
 *
 * @example sanitizeUploadName("../re\u0000turns\t2008.csv") // "returns 2008.csv"
 * @example sanitizeUploadName("\u0000") // "upload"
 */
export function sanitizeUploadName(name: string): string {
  const clean =
    name
      .replace(LONE_SURROGATE, "")
      .normalize("NFC")
      .replace(/\s/g, " ")
      .replace(INVISIBLE, "")
      .split(/[/\\]/)
      .pop() ?? "";
  const collapsed = clean.replace(/\s+/g, " ").trim();
  if (collapsed === "" || /^\.+$/.test(collapsed)) return "upload";
  const chars = Array.from(collapsed);
  if (chars.length <= MAX_UPLOAD_NAME_LENGTH) return collapsed;
  const ext = /\.[^.\s]{1,16}$/.exec(collapsed)?.[0] ?? "";
  const extLength = Array.from(ext).length;
  const stem = chars
    .slice(0, MAX_UPLOAD_NAME_LENGTH - extLength)
    .join("")
    .replace(/[\s.]+$/, "");
  return `${stem}${ext}`;
}

/**
 * Where uploads are kept until imported: FIVESTEP_UPLOAD_DIR, or a folder in the system temp
 * directory. Servers sharing one database must share this folder too.
 *
 * @example defaultUploadDir({}) // "/tmp/fivestep-uploads"
 */
export function defaultUploadDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.FIVESTEP_UPLOAD_DIR?.trim() || join(tmpdir(), "fivestep-uploads");
}

/** Why an upload was refused, with the HTTP status to answer. */
export class UploadError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
    this.name = "UploadError";
  }
}

/** An uploaded (or registered) file as the client sees it. */
export interface UploadedFile {
  fileId: number;
  name: string;
  format: ImportFormat;
  size: number;
  columns: string[];
  /** The first rows below the header, as text. */
  sample: string[][];
  /** How the file was read (encoding, separator, sheets, sample non-ASCII texts). */
  reading: FileReading;
}

/** The longest first line a CSV upload may have, in bytes (1 MB). @example MAX_HEADER_LINE_BYTES // 1048576 */
export const MAX_HEADER_LINE_BYTES = 1024 * 1024;

// Excel 97–2003 (.xls) and other OLE2 compound files.
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** The first bytes of a file, and the length of its first line when that is over `limit` bytes. */
async function firstBytes(path: string, limit: number): Promise<{ head: Buffer; longLine: number | null }> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(256 * 1024);
    let head = Buffer.alloc(0);
    let position = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (position === 0) head = Buffer.from(buffer.subarray(0, Math.min(bytesRead, 8192)));
      const chunk = buffer.subarray(0, bytesRead);
      const nl = chunk.findIndex((b) => b === 0x0a || b === 0x0d);
      if (nl >= 0) {
        const length = position + nl;
        return { head, longLine: length > limit ? length : null };
      }
      position += bytesRead;
      if (bytesRead === 0) return { head, longLine: position > limit ? position : null };
    }
  } finally {
    await handle.close();
  }
}

const megabytes = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

async function register(
  db: Kysely<Database>,
  ctx: Pick<Context, "session" | "requestId"> & Partial<Pick<Context, "token">>,
  given: { name: string; path: string; size: number; sha256: string },
): Promise<UploadedFile> {
  const f = { ...given, name: sanitizeUploadName(given.name) };
  const { head, longLine } = await firstBytes(f.path, MAX_HEADER_LINE_BYTES);
  const format = sniffFormat(head);
  if (!format) {
    if (OLE2.every((b, i) => head[i] === b))
      throw new UploadError(
        415,
        "This is an Excel 97–2003 workbook (.xls): open it in Excel, save it as an Excel workbook (.xlsx) or CSV, and upload that",
      );
    throw new UploadError(415, "This is neither a CSV (text) nor an XLSX file");
  }
  if (format === "csv" && /\.xls[xm]?$/i.test(f.name))
    throw new UploadError(
      415,
      `"${f.name}" is named as an Excel workbook but is not an Excel workbook: it holds text. If it is a CSV file, rename it to end in .csv and upload it again.`,
    );
  // An absurd header (a whole file on one line, hundreds of thousands of columns) is refused here,
  // before it is parsed, stored as column names and sent to a browser.
  if (format === "csv" && longLine !== null)
    throw new UploadError(
      400,
      `The first line is ${megabytes(longLine)} long; a header row should be a few hundred characters. Is this the right file?`,
    );
  let peek: FilePeek;
  try {
    peek = await peekFile(f.path, format, { sampleRows: 5 });
  } catch (error) {
    throw new UploadError(
      400,
      `The file cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (peek.reading.columnCount > MAX_COLUMNS)
    throw new UploadError(
      400,
      `The header row has ${peek.reading.columnCount.toLocaleString("en-GB")} columns; Fivestep reads files with at most ${MAX_COLUMNS.toLocaleString("en-GB")}. Is this the right file?`,
    );
  if (peek.columns.length === 0) throw new UploadError(400, "The file has no header row");
  const fileId = await db.transaction().execute(async (trx) => {
    const id = await insertImportFile(trx, {
      name: f.name,
      path: f.path,
      format,
      size: f.size,
      sha256: f.sha256,
      columns: peek.columns,
      uploadedBy: ctx.session?.user.id ?? null,
      at: nowIso(),
    });
    const after = { id, name: f.name, format, size: f.size, sha256: f.sha256 };
    await audit(trx, ctx, {
      action: "upload",
      entity: "import_file",
      entityId: id,
      partnershipId: null,
      before: null,
      after,
    });
    return id;
  });
  return {
    fileId,
    name: f.name,
    format,
    size: f.size,
    columns: peek.columns,
    sample: peek.sample,
    reading: peek.reading,
  };
}

/**
 * Streams an upload to a new file in `dir` (never the whole body in memory), refusing bodies over
 * `maxBytes` (413) and content that is neither CSV text nor an XLSX zip (415), then registers it
 * for preview and commit (audited as one `import_file` "upload") under its name made clean by
 * `sanitizeUploadName`.
 *
 * @example const file = await storeUpload(db, ctx, { body: req.raw, name: "smoking.csv", dir: defaultUploadDir() });
 */
export async function storeUpload(
  db: Kysely<Database>,
  ctx: Pick<Context, "session" | "requestId"> & Partial<Pick<Context, "token">>,
  u: { body: Readable; name: string; dir: string; maxBytes?: number },
): Promise<UploadedFile> {
  await mkdir(u.dir, { recursive: true });
  const path = join(u.dir, `${randomUUID()}.upload`);
  const maxBytes = u.maxBytes ?? MAX_UPLOAD_BYTES;
  const hash = createHash("sha256");
  let size = 0;
  try {
    await pipeline(
      u.body,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          size += chunk.length;
          if (size > maxBytes)
            throw new UploadError(413, `The file is larger than ${Math.round(maxBytes / 1048576)} MB`);
          hash.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(path),
    );
    if (size === 0) throw new UploadError(400, "The upload is empty");
    return await register(db, ctx, {
      name: u.name,
      path,
      size,
      sha256: hash.digest("hex"),
    });
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
}

/**
 * Registers a file already on this machine (the CLI's path) without copying it.
 *
 * @example const file = await registerLocalFile(db, ctx, "./data/smoking.csv");
 */
export async function registerLocalFile(
  db: Kysely<Database>,
  ctx: Pick<Context, "session" | "requestId"> & Partial<Pick<Context, "token">>,
  path: string,
): Promise<UploadedFile> {
  const { size } = await stat(path);
  const hash = createHash("sha256");
  const { createReadStream } = await import("node:fs");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return register(db, ctx, { name: basename(path), path, size, sha256: hash.digest("hex") });
}

/**
 * The stored file for an id, or undefined.
 *
 * @example const file = await uploadedFile(db, 3);
 */
export function uploadedFile(db: Kysely<Database>, fileId: number): Promise<ImportFileView | undefined> {
  return findImportFile(db, fileId);
}
