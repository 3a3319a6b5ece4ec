import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { messageProblems, missingMessages, UI_MESSAGE_IDS } from "@fivestep/ui";
import { describe, expect, it } from "vitest";
import { catalogues } from "./index.ts";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".tsx") ? [join(dir, e.name)] : [],
  );
}

describe("admin translations", () => {
  it("has every en-GB message in hr-HR", () => {
    expect(missingMessages(catalogues["en-GB"], catalogues["hr-HR"])).toEqual([]);
  });

  it("has ICU messages that parse, fill only en-GB's placeholders, and give each plural its language's forms", () => {
    expect(messageProblems(catalogues["en-GB"], catalogues["en-GB"], "en-GB")).toEqual([]);
    expect(messageProblems(catalogues["en-GB"], catalogues["hr-HR"], "hr-HR")).toEqual([]);
  });

  it("has every message the shared components use", () => {
    expect(UI_MESSAGE_IDS.filter((id) => !(id in catalogues["en-GB"]))).toEqual([]);
  });

  it("has a message for every literal id the screens use", () => {
    const src = join(import.meta.dirname, "..");
    const used = new Set<string>();
    for (const file of sourceFiles(src)) {
      for (const m of readFileSync(file, "utf8").matchAll(/\bt\("([\w.-]+)"/g)) used.add(m[1] as string);
    }
    expect(used.size).toBeGreaterThan(5);
    expect([...used].filter((id) => !(id in catalogues["en-GB"]))).toEqual([]);
  });
});
