import { open } from "node:fs/promises";
import { Transform } from "node:stream";
import type { ImportEncoding, ImportSeparator } from "@fivestep/domain";

/**
 * Reading the text of an uploaded file as it comes: which encoding it is in (a byte-order mark,
 * UTF-16's pattern of zero bytes, valid UTF-8, or else Windows-1252 or Windows-1250 as a detector
 * judges), decoding it strictly (a byte that is not valid stops the read with its row and offset,
 * never a silent U+FFFD), which separator it uses and how its numbers are written.
 */

/** How the encoding was found. */
export type EncodingEvidence = "byte-order mark" | "zero bytes" | "utf-8" | "detector";

/** An encoding found for a file, with how it was found. */
export interface EncodingGuess {
  encoding: ImportEncoding;
  evidence: EncodingEvidence;
}

/** How many bytes at the start are searched for non-ASCII text. @example ENCODING_SCAN_BYTES // 16777216 */
export const ENCODING_SCAN_BYTES = 16 * 1024 * 1024;

const BOMS: ReadonlyArray<[ImportEncoding, readonly number[]]> = [
  ["utf-8", [0xef, 0xbb, 0xbf]],
  ["utf-16le", [0xff, 0xfe]],
  ["utf-16be", [0xfe, 0xff]],
];

/**
 * The encoding a byte-order mark at the start of `head` announces, and the mark's length.
 *
 * @example byteOrderMark(Buffer.from([0xff, 0xfe, 0x61, 0])) // { encoding: "utf-16le", length: 2 }
 */
export function byteOrderMark(head: Uint8Array): { encoding: ImportEncoding; length: number } | null {
  for (const [encoding, bytes] of BOMS) {
    if (head.length >= bytes.length && bytes.every((b, i) => head[i] === b))
      return { encoding, length: bytes.length };
  }
  return null;
}

/** The length of `encoding`'s own byte-order mark at the start of `head` (0 when none). */
function bomLengthFor(encoding: ImportEncoding, head: Uint8Array): number {
  const found = byteOrderMark(head);
  return found && found.encoding === encoding ? found.length : 0;
}

/**
 * UTF-16 without a byte-order mark, told by its zero bytes: text that is mostly ASCII has a zero
 * in every other byte (the odd ones in little-endian, the even ones in big-endian).
 *
 * @example utf16ByZeroBytes(Buffer.from("area,value\n", "utf16le")) // "utf-16le"
 */
export function utf16ByZeroBytes(head: Uint8Array): "utf-16le" | "utf-16be" | null {
  const n = Math.min(head.length, 4096) & ~1;
  if (n < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZeros++;
    if (head[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros >= pairs * 0.4 && evenZeros <= pairs * 0.05) return "utf-16le";
  if (evenZeros >= pairs * 0.4 && oddZeros <= pairs * 0.05) return "utf-16be";
  return null;
}

/**
 * Counts the well-formed UTF-8 sequences of two to four bytes and the bytes that cannot be UTF-8
 * (RFC 3629), to tell a UTF-8 file with a damaged byte from a file in a single-byte encoding.
 * A sequence cut off at the end of `bytes` is not counted either way.
 */
function utf8Evidence(bytes: Uint8Array): { valid: number; invalid: number } {
  let valid = 0;
  let invalid = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need = 0;
    let min = 0x80;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) min = 0xa0;
      if (b === 0xed) max = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) min = 0x90;
      if (b === 0xf4) max = 0x8f;
    } else {
      invalid++;
      i++;
      continue;
    }
    if (i + need >= bytes.length) break; // cut off at the end
    let ok = true;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k] as number;
      const lo = k === 1 ? min : 0x80;
      const hi = k === 1 ? max : 0xbf;
      if (c < lo || c > hi) {
        ok = false;
        break;
      }
    }
    if (ok) {
      valid++;
      i += need + 1;
    } else {
      invalid++;
      i++;
    }
  }
  return { valid, invalid };
}

