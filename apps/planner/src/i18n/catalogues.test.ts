import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { missingMessages, UI_MESSAGE_IDS } from "@fivestep/ui";
import { describe, expect, it } from "vitest";
import { catalogues } from "./index.ts";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".tsx") ? [join(dir, e.name)] : [],
  );
}

describe("planner translations", () => {
  it("has every en-GB message in hr-HR", () => {
    expect(missingMessages(catalogues["en-GB"], catalogues["hr-HR"])).toEqual([]);
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
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((id) => !(id in catalogues["en-GB"]))).toEqual([]);
  });
});
