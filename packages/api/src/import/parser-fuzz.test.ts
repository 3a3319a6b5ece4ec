import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IMPORT_ENCODINGS, IMPORT_SEPARATORS } from "@fivestep/domain";
import { TRPCError } from "@trpc/server";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixture, type Fixture } from "../testing/fixtures.ts";
import { FileReadError, peekFile, readRows } from "./read-rows.ts";
import { UploadError } from "./upload.ts";

/**
 * The import parser under random and malformed files (random bytes, broken CSV quoting, huge
 * fields, odd encodings): the upload either stores the file or refuses it with an UploadError;
 * preview and commit answer a check or a clear tRPC error (never INTERNAL_SERVER_ERROR), and a
 * refused commit writes nothing.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 15);
const MAPPING = {
  source: "Fuzz",
  indicatorCode: "NI 151",
  columns: { area: "area", period: "period", value: "value" },
};

const cell = fc.oneof(
  fc.constantFrom("E08000026", "E08000031", "2007 Q3", "2008", "73.1", "", "n/a", '"', '""', "a,b", "\r"),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 }),
);
const csvLine = fc.array(cell, { minLength: 0, maxLength: 6 }).map((cells) => cells.join(","));
const brokenCsv = fc
  .tuple(
    fc.constantFrom(
      "area,period,value",
      '"area,period,value',
      "area;period;value",
      "\uFEFFarea,period,value",
      "",
    ),
    fc.array(csvLine, { maxLength: 20 }),
    fc.constantFrom("\n", "\r\n", "\r"),
  )
  .map(([header, lines, eol]) => Buffer.from([header, ...lines].join(eol)));
const encoded = fc
  .tuple(fc.array(csvLine, { minLength: 1, maxLength: 10 }), fc.constantFrom("utf16le", "latin1", "ucs2"))
  .map(([lines, enc]) => Buffer.from(`area,period,value\n${lines.join("\n")}`, enc as BufferEncoding));
// Text in the other encodings and separators national files come in, sometimes with a bad byte.
const singleByte = (text: string, encoding: "windows-1252" | "windows-1250") => {
  const decoder = new TextDecoder(encoding);
  const table = new Map<string, number>();
  for (let b = 0; b < 256; b++) table.set(decoder.decode(Uint8Array.of(b)), b);
  return Buffer.from([...text].map((ch) => table.get(ch) ?? 0x3f));
};
const nationalText = fc
  .tuple(
    fc.array(
      fc.array(
        fc.oneof(
          cell,
          fc.constantFrom("Ynys Môn", "Čakovec", "Đakovo", "Šibenik", "2,5", "1.234,5", '"a;b"', "é", "😀"),
        ),
        { maxLength: 5 },
      ),
      { minLength: 1, maxLength: 8 },
    ),
    fc.constantFrom(",", ";", "\t", "|"),
    fc.constantFrom("utf-8", "utf-8-bom", "utf-16le", "utf-16be", "windows-1252", "windows-1250"),
    fc.option(fc.nat(), { nil: undefined }),
  )
  .map(([rows, sep, encoding, badAt]) => {
    const text = [["area", "period", "value"], ...rows].map((r) => r.join(sep)).join("\n");
    let bytes: Buffer;
    if (encoding === "utf-8") bytes = Buffer.from(text);
    else if (encoding === "utf-8-bom") bytes = Buffer.from(`\uFEFF${text}`);
    else if (encoding === "utf-16le") bytes = Buffer.from(`\uFEFF${text}`, "utf16le");
    else if (encoding === "utf-16be") bytes = Buffer.from(text, "utf16le").swap16();
    else bytes = singleByte(text, encoding);
    if (badAt !== undefined && bytes.length > 0) bytes[badAt % bytes.length] = 0xff;
    return bytes;
  });
const readOptions = fc.record(
  {
    encoding: fc.constantFrom(...IMPORT_ENCODINGS),
    separator: fc.constantFrom(...IMPORT_SEPARATORS),
    decimalComma: fc.boolean(),
    headerRow: fc.integer({ min: 1, max: 6 }),
  },
  { requiredKeys: [] },
);
const hugeField = fc
  .tuple(fc.integer({ min: 100_000, max: 2_000_000 }), fc.boolean())
  .map(([n, quoted]) =>
    Buffer.from(`area,period,value\nE08000026,2007 Q3,${quoted ? `"${"9".repeat(n)}` : "9".repeat(n)}\n`),
  );
const file = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 2000 }).map((a) => Buffer.from(a)),
  brokenCsv,
  encoded,
  nationalText,
  hugeField,
  fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.concat([Buffer.from("PK\x03\x04"), Buffer.from(a)])),
);

async function counts(fx: Fixture): Promise<string> {
  const rows = await Promise.all(
    (["observation", "observation_revision", "import_batch", "audit_event"] as const).map((t) =>
      fx.db
        .selectFrom(t)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow(),
    ),
  );
  return rows.map((r) => Number(r.n)).join("/");
}

function clear(error: unknown, what: string): TRPCError {
  if (!(error instanceof TRPCError)) throw new Error(`${what} threw a non-tRPC error: ${error}`);
  expect(error.code, `${what}: ${error.message}`).not.toBe("INTERNAL_SERVER_ERROR");
  expect(error.message.trim()).not.toBe("");
  return error;
}

describe("the import parser under malformed files", () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await createFixture();
  });
  afterAll(() => fx.db.destroy());

  it("uploads, previews and commits them with clear errors and no partial write", {
    timeout: 300_000,
  }, async () => {
    const admin = await fx.caller("admin");
    await fc.assert(
      fc.asyncProperty(
        file,
        fc.boolean(),
        readOptions,
        fc.constantFrom("fuzz.csv", "fuzz.xlsx", "fuzz.txt"),
        async (content, acceptGoodRows, read, name) => {
          let fileId: number;
          try {
            fileId = await fx.upload(name, content);
          } catch (error) {
            if (!(error instanceof UploadError)) throw new Error(`upload threw a non-UploadError: ${error}`);
            expect(error.message.trim()).not.toBe("");
            return;
          }
          try {
            await admin.imports.file({ fileId });
          } catch (error) {
            clear(error, "imports.file");
          }
          // Read another way (any encoding, separator, header row): answered, never a crash.
          const reading = read.separator === "," ? { ...read, decimalComma: false } : read;
          try {
            await admin.imports.file({ fileId, read: reading });
          } catch (error) {
            clear(error, "imports.file with reading options");
          }
          const areasBefore = await counts(fx);
          try {
            await admin.area.import({ fileId });
          } catch (error) {
            clear(error, "area.import");
            expect(await counts(fx)).toBe(areasBefore);
          }
          try {
            await admin.imports.preview({ fileId, mapping: { ...MAPPING, ...reading } });
          } catch (error) {
            clear(error, "imports.preview");
            return;
          }
          const before = await counts(fx);
          try {
            const result = await admin.imports.commit({ fileId, acceptGoodRows });
            if (!result.ok) expect(await counts(fx)).toBe(before);
          } catch (error) {
            clear(error, "imports.commit");
            expect(await counts(fx)).toBe(before);
          }
        },
      ),
      { numRuns: RUNS * 4 },
    );
  });

  it("reads random bytes with any reading options, or stops with a FileReadError", {
    timeout: 120_000,
  }, async () => {
    const path = join(tmpdir(), `fivestep-fuzz-${process.pid}.csv`);
    await fc.assert(
      fc.asyncProperty(fc.oneof(file, nationalText), readOptions, async (content, read) => {
        writeFileSync(path, content);
        const options = read.separator === "," ? { ...read, decimalComma: false } : read;
        try {
          for await (const { row, cells } of readRows(path, "csv", options)) {
            expect(row).toBeGreaterThanOrEqual(options.headerRow ?? 1);
            for (const c of cells) expect(c).not.toContain("\uFFFD");
          }
          const peek = await peekFile(path, "csv", options);
          expect(peek.columns.length).toBeLessThanOrEqual(2000);
        } catch (error) {
          if (!(error instanceof FileReadError)) throw new Error(`the reader threw ${error}`);
          expect(error.message.trim()).not.toBe("");
        }
      }),
      { numRuns: RUNS * 8 },
    );
  });

  it.each([
    ["an unclosed quote", 'area,period,value\nE08000026,2007 Q3,"73.1\n'],
    ["a quote inside a field", 'area,period,value\nE08000026,2007 "Q3",73.1\n'],
    ["a header only", "area,period,value\n"],
    ["NUL-free binary noise", "\u0001\u0002\u0003\u00ff\u00fe"],
  ])("answers a file with %s clearly", async (_name, text) => {
    const admin = await fx.caller("admin");
    let fileId: number;
    try {
      fileId = await fx.upload("odd.csv", text);
    } catch (error) {
      expect(error).toBeInstanceOf(UploadError);
      return;
    }
    // A preview writes no data, only its audit entry and the mapping on the file.
    await admin.imports.preview({ fileId, mapping: MAPPING }).catch((e) => clear(e, "preview"));
    const before = await counts(fx);
    await admin.imports.commit({ fileId, acceptGoodRows: true }).catch((e) => clear(e, "commit"));
    const after = await counts(fx);
    if (after !== before) {
      // Only a whole batch may have been written: one batch row more and its audit entry.
      const [, , batchesBefore] = before.split("/").map(Number);
      const [, , batchesAfter] = after.split("/").map(Number);
      expect(batchesAfter).toBe((batchesBefore ?? 0) + 1);
    }
  });
});
