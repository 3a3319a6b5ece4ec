import { parsePeriod } from "@fivestep/analytics";
import {
  createObservationWriter,
  type Database,
  finishImportBatch,
  insertImportBatch,
  nowIso,
  type WriteRow,
} from "@fivestep/db";
import {
  type ImportField,
  type ImportMapping,
  type ImportProblem,
  periodBounds,
  periodKey,
  validRange,
} from "@fivestep/domain";
import type { Kysely, Transaction } from "kysely";
import { type ImportFormat, readOptionsOf, readRows } from "./read-rows.ts";

/** How far an import has got; `totalBytes` is the file's size. */
export interface ImportProgress {
  phase: "preview" | "commit";
  rowsProcessed: number;
  bytesRead: number;
  totalBytes: number;
  /** Data rows per second since the phase began. */
  rowsPerSecond: number;
  done: boolean;
}

/** Called now and then while a file is read (every `PROGRESS_EVERY` rows and at the end). */
export type ProgressCallback = (p: ImportProgress) => void;

/** How often progress is reported, in rows. @example PROGRESS_EVERY // 5000 */
export const PROGRESS_EVERY = 5000;

/** At most this many problems are listed (all are counted). @example MAX_PROBLEMS // 1000 */
export const MAX_PROBLEMS = 1000;

/** A file to import: where it is, its format and size. */
export interface ImportSource {
  path: string;
  format: ImportFormat;
  size: number;
  name: string;
}

/** An unknown code in the file and how many rows name it. */
export interface UnknownCode {
  value: string;
  rows: number;
  firstRow: number;
}

/** What a preview (or a refused commit) found. */
export interface ImportCheck {
  /** Data rows read (the header not counted). */
  totalRows: number;
  /** Rows that would be written. */
  accepted: number;
  /** Rows with no value (a missing-value marker such as "NA"), left out without a problem. */
  skipped: number;
  /** Rows with at least one problem. */
  rejected: number;
  /** The first `MAX_PROBLEMS` problems, in file order. */
  problems: ImportProblem[];
  problemCount: number;
  /** Distinct unknown indicator texts and area codes (at most 200 each), never guessed. */
  unknownIndicators: UnknownCode[];
  unknownAreas: UnknownCode[];
  /** Accepted rows per indicator code, with the first and last period seen. */
  indicators: Array<{ code: string; rows: number; firstPeriod: string; lastPeriod: string }>;
}

/** What a commit wrote. */
export interface ImportResult extends ImportCheck {
  /** The batch, or null when nothing changed (re-importing the same file). */
  batchId: number | null;
  inserted: number;
  updated: number;
  unchanged: number;
}

interface IndicatorInfo {
  id: number;
  code: string;
  min: number | null;
  max: number | null;
  derived: boolean;
  periodType: string | null;
}

/** Everything rows are checked against, loaded once per run (the catalogue and areas are small). */
interface Lookups {
  indicators: Map<string, IndicatorInfo>;
  areas: Map<string, number>;
}

async function loadLookups(db: Kysely<Database>): Promise<Lookups> {
  const indicators = new Map<string, IndicatorInfo>();
  const rows = await db
    .selectFrom("indicator")
    .select(["id", "code", "value_type", "valid_min", "valid_max", "derivation_json", "period_type"])
    .execute();
  for (const r of rows) {
    const range = validRange({ validMin: r.valid_min, validMax: r.valid_max, valueType: r.value_type });
    indicators.set(r.code, {
      id: r.id,
      code: r.code,
      min: range.min,
      max: range.max,
      derived: r.derivation_json !== null,
      periodType: r.period_type,
    });
  }
  const areas = new Map(
    (await db.selectFrom("area").select(["id", "code"]).execute()).map((a) => [a.code, a.id] as const),
  );
  return { indicators, areas };
}

type ParsedPeriod = { key: string; type: string; start: string } | { error: string };

/** The run's state: counts, the capped problem list, caches. Memory stays bounded by the caps. */
class Checker {
  readonly check: ImportCheck = {
    totalRows: 0,
    accepted: 0,
    skipped: 0,
    rejected: 0,
    problems: [],
    problemCount: 0,
    unknownIndicators: [],
    unknownAreas: [],
    indicators: [],
  };
  private readonly periods = new Map<string, ParsedPeriod>();
  private readonly unknownIndicator = new Map<string, UnknownCode>();
  private readonly unknownArea = new Map<string, UnknownCode>();
  private readonly perIndicator = new Map<
    string,
    { rows: number; first: string; firstStart: string; last: string; lastStart: string }
  >();
  private readonly index: Partial<Record<ImportField, number>> = {};
  private readonly missing: Set<string>;
  private readonly mapping: ImportMapping;
  private readonly lookups: Lookups;
  private fixedIndicator: IndicatorInfo | undefined;