let detector: Promise<typeof import("jschardet")> | undefined;

/** How much surer of Windows-1250 than of Windows-1252 the detector must be to choose it. */
const CENTRAL_MARGIN = 1.2;

let differing: Set<number> | undefined;

/** The bytes that Windows-1252 and Windows-1250 read as different characters. */
function bytesThatDiffer(): Set<number> {
  if (!differing) {
    const western = new TextDecoder("windows-1252");
    const central = new TextDecoder("windows-1250");
    differing = new Set();
    for (let b = 0x80; b < 0x100; b++)
      if (western.decode(Uint8Array.of(b)) !== central.decode(Uint8Array.of(b))) differing.add(b);
  }
  return differing;
}

/**
 * Windows-1252 (Western European) or Windows-1250 (Central European, e.g. Croatian) for `sample`
 * (the lines of a file that hold non-ASCII bytes): Windows-1252 when every such byte reads the
 * same in both (the "ô" of "Ynys Môn" does), otherwise as jschardet judges, Windows-1250 only
 * when it is clearly the likelier.
 *
 * @example await singleByteEncoding(Buffer.from("\xc8akovec\n\xd0akovo\n", "latin1")) // "windows-1250"
 * @example await singleByteEncoding(Buffer.from("Ynys M\xf4n\n", "latin1")) // "windows-1252"
 */
export async function singleByteEncoding(sample: Uint8Array): Promise<"windows-1252" | "windows-1250"> {
  const differ = bytesThatDiffer();
  if (!sample.some((b) => differ.has(b))) return "windows-1252";
  // Loaded on first use: its model takes a moment and some memory, and most files are UTF-8.
  detector ??= import("jschardet");
  const { detectAll } = await detector;
  const scores = detectAll(sample, {
    minimumThreshold: 0,
    detectEncodings: ["windows-1252", "windows-1250"],
  });
  const score = (name: string) => scores.find((r) => r.encoding?.toLowerCase() === name)?.confidence ?? 0;
  // Short samples leave the detector unsure ("España" scores near "Espańa"): Windows-1250 only
  // when it is clearly the likelier.
  return score("windows-1250") > score("windows-1252") * CENTRAL_MARGIN ? "windows-1250" : "windows-1252";
}

/**
 * Finds a file's encoding: a byte-order mark; UTF-16's zero bytes; UTF-8 when the first
 * `ENCODING_SCAN_BYTES` hold only ASCII or mostly well-formed UTF-8 (a stray bad byte is then
 * reported where it is when the file is read); otherwise Windows-1252 or Windows-1250 as the
 * detector judges the lines that hold non-ASCII bytes.
 *
 * @example await detectFileEncoding("/tmp/ynys-mon.csv") // { encoding: "windows-1252", evidence: "detector" }
 */
export async function detectFileEncoding(
  path: string,
  scanBytes = ENCODING_SCAN_BYTES,
): Promise<EncodingGuess> {
  const handle = await open(path, "r");
  try {
    const chunk = Buffer.alloc(256 * 1024);
    let position = 0;
    let evidence = { valid: 0, invalid: 0 };
    const lines: Buffer[] = [];
    let sampled = 0;
    let carry = Buffer.alloc(0);
    while (position < scanBytes) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) break;
      const bytes = Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
      if (position === 0) {
        const bom = byteOrderMark(bytes);
        if (bom) return { encoding: bom.encoding, evidence: "byte-order mark" };
        const utf16 = utf16ByZeroBytes(bytes);
        if (utf16) return { encoding: utf16, evidence: "zero bytes" };
      }
      position += bytesRead;
      // Whole lines only, so no character is cut in two between reads.
      const end =
        position >= scanBytes || bytesRead < chunk.length ? bytes.length : bytes.lastIndexOf(0x0a) + 1;
      const whole = bytes.subarray(0, end);
      carry = Buffer.from(bytes.subarray(end));
      const found = utf8Evidence(whole);
      evidence = { valid: evidence.valid + found.valid, invalid: evidence.invalid + found.invalid };
      if (found.invalid > 0 && sampled < 64 * 1024) {
        let start = 0;
        while (start < whole.length && sampled < 64 * 1024) {
          const nl = whole.indexOf(0x0a, start);
          const stop = nl < 0 ? whole.length : nl + 1;
          const line = whole.subarray(start, stop);
          if (line.some((b) => b >= 0x80)) {
            lines.push(Buffer.from(line));
            sampled += line.length;
          }
          start = stop;
        }
      }
    }
    if (evidence.invalid === 0 || evidence.valid >= evidence.invalid)
      return { encoding: "utf-8", evidence: "utf-8" };
    return { encoding: await singleByteEncoding(Buffer.concat(lines)), evidence: "detector" };
  } finally {
    await handle.close();
  }
}

