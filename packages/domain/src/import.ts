import { z } from "zod";
import { AreaCodeSchema } from "./area.ts";
import { IndicatorCodeSchema } from "./indicator.ts";
import type { RuleCode } from "./rules.ts";

/** Whether a value may still change. @example OBSERVATION_STATUSES[0] // "final" */
export const OBSERVATION_STATUSES = ["final", "provisional"] as const;
/** @example ObservationStatusSchema.parse("provisional") */
export const ObservationStatusSchema = z.enum(OBSERVATION_STATUSES);
/** @example const s: ObservationStatus = "final"; */
export type ObservationStatus = z.infer<typeof ObservationStatusSchema>;

/** The fields a file's columns can map to. @example IMPORT_FIELDS.includes("period") // true */
export const IMPORT_FIELDS = [
  "indicator",
  "area",
  "areaName",
  "period",
  "value",
  "numerator",
  "denominator",
  "lower",
  "upper",
  "status",
  "note",
  "breakdown",
  "judgement",
] as const;
/** @example const f: ImportField = "value"; */
export type ImportField = (typeof IMPORT_FIELDS)[number];

const columnName = z.string().trim().min(1).max(200);

/** What joins the cells of several indicator columns into one text. @example INDICATOR_TEXT_JOINER // " | " */
export const INDICATOR_TEXT_JOINER = " | ";

/** The longest indicator text (joined) an import maps, in characters. @example MAX_INDICATOR_TEXT // 500 */
export const MAX_INDICATOR_TEXT = 500;

/**
 * The columns that name the indicator: `columns.indicator` as a list (one name or several).
 *
 * @example indicatorColumnsOf("indicator") // ["indicator"]
 * @example indicatorColumnsOf(["indicator", "measure"]) // ["indicator", "measure"]
 */
export function indicatorColumnsOf(indicator: string | readonly string[] | undefined): string[] {
  if (indicator === undefined) return [];
  return typeof indicator === "string" ? [indicator] : [...indicator];
}

/**
 * The text an import looks up in `indicatorValues`: the indicator columns' cells, trimmed and
 * joined with `INDICATOR_TEXT_JOINER`.
 *
 * @example indicatorText(["Business Births", "Count"]) // "Business Births | Count"
 */
export function indicatorText(cells: readonly string[]): string {
  return cells.map((c) => c.trim()).join(INDICATOR_TEXT_JOINER);
}

/**
 * Every column a mapping reads (mapped fields, the indicator columns, the filter's columns), for
 * checking that a file has them.
 *
 * @example mappedColumns({ columns: { indicator: ["ind", "measure"], area: "a", period: "p", value: "v" }, rowFilter: { unit: ["Persons"] } }) // ["ind", "measure", "a", "p", "v", "unit"]
 */
export function mappedColumns(m: {
  columns: Record<string, string | readonly string[] | undefined>;
  rowFilter?: Record<string, readonly string[]> | undefined;
}): string[] {
  const names = Object.values(m.columns).flatMap((c) => indicatorColumnsOf(c));
  return [...new Set([...names, ...Object.keys(m.rowFilter ?? {})])];
}

/** The text encodings an import file may be in. @example IMPORT_ENCODINGS.includes("windows-1250") // true */
export const IMPORT_ENCODINGS = ["utf-8", "utf-16le", "utf-16be", "windows-1252", "windows-1250"] as const;
/** @example const e: ImportEncoding = "windows-1252"; */
export type ImportEncoding = (typeof IMPORT_ENCODINGS)[number];
/** The column separators a CSV file may use. @example IMPORT_SEPARATORS.includes(";") // true */
export const IMPORT_SEPARATORS = [",", ";", "\t", "|"] as const;
/** @example const s: ImportSeparator = ";"; */
export type ImportSeparator = (typeof IMPORT_SEPARATORS)[number];

const readingFields = {
  /** The file's text encoding (CSV); detected when omitted. */
  encoding: z.enum(IMPORT_ENCODINGS).optional(),
  /** The column separator (CSV); detected from the first lines when omitted. */
  separator: z.enum(IMPORT_SEPARATORS).optional(),
  /** Whether numbers are written "2,5" (CSV): by default only when the separator is ";". */
  decimalComma: z.boolean().optional(),
  /** The row holding the column headers (CSV and XLSX); rows above it are ignored. Row 1 when omitted. */
  headerRow: z.int().min(1).max(1000).optional(),
  /** For XLSX files: the worksheet's name; the first sheet when omitted. */
  sheet: z.string().max(100).optional(),
};
const noDecimalCommaWithComma = {
  check: (r: { separator?: string | undefined; decimalComma?: boolean | undefined }) =>
    !(r.separator === "," && r.decimalComma === true),
  message: "Numbers cannot use a decimal comma when commas separate the columns",
};

/**
 * How to read a file: its encoding, separator, decimal comma, header row and sheet. Each is
 * detected (or the first) when omitted. The same fields sit in `ImportMappingSchema`.
 *
 * @example ImportReadingSchema.parse({ encoding: "windows-1250", separator: ";", headerRow: 3 })
 */