  constructor(mapping: ImportMapping, lookups: Lookups, header: string[]) {
    this.mapping = mapping;
    this.lookups = lookups;
    this.missing = new Set(mapping.missingValues.map((m) => m.toLowerCase()));
    const clean = header.map((h) => h.replace(/^\uFEFF/, "").trim());
    for (const [field, column] of Object.entries(mapping.columns) as Array<
      [ImportField, string | undefined]
    >) {
      if (column === undefined) continue;
      const at = clean.indexOf(column.trim());
      if (at < 0)
        throw new MappingError(
          field,
          `The file has no column "${column}"; its columns are ${clean.join(", ")}`,
        );
      this.index[field] = at;
    }
    if (mapping.columns.indicator === undefined && mapping.indicatorCode !== undefined) {
      const fixed = lookups.indicators.get(mapping.indicatorCode);
      if (!fixed)
        throw new MappingError("indicatorCode", `No indicator with code "${mapping.indicatorCode}"`);
      this.fixedIndicator = fixed;
    }
  }

  private problem(row: number, field: ImportField, value: string, reason: string): void {
    this.check.problemCount++;
    if (this.check.problems.length < MAX_PROBLEMS) {
      this.check.problems.push({ row, column: this.mapping.columns[field] ?? field, value, reason });
    }
  }

  /** A problem found while writing (a key the file repeats). */
  rejectLate(row: number, reason: string): void {
    this.check.accepted--;
    this.check.rejected++;
    this.check.problemCount++;
    if (this.check.problems.length < MAX_PROBLEMS) {
      this.check.problems.push({ row, column: this.mapping.columns.period, value: "", reason });
    }
  }

  private note(map: Map<string, UnknownCode>, value: string, row: number): void {
    const seen = map.get(value);
    if (seen) seen.rows++;
    else if (map.size < 200) map.set(value, { value, rows: 1, firstRow: row });
  }

  private cell(cells: string[], field: ImportField): string | undefined {
    const at = this.index[field];
    return at === undefined ? undefined : (cells[at] ?? "");
  }

  private isMissing(text: string): boolean {
    return this.missing.has(text.toLowerCase());
  }

  private number(row: number, field: ImportField, text: string | undefined): number | null | undefined {
    if (text === undefined || this.isMissing(text)) return null;
    const n = Number(text.replace(/,/g, "").replace(/%$/, ""));
    if (text.trim() === "" || !Number.isFinite(n)) {
      this.problem(row, field, text, "Not a number");
      return undefined;
    }
    return n;
  }

  private period(text: string): ParsedPeriod {
    let parsed = this.periods.get(text);
    if (!parsed) {
      try {
        const p = parsePeriod(this.mapping.periodValues[text] ?? text);
        parsed = { key: periodKey(p), type: p.type, start: periodBounds(p).start };
      } catch (error) {
        parsed = { error: error instanceof Error ? error.message : String(error) };
      }
      // Distinct periods are few; the cap keeps a pathological file from growing the cache.
      if (this.periods.size < 10000) this.periods.set(text, parsed);
    }
    return parsed;
  }

