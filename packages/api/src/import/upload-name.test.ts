import { describe, expect, it } from "vitest";
import { MAX_UPLOAD_NAME_LENGTH, sanitizeUploadName } from "./upload.ts";

describe("sanitizeUploadName", () => {
  it("removes control and bidirectional-override characters and collapses whitespace", () => {
    expect(sanitizeUploadName("re\u0000turns\u0007\u007f\u0085\u009f 2008.csv")).toBe("returns 2008.csv");
    expect(sanitizeUploadName("returns\u202egpj.csv")).toBe("returnsgpj.csv");
    expect(sanitizeUploadName("\u2066a\u2067b\u2068c\u2069\u202a\u202b\u202c\u202d.csv")).toBe("abc.csv");
    expect(sanitizeUploadName("  quarterly\t\treturns\r\n 2008 .csv  ")).toBe("quarterly returns 2008 .csv");
    expect(sanitizeUploadName("half \ud800 pair.csv")).toBe("half pair.csv");
    expect(sanitizeUploadName("Zagreb – podaci 😀.xlsx")).toBe("Zagreb – podaci 😀.xlsx");
  });

  it("keeps only the part after the last path separator", () => {
    expect(sanitizeUploadName("../../etc/x.csv")).toBe("x.csv");
    expect(sanitizeUploadName("C:\\Users\\pat\\returns.xlsx")).toBe("returns.xlsx");
    expect(sanitizeUploadName("returns/")).toBe("upload");
  });

  it("falls back to 'upload' when nothing is left", () => {
    for (const name of ["", "   ", "\u0000", "\u202e\u0000\t", "..", "."])
      expect(sanitizeUploadName(name)).toBe("upload");
  });

  it(`caps the length at ${MAX_UPLOAD_NAME_LENGTH} characters, keeping the extension`, () => {
    expect(sanitizeUploadName(`${"a".repeat(5000)}.csv`)).toBe(`${"a".repeat(196)}.csv`);
    expect(sanitizeUploadName("b".repeat(5000))).toBe("b".repeat(200));
    // Characters, not UTF-16 units: an emoji is never cut in half.
    const emoji = sanitizeUploadName(`${"😀".repeat(300)}.xlsx`);
    expect(Array.from(emoji)).toHaveLength(200);
    expect(emoji.endsWith("😀.xlsx")).toBe(true);
    expect(sanitizeUploadName(`${"c".repeat(195)}    .csv`)).toBe(`${"c".repeat(195)} .csv`);
    expect(sanitizeUploadName(`${"d".repeat(197)} ${"e".repeat(10)}.csv`)).toBe(`${"d".repeat(196)}.csv`);
  });
});