export const ImportReadingSchema = z.object(readingFields).refine(noDecimalCommaWithComma.check, {
  message: noDecimalCommaWithComma.message,
  path: ["decimalComma"],
});
/** @example const r: ImportReading = { encoding: "windows-1252" }; */
export type ImportReading = z.infer<typeof ImportReadingSchema>;

/**
 * How a file's columns become observations; remembered per source under `source`.
 *
 * - `columns` names the file's column (its header text) for each field. `area`, `period` and
 *   `value` are required; `indicator` is required unless `indicatorCode` names one indicator for
 *   the whole file.
 * - `indicatorValues` maps the text of the indicator column to catalogue codes ("Life expectancy
 *   at birth" → "LE-BIRTH"); a text that is neither mapped nor a catalogue code is a problem,
 *   never guessed.
 * - `breakdownValues` maps breakdown texts ("Persons" → "" for no breakdown); unmapped texts are
 *   stored as they are ("Male").
 * - `periodValues` respells periods that `parsePeriod` cannot read; unreadable ones are problems.
 * - `missingValues`: cell texts meaning "no value" (rows with no value are skipped, not problems).
 * - `columns.indicator` may list several columns ("indicator", "measure"): their cells are joined
 *   with " | " into the text looked up in `indicatorValues` ("Business Births | Count" → "BB-COUNT").
 * - `rowFilter` keeps only rows whose named columns hold one of the listed texts
 *   (`{ measure: ["Count"] }`); the rest are left out by the filter, not problems.
 * - `columns.judgement` names a column with the publisher's own judgement of each value against its
 *   benchmark ("Better", "Similar", "Worse"; see `parsePublisherJudgement`), stored with the
 *   mapping's `source` and shown as the publisher's, apart from Fivestep's own comparison.
 * - `columns.areaName` names the areas, so unknown area codes can be added from the file.
 * - `encoding`, `separator`, `decimalComma`, `headerRow` and `sheet` say how the file is read
 *   (see `ImportReadingSchema`); each is detected, or the first, when omitted.
 *
 * @example
 * ImportMappingSchema.parse({
 *   source: "Trafford Data Lab",
 *   columns: { indicator: "indicator", area: "area_code", period: "period", value: "value", breakdown: "inequality" },
 *   indicatorValues: { "Life expectancy at birth": "LE-BIRTH" },
 * })
 */
export const ImportMappingSchema = z
  .object({
    source: z.string().trim().min(1, "Name the source, so the mapping is remembered").max(120),
    columns: z.object({
      /** One column, or several whose cells are joined with " | " ("Business Births | Count"). */
      indicator: z
        .union([columnName, z.array(columnName).min(1, "Choose a column").max(5, "Use at most 5 columns")])
        .optional(),
      area: columnName,
      /** The areas' names, offered when unknown area codes are added from the file. */
      areaName: columnName.optional(),
      period: columnName,
      value: columnName,
      numerator: columnName.optional(),
      denominator: columnName.optional(),
      lower: columnName.optional(),
      upper: columnName.optional(),
      status: columnName.optional(),
      note: columnName.optional(),
      breakdown: columnName.optional(),
      /** The publisher's own judgement against its benchmark (Fingertips' `compared_to_England`). */
      judgement: columnName.optional(),
    }),
    indicatorCode: IndicatorCodeSchema.optional(),
    indicatorValues: z.record(z.string().max(MAX_INDICATOR_TEXT), IndicatorCodeSchema).default({}),
    /**
     * Keeps a row only when each named column's text is one of the listed values (as written,
     * trimmed); other rows are counted as left out by the filter, not as problems.
     */
    rowFilter: z
      .record(
        columnName,
        z.array(z.string().trim().max(MAX_INDICATOR_TEXT)).min(1, "Choose at least one value").max(200),
      )
      .default({}),
    breakdownValues: z.record(z.string().max(120), z.string().trim().max(120)).default({}),
    /** Period texts the analytics package cannot read, spelled so it can ("201618" → "2016 - 18"). */
    periodValues: z.record(z.string().max(60), z.string().trim().max(60)).default({}),
    defaultStatus: z.enum(["final", "provisional"]).default("final"),
    missingValues: z.array(z.string().max(20)).max(20).default(["", "NA", "N/A", "..", ":", "-", "x", "*"]),
    sheet: readingFields.sheet,
    // How the file is read (see ImportReadingSchema): encoding, separator, decimal comma, header row.
    encoding: readingFields.encoding,
    separator: readingFields.separator,
    decimalComma: readingFields.decimalComma,
    headerRow: readingFields.headerRow,
  })
  .refine((m) => m.columns.indicator !== undefined || m.indicatorCode !== undefined, {
    message: "Choose the column that names the indicator, or one indicator for the whole file",
    path: ["indicatorCode"],
  })
  .refine(noDecimalCommaWithComma.check, {
    message: noDecimalCommaWithComma.message,
    path: ["decimalComma"],
  });