  /** Checks one data row: a row to write, or null (skipped, or problems recorded). */
  row(row: number, cells: string[]): WriteRow | null {
    this.check.totalRows++;
    const valueText = this.cell(cells, "value") ?? "";
    if (this.isMissing(valueText)) {
      this.check.skipped++;
      return null;
    }
    const before = this.check.problemCount;

    let indicator = this.fixedIndicator;
    if (!indicator) {
      const text = this.cell(cells, "indicator") ?? "";
      const code = this.mapping.indicatorValues[text] ?? text;
      indicator = this.lookups.indicators.get(code);
      if (!indicator) {
        this.problem(row, "indicator", text, `Unknown indicator "${text}": map it to a catalogue code`);
        this.note(this.unknownIndicator, text, row);
      } else if (indicator.derived) {
        this.problem(
          row,
          "indicator",
          text,
          `"${indicator.code}" is derived: its values are computed, not imported`,
        );
      }
    }
    const areaText = this.cell(cells, "area") ?? "";
    const areaId = this.lookups.areas.get(areaText);
    if (areaId === undefined) {
      this.problem(row, "area", areaText, `Unknown area code "${areaText}"`);
      this.note(this.unknownArea, areaText, row);
    }
    const periodText = this.cell(cells, "period") ?? "";
    const period = this.period(periodText);
    if ("error" in period) this.problem(row, "period", periodText, "Not a period Fivestep can read");
    else if (indicator?.periodType && indicator.periodType !== period.type) {
      this.problem(
        row,
        "period",
        periodText,
        `${indicator.code} is reported by ${indicator.periodType}, not ${period.type}`,
      );
    }
    const value = this.number(row, "value", valueText);
    if (typeof value === "number" && indicator) {
      if (
        (indicator.min !== null && value < indicator.min) ||
        (indicator.max !== null && value > indicator.max)
      ) {
        this.problem(
          row,
          "value",
          valueText,
          `Outside ${indicator.code}'s valid range ${indicator.min ?? "−∞"} to ${indicator.max ?? "∞"}`,
        );
      }
    }
    const numerator = this.number(row, "numerator", this.cell(cells, "numerator"));
    const denominator = this.number(row, "denominator", this.cell(cells, "denominator"));
    const lower = this.number(row, "lower", this.cell(cells, "lower"));
    const upper = this.number(row, "upper", this.cell(cells, "upper"));
    if (typeof lower === "number" && typeof upper === "number" && lower > upper) {
      this.problem(row, "lower", String(lower), "The lower limit is above the upper limit");
    }
    let status = this.mapping.defaultStatus;
    const statusText = this.cell(cells, "status");
    if (statusText !== undefined && statusText !== "") {
      const s = statusText.toLowerCase();
      if (s === "final" || s === "f") status = "final";
      else if (s === "provisional" || s === "p") status = "provisional";
      else this.problem(row, "status", statusText, 'Status must be "provisional" or "final"');
    }
    const noteText = this.cell(cells, "note");
    const note = noteText === undefined || noteText === "" ? null : noteText;
    if (note !== null && note.length > 1000)
      this.problem(row, "note", `${note.slice(0, 40)}…`, "A note has at most 1,000 characters");
    const breakdownText = this.cell(cells, "breakdown") ?? "";
    const breakdown = this.mapping.breakdownValues[breakdownText] ?? breakdownText;
    if (breakdown.length > 120)
      this.problem(row, "breakdown", breakdownText, "A breakdown has at most 120 characters");

    if (this.check.problemCount > before) {
      this.check.rejected++;
      return null;
    }
    // Every check passed, so each part is present; the guards only tell the compiler.
    if (!indicator || areaId === undefined || "error" in period || typeof value !== "number") return null;
    this.check.accepted++;
    const seen = this.perIndicator.get(indicator.code);
    if (!seen) {
      this.perIndicator.set(indicator.code, {
        rows: 1,
        first: period.key,
        firstStart: period.start,
        last: period.key,
        lastStart: period.start,
      });
    } else {
      seen.rows++;
      if (period.start < seen.firstStart)
        Object.assign(seen, { first: period.key, firstStart: period.start });
      if (period.start > seen.lastStart) Object.assign(seen, { last: period.key, lastStart: period.start });
    }
    return {
      indicatorId: indicator.id,
      areaId,
      period: period.key,
      periodType: period.type,
      periodStart: period.start,
      breakdown,
      value,
      numerator: numerator ?? null,
      denominator: denominator ?? null,
      lower: lower ?? null,
      upper: upper ?? null,
      status,
      note,
    };
  }

  finish(): ImportCheck {
    this.check.unknownIndicators = [...this.unknownIndicator.values()];
    this.check.unknownAreas = [...this.unknownArea.values()];
    this.check.indicators = [...this.perIndicator.entries()]
      .map(([code, s]) => ({ code, rows: s.rows, firstPeriod: s.first, lastPeriod: s.last }))
      .sort((a, b) => (a.code < b.code ? -1 : 1));
    return this.check;
  }
}

/** A mapping that does not fit the file (a column it names is missing). */
export class MappingError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "MappingError";
  }
}

/** The commit found problems and wrote nothing; `check` lists them. */
export class ImportRejected extends Error {
  constructor(readonly check: ImportCheck) {
    super(
      `The file has ${check.problemCount} problem${check.problemCount === 1 ? "" : "s"} in ${check.rejected} row${check.rejected === 1 ? "" : "s"}; nothing was written`,
    );
    this.name = "ImportRejected";
  }
}

