import { createHash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type Database, findImportFile, type ImportFileView, insertImportFile, nowIso } from "@fivestep/db";
import type { Kysely } from "kysely";
import { audit } from "../audit.ts";
import type { Context } from "../context.ts";
import { type ImportFormat, peekFile, sniffFile } from "./read-rows.ts";

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
}

async function register(
  db: Kysely<Database>,
  ctx: Pick<Context, "session" | "requestId">,
  given: { name: string; path: string; size: number; sha256: string },
): Promise<UploadedFile> {
  const f = { ...given, name: sanitizeUploadName(given.name) };
  const format = await sniffFile(f.path);
  if (!format) throw new UploadError(415, "This is neither a CSV (text) nor an XLSX file");
  let peek: { columns: string[]; sample: string[][] };
  try {
    peek = await peekFile(f.path, format, 5);
  } catch (error) {
    throw new UploadError(
      400,
      `The file cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
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
  return { fileId, name: f.name, format, size: f.size, columns: peek.columns, sample: peek.sample };
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
  ctx: Pick<Context, "session" | "requestId">,
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
  ctx: Pick<Context, "session" | "requestId">,
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
