import { type Database, listAreaTypes, upsertAreas } from "@fivestep/db";
import type { Area } from "@fivestep/domain";
import type { Transaction } from "kysely";
import { type ImportFormat, readRows } from "./read-rows.ts";

/** One level a lookup file holds: its code and name columns and the area type. */
export interface LookupLevel {
  type: string;
  rank: number;
  codeColumn: string;
  nameColumn: string;
}

/**
 * The levels in an ONS-style lookup header: each pair of columns `<stem><yy>CD` and `<stem><yy>NM`
 * (LAD19CD/LAD19NM, CTY19CD/CTY19NM…) whose stem is an area type's lookup prefix, top level first.
 *
 * @example detectLookupLevels(["LAD19CD", "LAD19NM", "RGN19CD", "RGN19NM"], types) // region, then district
 */
export function detectLookupLevels(
  header: readonly string[],
  types: ReadonlyArray<{ name: string; rank: number; lookupPrefix: string | null }>,
): LookupLevel[] {
  const levels: LookupLevel[] = [];
  for (const column of header) {
    const m = column.trim().match(/^([A-Za-z]+?)(\d{2})?CD$/);
    if (!m) continue;
    const stem = (m[1] ?? "").toUpperCase();
    const type = types.find((t) => t.lookupPrefix?.toUpperCase() === stem);
    const nameColumn = header.find((h) => h.trim().toUpperCase() === `${stem}${m[2] ?? ""}NM`);
    if (type && nameColumn) levels.push({ type: type.name, rank: type.rank, codeColumn: column, nameColumn });
  }
  return levels.sort((a, b) => a.rank - b.rank);
}

/**
 * Reads an ONS-style lookup file into areas and writes them (parents first) in the caller's
 * transaction: each row gives an area per level, its parent the nearest higher level with a code
 * in that row. An area at the top of the file's levels keeps the parent it already has. Returns
 * the levels found and how many areas were inserted, updated and unchanged.
 *
 * @example const r = await db.transaction().execute((trx) => importAreaLookup(trx, { path, format: "csv" }));
 */
export async function importAreaLookup(
  trx: Transaction<Database>,
  file: { path: string; format: ImportFormat },
): Promise<{ levels: LookupLevel[]; rows: number; inserted: number; updated: number; unchanged: number }> {
  const types = await listAreaTypes(trx);
  let levels: LookupLevel[] = [];
  let index: Array<{ level: LookupLevel; code: number; name: number }> = [];
  // Distinct areas only (a few thousand at most), never the file's rows.
  const areas = new Map<string, Area & { rank: number }>();
  let rows = 0;
  for await (const { cells } of readRows(file.path, file.format)) {
    if (index.length === 0) {
      const header = cells.map((c) => c.replace(/^\uFEFF/, ""));
      levels = detectLookupLevels(header, types);
      if (levels.length === 0) {
        throw new Error(
          `No area code and name columns found (such as LAD19CD and LAD19NM); the columns are ${header.join(", ")}`,
        );
      }
      index = levels.map((level) => ({
        level,
        code: header.indexOf(level.codeColumn),
        name: header.indexOf(level.nameColumn),
      }));
      continue;
    }
    rows++;
    let parent: string | null = null;
    for (const { level, code, name } of index) {
      const c = (cells[code] ?? "").trim();
      const n = (cells[name] ?? "").trim();
      if (c === "") continue;
      if (!areas.has(c))
        areas.set(c, { code: c, name: n || c, type: level.type, parentCode: parent, rank: level.rank });
      parent = c;
    }
  }
  const existingParents = new Map(
    (await trx.selectFrom("area").select(["code", "parent_code"]).execute()).map((r) => [
      r.code,
      r.parent_code,
    ]),
  );
  const ordered = [...areas.values()]
    .sort((a, b) => a.rank - b.rank)
    .map(({ rank: _rank, ...a }) =>
      a.parentCode === null ? { ...a, parentCode: existingParents.get(a.code) ?? null } : a,
    );
  const counts = await upsertAreas(trx, ordered);
  return { levels, rows, ...counts };
}