/** Text that cannot be decoded: the row (line) and byte offset where it stops, and why. */
export class TextDecodeError extends Error {
  constructor(
    readonly row: number,
    readonly byteOffset: number,
    message: string,
  ) {
    super(message);
    this.name = "TextDecodeError";
  }
}

const ENCODING_NAMES: Record<ImportEncoding, string> = {
  "utf-8": "UTF-8",
  "utf-16le": "UTF-16 LE",
  "utf-16be": "UTF-16 BE",
  "windows-1252": "Windows-1252",
  "windows-1250": "Windows-1250",
};

/**
 * An encoding's name as people know it.
 *
 * @example encodingName("windows-1250") // "Windows-1250"
 */
export function encodingName(encoding: ImportEncoding): string {
  return ENCODING_NAMES[encoding];
}

function byteLengthIn(encoding: ImportEncoding, text: string): number {
  if (encoding === "utf-8") return Buffer.byteLength(text, "utf8");
  if (encoding === "utf-16le" || encoding === "utf-16be") return text.length * 2;
  return text.length; // every byte of Windows-1250/1252 is one character of the BMP
}

function countLines(text: string, end = text.length): number {
  let n = 0;
  for (let at = text.indexOf("\n"); at >= 0 && at < end; at = text.indexOf("\n", at + 1)) n++;
  return n;
}

/** A decoding stream; `failure` says why it stopped early (its text then ends before that row). */
export type DecodingStream = Transform & { failure: TextDecodeError | null };

/** Text held back for a row still incomplete is let through past this length (1 MB). */
const MAX_HELD_CHARS = 1024 * 1024;

/**
 * A stream that turns a file's bytes into text in `encoding`, strictly: a byte sequence that is
 * not valid in the encoding, a character cut off at the end, or U+FFFD in the file (text already
 * lost in an earlier conversion) stops it. It then ends after the last whole row before that
 * point, and `failure` holds a `TextDecodeError` naming the row and the byte offset: check it
 * when the text ends. The encoding's byte-order mark is dropped. Characters split between chunks
 * are joined. Text is given in whole lines.
 *
 * @example const text = decodingStream("windows-1252"); createReadStream(path).pipe(text); for await (const t of text) …; if (text.failure) throw text.failure;
 */
