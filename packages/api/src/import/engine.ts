import { parsePeriod, proportionInterval, rateInterval } from "@fivestep/analytics";
import {
  classifyPendingRows,
  createObservationWriter,
  type Database,
  type Executor,
  finishImportBatch,
  holdPendingRows,
  type ImportStaging,
  insertImportBatch,
  type LockedChange,
  lockedChanges,
  nowIso,
  openImportStaging,
  type StagedText,
  setRevisionReason,
  type WriteRow,
} from "@fivestep/db";
import {
  type ImportField,
  type ImportMapping,
  type ImportProblem,
  type IndicatorLimits,
  indicatorColumnsOf,
  indicatorText,
  MAX_INDICATOR_TEXT,
  parsePublisherJudgement,
  periodBounds,
  periodKey,
  type RuleCode,
  type RuleViolation,
  ruleText,
  valueViolation,
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

/** At most this many distinct indicator texts are offered for mapping. @example MAX_INDICATOR_TEXTS // 500 */
export const MAX_INDICATOR_TEXTS = 500;

/** At most this many distinct unknown codes are listed once each; rows with others are listed one by one. */
const MAX_UNKNOWN = 200;

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

/** An unknown area code, with the name the file's area-name column first gives it (or null). */
export interface UnknownArea extends UnknownCode {
  name: string | null;
}

/** A distinct indicator text of the file, and the catalogue code it maps to (null: none yet). */
export interface IndicatorText {
  text: string;
  rows: number;
  firstRow: number;
  code: string | null;
}

/** A row that would change a value of a locked period (see `period_lock`). */
export interface LockedImportChange {
  row: number;
  indicator: string;
  area: string;
  period: string;
  breakdown: string;
  /** The value stored now (a change may also be to the numerator, limits…). */
  current: number | null;
  value: number;
}

/** What a preview (or a refused commit) found. */
export interface ImportCheck {
  /** Data rows read (the header not counted). */
  totalRows: number;
  /** Rows that would be written. */
  accepted: number;
  /** Rows with no value (a missing-value marker such as "NA"), left out without a problem. */
  skipped: number;
  /** Rows the mapping's `rowFilter` left out (not problems). */
  filtered: number;
  /** Rows with at least one problem. */
  rejected: number;
  /**
   * The first `MAX_PROBLEMS` problems, in file order. An unknown indicator text or area code is
   * one problem, at its first row (its rows are counted in `unknownIndicators`/`unknownAreas`).
   */
  problems: ImportProblem[];
  problemCount: number;
  /** Distinct unknown indicator texts and area codes (at most 200 each), never guessed. */
  unknownIndicators: UnknownCode[];
  unknownAreas: UnknownArea[];
  /** Accepted rows per indicator code, with the first and last period seen. */
  indicators: Array<{ code: string; rows: number; firstPeriod: string; lastPeriod: string }>;
  /**
   * The whole file's distinct indicator texts (rows the filter keeps), the most frequent first, at
   * most `MAX_INDICATOR_TEXTS`; empty when one indicator is chosen for the whole file.
   */
  indicatorTexts: IndicatorText[];
  /** How many distinct indicator texts the file has. */
  indicatorTextCount: number;
  /**
   * Accepted rows that would change a value of a locked period, the first `MAX_PROBLEMS` in file
   * order; committing them needs one revision reason for all.
   */
  lockedChanges: LockedImportChange[];
  lockedChangeCount: number;
}

/** What a commit wrote. */
export interface ImportResult extends ImportCheck {
  /** The batch, or null when nothing changed (re-importing the same file). */
  batchId: number | null;
  /**
   * True when the rows were held for approval (the source's imports arrive pending): nothing was
   * written to the data yet, and `inserted`/`updated` say what approving the batch would do.
   */
  pending: boolean;
  inserted: number;
  updated: number;
  unchanged: number;
}

interface IndicatorInfo extends IndicatorLimits {
  id: number;
  derived: boolean;
  periodType: string | null;
  /** How intervals are computed from counts and denominators at import ("wilson", "byars", "exact"…). */
  ciMethod: string;
  /** The indicator's multiplier (per 100,000 for a rate; a percentage is always per 100). */
  multiplier: number;
}

/**
 * The 95% interval of a row from its count and denominator, with the indicator's method (Wilson
 * for proportions, Byar's or exact Poisson for rates, as in @fivestep/analytics), or null when
 * the indicator has no such method or the counts cannot give one (a count above its denominator
 * for a proportion).
 */
function computedInterval(
  indicator: IndicatorInfo,
  numerator: number,
  denominator: number,
): { lower: number; upper: number; method: string } | null {
  if (!(denominator > 0) || numerator < 0) return null;
  if (indicator.ciMethod === "wilson") {
    if (numerator > denominator) return null;
    const scale =
      indicator.valueType === "percentage"
        ? 100
        : indicator.valueType === "proportion"
          ? 1
          : indicator.multiplier;
    const i = proportionInterval(numerator, denominator, { confidence: 0.95, multiplier: scale });
    return { lower: i.lower, upper: i.upper, method: "wilson" };
  }
  if (indicator.ciMethod === "byars" || indicator.ciMethod === "exact") {
    const i = rateInterval(numerator, denominator, { confidence: 0.95, multiplier: indicator.multiplier });
    return { lower: i.lower, upper: i.upper, method: i.method };
  }
  return null;
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
    .select([
      "id",
      "code",
      "value_type",
      "valid_min",
      "valid_max",
      "derivation_json",
      "period_type",
      "ci_method",
      "multiplier",
    ])
    .execute();
  for (const r of rows) {
    indicators.set(r.code, {
      id: r.id,
      code: r.code,
      valueType: r.value_type as IndicatorLimits["valueType"],
      validMin: r.valid_min,
      validMax: r.valid_max,
      derived: r.derivation_json !== null,
      periodType: r.period_type,
      ciMethod: r.ci_method,
      multiplier: r.multiplier,
    });
  }
  const areas = new Map(
    (await db.selectFrom("area").select(["id", "code"]).execute()).map((a) => [a.code, a.id] as const),
  );
  return { indicators, areas };
}

type ParsedPeriod = { key: string; type: string; start: string } | { error: string };

/** An accepted row waiting for the key check (and, in a commit, the writer): one object per row. */
interface Pending extends WriteRow {
  row: number;
  indicatorCode: string;
  areaCode: string;
}

/** The run's state: counts, the capped problem list, caches. Memory stays bounded by the caps. */
class Checker {
  readonly check: ImportCheck = {
    totalRows: 0,
    accepted: 0,
    skipped: 0,
    filtered: 0,
    rejected: 0,
    problems: [],
    problemCount: 0,
    unknownIndicators: [],
    unknownAreas: [],
    indicators: [],
    indicatorTexts: [],
    indicatorTextCount: 0,
    lockedChanges: [],
    lockedChangeCount: 0,
  };
  private readonly periods = new Map<string, ParsedPeriod>();
  private readonly unknownIndicator = new Map<string, { entry: UnknownCode; problem: ImportProblem }>();
  private readonly unknownArea = new Map<string, { entry: UnknownArea; problem: ImportProblem }>();
  private readonly perIndicator = new Map<
    string,
    { rows: number; first: string; firstStart: string; last: string; lastStart: string }
  >();
  private readonly index: Partial<Record<Exclude<ImportField, "indicator">, number>> = {};
  private readonly indicatorAt: number[] = [];
  private readonly indicatorLabel: string;
  private readonly filters: Array<[number, Set<string>]> = [];
  private readonly missing: Set<string>;
  private readonly mapping: ImportMapping;
  private readonly lookups: Lookups;
  private fixedIndicator: IndicatorInfo | undefined;
  /** Indicator texts counted since the last flush. */
  texts = new Map<string, StagedText>();
  /** Whether the row being checked has a problem. */
  private rowBad = false;

  constructor(mapping: ImportMapping, lookups: Lookups, header: string[]) {
    this.mapping = mapping;
    this.lookups = lookups;
    this.missing = new Set(mapping.missingValues.map((m) => m.toLowerCase()));
    const clean = header.map((h) => h.replace(/^\uFEFF/, "").trim());
    const at = (column: string, path: string) => {
      const found = clean.indexOf(column.trim());
      if (found < 0)
        throw new MappingError(
          path,
          `The file has no column "${column}"; its columns are ${clean.join(", ")}`,
        );
      return found;
    };
    const indicatorColumns = indicatorColumnsOf(mapping.columns.indicator);
    this.indicatorLabel = indicatorColumns.join(" | ");
    for (const column of indicatorColumns) this.indicatorAt.push(at(column, "columns.indicator"));
    for (const [field, column] of Object.entries(mapping.columns) as Array<[ImportField, unknown]>) {
      if (field === "indicator" || typeof column !== "string") continue;
      this.index[field] = at(column, `columns.${field}`);
    }
    for (const [column, values] of Object.entries(mapping.rowFilter)) {
      this.filters.push([at(column, "rowFilter"), new Set(values.map((v) => v.trim()))]);
    }
    if (indicatorColumns.length === 0 && mapping.indicatorCode !== undefined) {
      const fixed = lookups.indicators.get(mapping.indicatorCode);
      if (!fixed)
        throw new MappingError("indicatorCode", `No indicator with code "${mapping.indicatorCode}"`);
      this.fixedIndicator = fixed;
    }
  }

  private columnOf(field: ImportField): string {
    if (field === "indicator") return this.indicatorLabel;
    const column = this.mapping.columns[field];
    return typeof column === "string" ? column : field;
  }

  private add(p: ImportProblem): void {
    this.check.problemCount++;
    const list = this.check.problems;
    list.push(p);
    // Problems found at a chunk's end (a repeated key) come after later rows' problems: keep twice
    // the cap, then the earliest rows; `finish` sorts.
    if (list.length > 2 * MAX_PROBLEMS) {
      list.sort((a, b) => a.row - b.row);
      list.length = MAX_PROBLEMS;
    }
  }

  private problem(
    row: number,
    field: ImportField,
    value: string,
    code: RuleCode,
    params: Record<string, string | number> = {},
  ): ImportProblem {
    this.rowBad = true;
    const p: ImportProblem = {
      row,
      column: this.columnOf(field),
      value,
      reason: ruleText({ code, params }),
      code,
      params,
    };
    this.add(p);
    return p;
  }

  private violation(row: number, field: ImportField, value: string, v: RuleViolation): void {
    this.problem(row, field, value, v.code, v.params);
  }

  /** An unknown code: one problem at its first row, its rows counted (beyond the cap, one per row). */
  private unknown<E extends UnknownCode>(
    map: Map<string, { entry: E; problem: ImportProblem }>,
    field: ImportField,
    code: RuleCode,
    value: string,
    row: number,
    entry: () => E,
  ): void {
    const seen = map.get(value);
    if (seen) {
      this.rowBad = true;
      seen.entry.rows++;
      seen.problem.params.rows = seen.entry.rows;
    } else if (map.size < MAX_UNKNOWN) {
      map.set(value, { entry: entry(), problem: this.problem(row, field, value, code, { value, rows: 1 }) });
    } else {
      this.problem(row, field, value, code, { value, rows: 1 });
    }
  }

  private cell(cells: string[], field: Exclude<ImportField, "indicator">): string | undefined {
    const at = this.index[field];
    return at === undefined ? undefined : (cells[at] ?? "");
  }

  private isMissing(text: string): boolean {
    return this.missing.has(text.toLowerCase());
  }

  private number(row: number, field: ImportField, text: string | undefined): number | null | undefined {
    if (text === undefined || this.isMissing(text)) return null;
    // Thousands separators and a trailing "%" are removed; most numbers have neither.
    const n = Number(
      text.includes(",") || text.endsWith("%") ? text.replace(/,/g, "").replace(/%$/, "") : text,
    );
    // Number() reads a blank text as 0.
    if ((n === 0 && text.trim() === "") || !Number.isFinite(n)) {
      this.problem(row, field, text, "import.notNumber", { value: text });
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

  private countText(text: string, row: number): void {
    const seen = this.texts.get(text);
    if (seen) seen.rows++;
    else this.texts.set(text, { text, rows: 1, firstRow: row });
  }

  /** Checks one data row: an accepted row waiting for the key check, or null (left out, or problems recorded). */
  row(row: number, cells: string[]): Pending | null {
    this.check.totalRows++;
    for (const [at, allowed] of this.filters) {
      if (!allowed.has((cells[at] ?? "").trim())) {
        this.check.filtered++;
        return null;
      }
    }
    let text: string | undefined;
    if (this.indicatorAt.length > 0) {
      text =
        this.indicatorAt.length === 1
          ? (cells[this.indicatorAt[0] as number] ?? "").trim()
          : indicatorText(this.indicatorAt.map((at) => cells[at] ?? ""));
      if (text.length <= MAX_INDICATOR_TEXT) this.countText(text, row);
    }
    const valueText = this.cell(cells, "value") ?? "";
    if (this.isMissing(valueText)) {
      this.check.skipped++;
      return null;
    }
    this.rowBad = false;

    let indicator = this.fixedIndicator;
    if (text !== undefined) {
      const code = this.mapping.indicatorValues[text] ?? text;
      indicator = this.lookups.indicators.get(code);
      if (text.length > MAX_INDICATOR_TEXT) {
        this.problem(row, "indicator", `${text.slice(0, 40)}…`, "import.indicatorTextTooLong", {
          max: MAX_INDICATOR_TEXT,
        });
      } else if (!indicator) {
        this.unknown(this.unknownIndicator, "indicator", "import.unknownIndicator", text, row, () => ({
          value: text,
          rows: 1,
          firstRow: row,
        }));
      } else if (indicator.derived) {
        this.problem(row, "indicator", text, "import.derivedIndicator", { indicator: indicator.code });
      }
    }
    const areaText = this.cell(cells, "area") ?? "";
    const areaId = this.lookups.areas.get(areaText);
    if (areaId === undefined) {
      this.unknown(this.unknownArea, "area", "import.unknownArea", areaText, row, () => ({
        value: areaText,
        rows: 1,
        firstRow: row,
        name: this.cell(cells, "areaName")?.trim() || null,
      }));
    }
    const periodText = this.cell(cells, "period") ?? "";
    const period = this.period(periodText);
    if ("error" in period) this.problem(row, "period", periodText, "import.badPeriod", { value: periodText });
    else if (indicator?.periodType && indicator.periodType !== period.type) {
      this.problem(row, "period", periodText, "import.wrongPeriodType", {
        indicator: indicator.code,
        expected: indicator.periodType,
        found: period.type,
      });
    }
    const value = this.number(row, "value", valueText);
    if (typeof value === "number" && indicator) {
      const v = valueViolation(indicator, value);
      if (v) this.violation(row, "value", valueText, v);
    }
    const numerator = this.number(row, "numerator", this.cell(cells, "numerator"));
    const denominator = this.number(row, "denominator", this.cell(cells, "denominator"));
    const lower = this.number(row, "lower", this.cell(cells, "lower"));
    const upper = this.number(row, "upper", this.cell(cells, "upper"));
    if (typeof lower === "number" && typeof upper === "number" && lower > upper) {
      this.problem(row, "lower", String(lower), "import.lowerAboveUpper", { lower, upper });
    }
    const judgementText = this.cell(cells, "judgement");
    const judgement = judgementText === undefined ? null : parsePublisherJudgement(judgementText);
    if (judgement === undefined)
      this.problem(row, "judgement", judgementText ?? "", "import.badJudgement", {
        value: judgementText ?? "",
      });
    let status = this.mapping.defaultStatus;
    const statusText = this.cell(cells, "status");
    if (statusText !== undefined && statusText !== "") {
      const s = statusText.toLowerCase();
      if (s === "final" || s === "f") status = "final";
      else if (s === "provisional" || s === "p") status = "provisional";
      else this.problem(row, "status", statusText, "import.badStatus", { value: statusText });
    }
    const noteText = this.cell(cells, "note");
    const note = noteText === undefined || noteText === "" ? null : noteText;
    if (note !== null && note.length > 1000)
      this.problem(row, "note", `${note.slice(0, 40)}…`, "import.noteTooLong", { max: 1000 });
    const breakdownText = this.cell(cells, "breakdown") ?? "";
    const breakdown = this.mapping.breakdownValues[breakdownText] ?? breakdownText;
    if (breakdown.length > 120)
      this.problem(row, "breakdown", breakdownText, "import.breakdownTooLong", { max: 120 });

    if (this.rowBad) {
      this.check.rejected++;
      return null;
    }
    // Every check passed, so each part is present; the guards only tell the compiler.
    if (!indicator || areaId === undefined || "error" in period || typeof value !== "number") return null;
    this.check.accepted++;
    // The file's own limits are the publisher's; otherwise counts give Fivestep's own interval.
    let limits: { lower: number | null; upper: number | null; method: string | null } = {
      lower: lower ?? null,
      upper: upper ?? null,
      method: typeof lower === "number" && typeof upper === "number" ? "publisher" : null,
    };
    if (limits.method === null && typeof numerator === "number" && typeof denominator === "number") {
      const computed = computedInterval(indicator, numerator, denominator);
      if (computed && Number.isFinite(computed.lower) && Number.isFinite(computed.upper)) limits = computed;
    }
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
      row,
      indicatorCode: indicator.code,
      areaCode: areaText,
      indicatorId: indicator.id,
      areaId,
      period: period.key,
      periodType: period.type,
      periodStart: period.start,
      breakdown,
      value,
      numerator: numerator ?? null,
      denominator: denominator ?? null,
      lower: limits.lower,
      upper: limits.upper,
      intervalMethod: limits.method,
      publisherJudgement: judgement ?? null,
      judgementSource: judgement ? this.mapping.source : null,
      status,
      note,
    };
  }

  /** An accepted row whose key an earlier row gave: rejected after all, naming that row. */
  repeated(p: Pending, firstRow: number): void {
    this.check.accepted--;
    this.check.rejected++;
    const seen = this.perIndicator.get(p.indicatorCode);
    if (seen) seen.rows--;
    const { period, breakdown } = p;
    this.add({
      row: p.row,
      column: this.columnOf("period"),
      value: [p.indicatorCode, p.areaCode, period, ...(breakdown ? [breakdown] : [])].join(", "),
      reason: ruleText({ code: "import.duplicateKey", params: { firstRow } }),
      code: "import.duplicateKey",
      params: { firstRow, indicator: p.indicatorCode, area: p.areaCode, period, breakdown },
    });
  }

  /** Accepted rows that would change locked values: counted, the first `MAX_PROBLEMS` listed. */
  locked(changes: ReadonlyArray<LockedChange<Pending>>): void {
    for (const { row: p, current } of changes) {
      this.check.lockedChangeCount++;
      if (this.check.lockedChanges.length >= MAX_PROBLEMS) continue;
      this.check.lockedChanges.push({
        row: p.row,
        indicator: p.indicatorCode,
        area: p.areaCode,
        period: p.period,
        breakdown: p.breakdown,
        current: current.value,
        value: p.value as number,
      });
    }
  }

  /** The texts counted since the last call. */
  takeTexts(): StagedText[] {
    const out = [...this.texts.values()];
    this.texts = new Map();
    return out;
  }

  finish(texts: { texts: StagedText[]; distinct: number }): ImportCheck {
    const c = this.check;
    c.problems.sort((a, b) => a.row - b.row);
    if (c.problems.length > MAX_PROBLEMS) c.problems.length = MAX_PROBLEMS;
    c.unknownIndicators = [...this.unknownIndicator.values()].map((u) => u.entry);
    c.unknownAreas = [...this.unknownArea.values()].map((u) => u.entry);
    c.indicators = [...this.perIndicator.entries()]
      .filter(([, s]) => s.rows > 0)
      .map(([code, s]) => ({ code, rows: s.rows, firstPeriod: s.first, lastPeriod: s.last }))
      .sort((a, b) => (a.code < b.code ? -1 : 1));
    c.indicatorTexts = texts.texts.map((t) => {
      const code = this.mapping.indicatorValues[t.text] ?? t.text;
      return { ...t, code: this.lookups.indicators.has(code) ? code : null };
    });
    c.indicatorTextCount = texts.distinct;
    return c;
  }
}

/** A mapping that does not fit the file; `field` is the mapping's path ("columns.area", "rowFilter"). */
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

/**
 * The commit would change values of locked periods and was given no revision reason: it wrote
 * nothing; `check` lists the changes.
 */
export class LockedChangesRefused extends Error {
  constructor(readonly check: ImportCheck) {
    super(ruleText(lockedChangesViolation(check)));
    this.name = "LockedChangesRefused";
  }
}

/**
 * The broken rule of a commit that changes locked values without a revision reason.
 *
 * @example ruleText(lockedChangesViolation(check)) // "The file changes values in locked periods (2): give one revision reason for all of them"
 */
export function lockedChangesViolation(check: Pick<ImportCheck, "lockedChangeCount">): RuleViolation {
  return { code: "import.lockedNeedsReason", params: { count: check.lockedChangeCount } };
}

/**
 * The one pass preview and commit share: reads the file, checks each row, and every `chunkSize`
 * accepted rows stages their keys (a key given before is a problem naming that row) and hands the
 * rest to `write` (a commit's writer; none for a preview). So both find exactly the same problems.
 */
async function checkFile(
  source: ImportSource,
  mapping: ImportMapping,
  lookups: Lookups,
  staging: ImportStaging,
  o: {
    phase: ImportProgress["phase"];
    onProgress: ProgressCallback | undefined;
    chunkSize: number;
    /** Where stored values and locks are read, to list changes of locked values. */
    locks: Executor;
    /**
     * Writes accepted rows (a commit); `check` is the run so far; `locked`, the rows' changes of
     * locked values.
     */
    write?: (rows: WriteRow[], check: ImportCheck, locked: Array<LockedChange<Pending>>) => Promise<void>;
    /** Called before each chunk is staged (a job's cancel check: throwing stops the pass). */
    checkpoint?: (() => Promise<void>) | undefined;
  },
): Promise<ImportCheck> {
  let bytesRead = 0;
  const started = performance.now();
  const report = (done: boolean) => {
    if (!o.onProgress || !checker) return;
    const seconds = (performance.now() - started) / 1000;
    const rows = checker.check.totalRows;
    o.onProgress({
      phase: o.phase,
      rowsProcessed: rows,
      bytesRead: done ? source.size : Math.min(bytesRead, source.size),
      totalBytes: source.size,
      rowsPerSecond: seconds > 0 ? Math.round(rows / seconds) : 0,
      done,
    });
  };
  let checker: Checker | undefined;
  let pending: Pending[] = [];
  const flush = async () => {
    if (!checker) return;
    await o.checkpoint?.();
    const batch = pending;
    pending = [];
    // The keys and the texts counted so far in one transaction (each row's object is its key).
    const firstRows = await staging.stage(batch, checker.takeTexts());
    if (batch.length === 0) return;
    const good: Pending[] = [];
    for (let i = 0; i < batch.length; i++) {
      const p = batch[i] as Pending;
      const first = firstRows[i];
      if (first === null || first === undefined) good.push(p);
      else checker.repeated(p, first);
    }
    if (good.length === 0) return;
    const locked = await lockedChanges(o.locks, good);
    checker.locked(locked);
    if (o.write) await o.write(good, checker.check, locked);
  };
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
    const accepted = checker.row(row, cells);
    if (accepted) pending.push(accepted);
    if (pending.length >= o.chunkSize || checker.texts.size >= o.chunkSize) await flush();
    if (checker.check.totalRows % PROGRESS_EVERY === 0) report(false);
  }
  if (!checker) throw new MappingError("file", "The file is empty");
  await flush();
  report(true);
  return checker.finish(await staging.texts(MAX_INDICATOR_TEXTS));
}

/**
 * Reads a file with a mapping and lists every problem, writing no data: the same checks as
 * `commitImport`, including keys the file gives twice (found through the staging tables, which are
 * cleared when it ends), and the whole file's distinct indicator texts with counts.
 *
 * @example const check = await previewImport(db, source, mapping, { onProgress: console.log });
 */
export async function previewImport(
  db: Kysely<Database>,
  source: ImportSource,
  mapping: ImportMapping,
  options: {
    onProgress?: ProgressCallback;
    fileId?: number | null;
    chunkSize?: number;
    generic?: boolean;
  } = {},
): Promise<ImportCheck> {
  const lookups = await loadLookups(db);
  const staging = await openImportStaging(db, {
    fileId: options.fileId ?? null,
    at: nowIso(),
    generic: options.generic ?? false,
  });
  try {
    return await checkFile(source, mapping, lookups, staging, {
      phase: "preview",
      onProgress: options.onProgress,
      locks: db,
      // Each chunk is staged in a short transaction of its own: fewer, larger ones cost less.
      chunkSize: options.chunkSize ?? 10000,
    });
  } finally {
    await staging.clear();
  }
}

/**
 * Reads a file again, with the same checks as `previewImport`, and writes every accepted row in
 * one transaction, in chunks: all or nothing. With problems it writes nothing and throws
 * `ImportRejected`, unless `acceptGoodRows` (then only the good rows are written; of a key given
 * twice, the first row). A row that changes a value of a locked period needs `revisionReason`:
 * without one nothing is written and `LockedChangesRefused` is thrown; with one, each such
 * change's revision keeps the reason. A file that changes no value leaves no batch (`batchId` null).
 * With `hold`, the rows wait in `pending_observation` on a "pending" batch instead (see
 * `approveImportBatch`), and rows equal to the stored values are dropped.
 * `beforeCommit` runs inside the transaction after the rows (the commit service audits there).
 *
 * @example const result = await commitImport(db, source, mapping, { userId: 1, fileId: 3 });
 */
export async function commitImport(
  db: Kysely<Database>,
  source: ImportSource,
  mapping: ImportMapping,
  options: {
    userId: number | null;
    fileId: number | null;
    acceptGoodRows?: boolean;
    /** Why values of locked periods are revised: one reason for all the file's changes of them. */
    revisionReason?: string;
    /**
     * Hold the rows for approval (a "pending" batch, rows in `pending_observation`) instead of
     * writing them to the data. The locked-value rule applies as for a write; the reason is kept
     * on the batch for the approval.
     */
    hold?: boolean;
    onProgress?: ProgressCallback;
    /**
     * Called before each chunk and once more before the transaction commits (a job's cancel
     * check): whatever it throws rolls the whole commit back, batch row included.
     */
    checkpoint?: () => Promise<void>;
    chunkSize?: number;
    generic?: boolean;
    beforeCommit?: (trx: Transaction<Database>, result: ImportResult) => Promise<void>;
  },
): Promise<ImportResult> {
  const lookups = await loadLookups(db);
  const reason = options.revisionReason?.trim() ?? "";
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
        pending: options.hold ?? false,
        revisionReason: reason || null,
      });
      const generic = options.generic ?? false;
      // The staging rows live in this transaction: a refused commit takes them with it.
      const staging = await openImportStaging(db, { trx, fileId: options.fileId, at, generic });
      const writer = createObservationWriter(db, trx, { batchId, userId: options.userId, at }, { generic });
      const counts = { inserted: 0, updated: 0, unchanged: 0 };
      const check = await checkFile(source, mapping, lookups, staging, {
        phase: "commit",
        onProgress: options.onProgress,
        chunkSize: options.chunkSize ?? 2000,
        checkpoint: options.checkpoint,
        locks: trx,
        write: async (rows, sofar, locked) => {
          // Once a problem (or a locked change without a reason) makes the commit fail, only checking goes on.
          if (sofar.problemCount > 0 && !options.acceptGoodRows) return;
          if (sofar.lockedChangeCount > 0 && !reason) return;
          if (options.hold) {
            await holdPendingRows(trx, batchId, rows);
            return;
          }
          for (const o of await writer.write(rows)) {
            // The staging check let through no key twice, so the writer never sees one again.
            if (o === "duplicate") throw new Error("A key reached the writer twice");
            counts[o]++;
          }
          // The writer kept each change's old value as a revision: the reason goes beside it.
          if (reason)
            await setRevisionReason(
              trx,
              batchId,
              locked.map((l) => l.observationId),
              reason,
            );
        },
      });
      if (check.problemCount > 0 && !options.acceptGoodRows) throw new ImportRejected(check);
      if (check.lockedChangeCount > 0 && !reason) throw new LockedChangesRefused(check);
      await staging.clear();
      // Held rows are compared with the stored data once, at the end: equal ones are dropped.
      if (options.hold) Object.assign(counts, await classifyPendingRows(trx, batchId));
      const result: ImportResult = { ...check, batchId, pending: options.hold ?? false, ...counts };
      if (counts.inserted === 0 && counts.updated === 0) {
        outcome = { ...result, batchId: null };
        throw nothingChanged; // roll back the empty batch row
      }
      await finishImportBatch(trx, batchId, { ...counts, skipped: check.skipped, rejected: check.rejected });
      await options.beforeCommit?.(trx, result);
      // The last chance to stop: after this the batch is written.
      await options.checkpoint?.();
      return result;
    });
  } catch (error) {
    if (error === nothingChanged && outcome) return outcome;
    throw error;
  }
}