/** @example const m: ImportMapping = ImportMappingSchema.parse(raw); */
export type ImportMapping = z.infer<typeof ImportMappingSchema>;
/** What a client sends (defaults not yet applied). @example const m: ImportMappingInput = { source: "x", columns: { area: "a", period: "p", value: "v" }, indicatorCode: "NI 151" }; */
export type ImportMappingInput = z.input<typeof ImportMappingSchema>;

/**
 * One thing wrong with one cell of an import: the file's row number (the header is row 1), the
 * column's header text, the cell's text and why it was refused.
 *
 * @example const p: ImportProblem = { row: 7, column: "value", value: "n/a?", reason: "Not a number", code: "import.notNumber", params: { value: "n/a?" } };
 */
export type ImportProblem = {
  row: number;
  column: string;
  value: string;
  /** In English (`ruleText`), for the CLI, logs and API callers. */
  reason: string;
  /** The broken rule's code and parameters, for clients to word in the reader's language. */
  code: RuleCode;
  params: Record<string, string | number>;
};

/**
 * A named set of areas to compare with (CIPFA nearest neighbours, a region's districts).
 *
 * @example ComparatorGroupSchema.parse({ name: "Trafford CIPFA neighbours", areaCodes: ["E06000030"] })
 */
export const ComparatorGroupSchema = z.object({
  name: z.string().trim().min(1, "Enter a name").max(200),
  description: z.string().trim().max(2000).default(""),
  areaCodes: z.array(AreaCodeSchema).max(2000).default([]),
});
/** @example const g: ComparatorGroupInput = { name: "West Midlands districts" }; */
export type ComparatorGroupInput = z.input<typeof ComparatorGroupSchema>;

/** The publisher's judgements of a value against its benchmark. @example PUBLISHER_JUDGEMENTS[0] // "better" */
export const PUBLISHER_JUDGEMENTS = ["better", "similar", "worse", "higher", "lower"] as const;
/** @example const j: PublisherJudgement = "similar"; */
export type PublisherJudgement = (typeof PUBLISHER_JUDGEMENTS)[number];

/**
 * Reads a publisher's judgement cell, as Fingertips writes them: "Better", "Similar", "Worse",
 * "Higher", "Lower", with or without the level ("Better 95%", "Worse (99.8%)"), in any case; "Same"
 * is "similar". "Not compared", "" and "NA" mean no judgement (null). Anything else is undefined
 * (the import reports it as a problem).
 *
 * @example parsePublisherJudgement("Better 95%") // "better"
 * @example parsePublisherJudgement("Not compared") // null
 * @example parsePublisherJudgement("Greener") // undefined
 */
export function parsePublisherJudgement(text: string): PublisherJudgement | null | undefined {
  const t = text.trim().toLowerCase();
  if (t === "" || t === "na" || t === "n/a" || t === "not compared" || t === "-") return null;
  const word = t.split(/[\s(]/)[0] ?? "";
  if (word === "same") return "similar";
  return (PUBLISHER_JUDGEMENTS as readonly string[]).includes(word)
    ? (word as PublisherJudgement)
    : undefined;
}

/** The most observations one JSON request may carry (a larger load is a file upload). @example MAX_JSON_OBSERVATIONS // 10000 */
export const MAX_JSON_OBSERVATIONS = 10_000;

/**
 * Observations sent as JSON (the REST API's `POST /api/v1/observations`): the same checks as a
 * file import (ranges, duplicates, locked periods, sources whose data arrives pending), because
 * they go through the same import service. `source` names where the values come from, as a
 * mapping's source does; `revisionReason` is needed when they change values of locked periods.
 *
 * @example WriteObservationsSchema.parse({ source: "Council returns", observations: [{ indicatorCode: "NI 151", areaCode: "E08000026", period: "2024 Q1", value: 71.2 }] })
 */
export const WriteObservationsSchema = z.object({
  source: z.string().trim().min(1, "Name the source of the values").max(120),
  observations: z
    .array(
      z.object({
        indicatorCode: IndicatorCodeSchema,
        areaCode: AreaCodeSchema,
        /** A period as imports read it: "2024", "2023/24", "2024 Q1", "2024-03", "2016 - 18". */
        period: z.string().trim().min(1, "Enter a period").max(60),
        /** The value; null records that there is none for the period (left out, as "NA" in a file). */
        value: z.number().finite().nullable(),
        /** One breakdown ("Male"); "" (the default) is the value with no breakdown. */
        breakdown: z.string().trim().max(120).default(""),
        status: z.enum(["final", "provisional"]).default("final"),
        note: z.string().trim().max(1000).default(""),
      }),
    )
    .min(1, "Send at least one observation")
    .max(MAX_JSON_OBSERVATIONS, "Send at most 10,000 observations at once; upload a file for more"),
  revisionReason: z.string().trim().max(1000, "Use at most 1,000 characters").default(""),
});