export function decodingStream(encoding: ImportEncoding): DecodingStream {
  // ignoreBOM: the mark is removed here, so every byte counted below is a byte of text.
  const decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  const name = encodingName(encoding);
  let head: Buffer | null = Buffer.alloc(0); // the first bytes, until the mark can be seen
  let fed = 0; // bytes given to the decoder so far (the mark included)
  let consumed = 0; // bytes turned into text so far (the mark included)
  let lines = 0;
  let last = Buffer.alloc(0); // the last bytes fed: the decoder may still hold some of them
  let held = ""; // the start of a line not yet ended
  let stopped = false;

  const give = (stream: Transform, text: string): void => {
    consumed += byteLengthIn(encoding, text);
    lines += countLines(text);
    held += text;
    const nl = held.lastIndexOf("\n");
    if (nl >= 0 || held.length > MAX_HELD_CHARS) {
      const cut = held.length > MAX_HELD_CHARS ? held.length : nl + 1;
      stream.push(held.slice(0, cut));
      held = held.slice(cut);
    }
  };

  // Gives the whole rows before the failure, then ends.
  const stop = (stream: Transform, failure: TextDecodeError, before: string): void => {
    const nl = (held + before).lastIndexOf("\n");
    if (nl >= 0) stream.push((held + before).slice(0, nl + 1));
    held = "";
    stopped = true;
    result.failure = failure;
    stream.push(null);
  };

  // The decoder refused `bytes`: find the first bad byte by decoding again leniently.
  const refuse = (stream: Transform, bytes: Buffer): void => {
    const pending = Math.min(last.length, fed - consumed);
    const all = Buffer.concat([last.subarray(last.length - pending), bytes]);
    const text = new TextDecoder(encoding, { ignoreBOM: true }).decode(all, { stream: true });
    const at = text.indexOf("\uFFFD");
    const before = at < 0 ? text : text.slice(0, at);
    const rel = byteLengthIn(encoding, before);
    const offset = consumed + rel;
    const row = lines + countLines(before) + 1;
    const bad = all.subarray(rel, rel + (encoding === "utf-16le" || encoding === "utf-16be" ? 2 : 1));
    const hex = [...bad].map((b) => `0x${b.toString(16).toUpperCase().padStart(2, "0")}`).join(" ");
    const failure = new TextDecodeError(
      row,
      offset,
      `Row ${row} is not valid ${name}: ${bad.length > 1 ? "the bytes" : "the byte"} ${hex} at byte ${offset} cannot be read. ` +
        "The file may be in another encoding: choose the right one (for example Windows-1252 or Windows-1250) and read it again.",
    );
    stop(stream, failure, before);
  };

  const accept = (stream: Transform, text: string): void => {
    const lost = text.indexOf("\uFFFD");
    if (lost < 0) {
      give(stream, text);
      return;
    }
    const before = text.slice(0, lost);
    const offset = consumed + byteLengthIn(encoding, before);
    const row = lines + countLines(before) + 1;
    const failure = new TextDecodeError(
      row,
      offset,
      `Row ${row} holds the character "\uFFFD" (at byte ${offset}), which stands for text lost when the file was once converted from another encoding. Ask the publisher for a fresh copy, or mend the row, and upload it again.`,
    );
    stop(stream, failure, before);
  };

  const feed = (stream: Transform, bytes: Buffer): void => {
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: true });
    } catch {
      refuse(stream, bytes);
      return;
    }
    fed += bytes.length;
    accept(stream, text);
    last = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 4)));
  };

  const start = (stream: Transform, bytes: Buffer, final: boolean): void => {
    if (head === null) {
      feed(stream, bytes);
      return;
    }
    head = Buffer.concat([head, bytes]);
    if (head.length < 3 && !final) return;
    const bom = bomLengthFor(encoding, head);
    const rest = head.subarray(bom);
    head = null;
    fed = bom;
    consumed = bom;
    if (rest.length > 0) feed(stream, rest);
  };

  const result = new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _enc, done) {
      if (!stopped) start(this, chunk, false);
      done();
    },
    flush(done) {
      if (!stopped) start(this, Buffer.alloc(0), true);
      if (stopped) return done();
      let text: string;
      try {
        text = decoder.decode();
      } catch {
        const row = lines + 1;
        const failure = new TextDecodeError(
          row,
          consumed,
          `The file ends in the middle of a character (row ${row}, byte ${consumed}): it is not valid ${name}.`,
        );
        stop(this, failure, "");
        return done();
      }
      accept(this, text);
      if (!stopped && held.length > 0) this.push(held);
      held = "";
      done();
    },
  }) as DecodingStream;
  result.failure = null;
  return result;
}

