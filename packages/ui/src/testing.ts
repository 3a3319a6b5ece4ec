import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Catalogue, type Locale, messageProblems, missingMessages, UI_MESSAGE_IDS } from "./i18n.tsx";

/** Every .tsx file under a folder, recursively. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".tsx") ? [join(dir, e.name)] : [],
  );
}

/**
 * The message ids an app's screens name literally (`t("…")`) in its .tsx files.
 *
 * @example literalMessageIds(join(import.meta.dirname, "..")).has("app.title") // true
 */
export function literalMessageIds(srcDir: string): Set<string> {
  const used = new Set<string>();
  for (const file of sourceFiles(srcDir)) {
    for (const m of readFileSync(file, "utf8").matchAll(/\bt\("([\w.-]+)"/g)) used.add(m[1] as string);
  }
  return used;
}

/**
 * The checks every app's catalogues pass, as a Vitest suite (node only; import it from test files):
 * hr-HR has every en-GB message; every message parses as ICU, fills only en-GB's placeholders and
 * has each plural form its language needs; the shared components' ids and every id the app's
 * screens name literally exist.
 *
 * @example describeCatalogues("admin translations", catalogues, join(import.meta.dirname, ".."));
 */
export function describeCatalogues(
  name: string,
  catalogues: Record<Locale, Catalogue>,
  srcDir: string,
): void {
  const en = catalogues["en-GB"];
  describe(name, () => {
    it("has every en-GB message in hr-HR", () => {
      expect(missingMessages(en, catalogues["hr-HR"])).toEqual([]);
    });

    it("has ICU messages that parse, fill only en-GB's placeholders, and give each plural its language's forms", () => {
      expect(messageProblems(en, en, "en-GB")).toEqual([]);
      expect(messageProblems(en, catalogues["hr-HR"], "hr-HR")).toEqual([]);
    });

    it("has every message the shared components use", () => {
      expect(UI_MESSAGE_IDS.filter((id) => !(id in en))).toEqual([]);
    });

    it("has a message for every literal id the screens use", () => {
      const used = literalMessageIds(srcDir);
      expect(used.size).toBeGreaterThan(5);
      expect([...used].filter((id) => !(id in en))).toEqual([]);
    });
  });
}