async function* dataRows(
  source: ImportSource,
  mapping: ImportMapping,
  lookups: Lookups,
  phase: ImportProgress["phase"],
  onProgress: ProgressCallback | undefined,
): AsyncGenerator<{ row: number; write: WriteRow | null; checker: Checker }> {
  let bytesRead = 0;
  const started = performance.now();
  const report = (done: boolean) => {
    if (!onProgress || !checker) return;
    const seconds = (performance.now() - started) / 1000;
    const rows = checker.check.totalRows;
    onProgress({
      phase,
      rowsProcessed: rows,
      bytesRead: done ? source.size : Math.min(bytesRead, source.size),
      totalBytes: source.size,
      rowsPerSecond: seconds > 0 ? Math.round(rows / seconds) : 0,
      done,
    });
  };
  let checker: Checker | undefined;
  const options = {
    onBytes: (b: number) => (bytesRead = b),
    // How to read the file (encoding, separator, decimal comma, header row, sheet): the mapping's choices.
    ...readOptionsOf(mapping),
  };
  for await (const { row, cells } of readRows(source.path, source.format, options)) {
    if (!checker) {
      checker = new Checker(mapping, lookups, cells);
      continue;
    }
    const write = checker.row(row, cells);
    yield { row, write, checker };
    if (checker.check.totalRows % PROGRESS_EVERY === 0) report(false);
  }
  if (!checker) throw new MappingError("file", "The file is empty");
  report(true);
  yield { row: -1, write: null, checker };
}

/**
 * Reads a file with a mapping and lists every problem, writing nothing.
 *
 * @example const check = await previewImport(db, source, mapping, { onProgress: console.log });
 */
export async function previewImport(
  db: Kysely<Database>,
  source: ImportSource,
  mapping: ImportMapping,
  options: { onProgress?: ProgressCallback } = {},
): Promise<ImportCheck> {
  const lookups = await loadLookups(db);
  let last: Checker | undefined;
  for await (const { checker } of dataRows(source, mapping, lookups, "preview", options.onProgress))
    last = checker;
  return (last as Checker).finish();
}

/**
 * Reads a file again and writes every accepted row in one transaction, in chunks: all or nothing.
 * With problems it writes nothing and throws `ImportRejected`, unless `acceptGoodRows` (then only
 * the good rows are written). A file that changes no value leaves no batch (`batchId` null).
 * `beforeCommit` runs inside the transaction after the rows (the api audits there).
 *
 * @example const result = await commitImport(db, source, mapping, { userId: 1, sourceFileId: 3 });
 */
export async function commitImport(
  db: Kysely<Database>,
  source: ImportSource,
  mapping: ImportMapping,
  options: {
    userId: number | null;
    fileId: number | null;
    acceptGoodRows?: boolean;
    onProgress?: ProgressCallback;
    chunkSize?: number;
    generic?: boolean;
    beforeCommit?: (trx: Transaction<Database>, result: ImportResult) => Promise<void>;
  },
): Promise<ImportResult> {
  const lookups = await loadLookups(db);
  const chunkSize = options.chunkSize ?? 2000;
  const nothingChanged = new Error("nothing changed");
  let outcome: ImportResult | undefined;
  try {
    return await db.transaction().execute(async (trx) => {
      const at = nowIso();
      const batchId = await insertImportBatch(trx, {
        fileId: options.fileId,
        source: mapping.source,
        fileName: source.name,
        by: options.userId,
        at,
      });
      const writer = createObservationWriter(
        db,
        trx,
        { batchId, userId: options.userId, at },
        { generic: options.generic ?? false },
      );
      const counts = { inserted: 0, updated: 0, unchanged: 0 };
      let chunk: WriteRow[] = [];
      let rows: number[] = [];
      let checker: Checker | undefined;
      const flush = async () => {
        if (chunk.length === 0 || !checker) return;
        const outcomes = await writer.write(chunk);
        for (let i = 0; i < outcomes.length; i++) {
          const o = outcomes[i];
          if (o === "duplicate")
            checker.rejectLate(
              rows[i] ?? 0,
              "The file gives this indicator, area, period and breakdown twice",
            );
          else if (o) counts[o]++;
        }
        chunk = [];
        rows = [];
      };
      for await (const item of dataRows(source, mapping, lookups, "commit", options.onProgress)) {
        checker = item.checker;
        if (item.write) {
          chunk.push(item.write);
          rows.push(item.row);
          if (chunk.length >= chunkSize) await flush();
        }
      }
      await flush();
      const check = (checker as Checker).finish();
      if (check.problemCount > 0 && !options.acceptGoodRows) throw new ImportRejected(check);
      const result: ImportResult = { ...check, batchId, ...counts };
      if (counts.inserted === 0 && counts.updated === 0) {
        outcome = { ...result, batchId: null };
        throw nothingChanged; // roll back the empty batch row
      }
      await finishImportBatch(trx, batchId, { ...counts, skipped: check.skipped, rejected: check.rejected });
      await options.beforeCommit?.(trx, result);
      return result;
    });
  } catch (error) {
    if (error === nothingChanged && outcome) return outcome;
    throw error;
  }
}