/**
 * The start of a file as text, for finding its separator: up to `maxBytes`, decoded leniently,
 * without the byte-order mark and the last (perhaps cut) line.
 *
 * @example await headText("/tmp/a.csv", "utf-8") // "area;value\nE08000026;2,5\n"
 */
export async function headText(
  path: string,
  encoding: ImportEncoding,
  maxBytes = 64 * 1024,
): Promise<string> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(maxBytes);
    const { bytesRead } = await handle.read(buffer, 0, maxBytes, 0);
    const bytes = buffer.subarray(0, bytesRead);
    const text = new TextDecoder(encoding, { ignoreBOM: true }).decode(
      bytes.subarray(bomLengthFor(encoding, bytes)),
      { stream: true },
    );
    if (bytesRead < maxBytes) return text;
    const nl = text.lastIndexOf("\n");
    return nl < 0 ? text : text.slice(0, nl + 1);
  } finally {
    await handle.close();
  }
}

const SEPARATOR_ORDER: readonly ImportSeparator[] = [",", ";", "\t", "|"];

/**
 * The column separator of CSV text: for each of `,` `;` tab `|`, the number of separators in each
 * of the first records (outside quotes, which may hold separators and line breaks); the one whose
 * commonest count (above zero) is shared by the most records wins, then the one with more columns,
 * then the earlier in that list. Lines above `headerRow` are left out. "," when none is found.
 *
 * @example detectSeparator('area;name;value\nE1;"Bath; North East";2,5\n') // ";"
 */
export function detectSeparator(text: string, headerRow = 1, maxRecords = 30): ImportSeparator {
  let start = 0;
  for (let line = 1; line < headerRow && start >= 0; line++) {
    const nl = text.indexOf("\n", start);
    start = nl < 0 ? -1 : nl + 1;
  }
  if (start < 0) return ",";
  let best: { sep: ImportSeparator; shared: number; columns: number } | null = null;
  for (const sep of SEPARATOR_ORDER) {
    const counts: number[] = [];
    let count = 0;
    let quoted = false;
    let blank = true;
    for (let i = start; i < text.length && counts.length < maxRecords; i++) {
      const ch = text[i];
      if (ch === '"') quoted = !quoted;
      else if (!quoted && ch === sep) count++;
      else if (!quoted && (ch === "\n" || ch === "\r")) {
        if (!blank) counts.push(count);
        count = 0;
        blank = true;
        continue;
      }
      if (ch !== " ") blank = false;
    }
    if (!blank && counts.length < maxRecords) counts.push(count);
    const tally = new Map<number, number>();
    for (const c of counts) if (c > 0) tally.set(c, (tally.get(c) ?? 0) + 1);
    for (const [c, shared] of tally) {
      if (!best || shared > best.shared || (shared === best.shared && c > best.columns))
        best = { sep, shared, columns: c };
    }
  }
  return best?.sep ?? ",";
}

const DECIMAL_COMMA = /^([-+]?)(\d+|\d{1,3}(?:\.\d{3})+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+)(?:,(\d+))?(%?)$/;

/**
 * A number written with a decimal comma (and perhaps dots or spaces between thousands) in the
 * form Fivestep reads: "2,5" → "2.5", "1.234,5" → "1234.5", "1 234" → "1234". Any other text
 * comes back as it is.
 *
 * @example fromDecimalComma("-2,5") // "-2.5"
 * @example fromDecimalComma("Bath, Somerset") // "Bath, Somerset"
 */
export function fromDecimalComma(cell: string): string {
  const m = DECIMAL_COMMA.exec(cell);
  if (!m) return cell;
  const [, sign, whole, fraction, percent] = m;
  const digits = (whole ?? "").replace(/[. \u00a0\u202f]/g, "");
  return `${sign}${digits}${fraction === undefined ? "" : `.${fraction}`}${percent}`;
}
