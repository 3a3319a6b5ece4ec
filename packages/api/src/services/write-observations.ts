import { Readable } from "node:stream";
import { type Database, findImportFile } from "@fivestep/db";
import {
  type ImportField,
  ImportMappingSchema,
  type ImportProblem,
  type WriteObservationsSchema,
} from "@fivestep/domain";
import type { Kysely } from "kysely";
import type { z } from "zod";
import { defaultUploadDir, storeUpload } from "../import/upload.ts";
import { type CommitImportBatchOutcome, commitImportBatch } from "./commit-import-batch.ts";
import type { Actor } from "./save-import-mapping.ts";

/** Observations as `WriteObservationsSchema` reads them. @example const input: WriteObservationsInput = WriteObservationsSchema.parse(body); */
export type WriteObservationsInput = z.output<typeof WriteObservationsSchema>;

/** The file columns the observations are written under, and the JSON field each one came from. */
const COLUMNS = {
  indicator: "indicatorCode",
  area: "areaCode",
  period: "period",
  value: "value",
  breakdown: "breakdown",
  status: "status",
  note: "note",
} as const;

/**
 * A problem of the import, said of the JSON it came from: the observation's index in the
 * request (`observations[index]`) and its field's name, rather than a file's row and column.
 *
 * @example const p: ObservationProblem = { index: 1, field: "value", value: "740", reason: "…", code: "value.aboveMax", params: {} };
 */
export interface ObservationProblem extends Omit<ImportProblem, "row" | "column"> {
  index: number;
  field: string;
}

// The file's first line is its header, so data row n (1-based, as problems count rows) is
// observation n - 2.
const HEADER_ROWS = 2;

/**
 * A problem of the written file, said of the request's JSON (index and field name).
 *
 * @example observationProblem({ row: 3, column: "value", ... }) // { index: 1, field: "value", ... }
 */
export function observationProblem(p: ImportProblem): ObservationProblem {
  const { row, column, ...rest } = p;
  const field = COLUMNS[column as keyof typeof COLUMNS] ?? (column as ImportField);
  return { ...rest, index: row - HEADER_ROWS, field };
}

const cell = (text: string) => `"${text.replaceAll('"', '""')}"`;

/** The observations as a CSV file's text, one row each in order, every cell quoted. */
function csvOf(input: WriteObservationsInput): string {
  const header = Object.keys(COLUMNS).join(",");
  const rows = input.observations.map((o) =>
    [
      o.indicatorCode,
      o.areaCode,
      o.period,
      o.value === null ? "" : String(o.value),
      o.breakdown,
      o.status,
      o.note,
    ]
      .map(cell)
      .join(","),
  );
  return `${header}\n${rows.join("\n")}\n`;
}

/**
 * Writes observations sent as JSON through the import service, so they meet exactly the checks
 * of a file import (indicator ranges, duplicate keys, locked periods, a pending source's hold)
 * and leave the same trail: the values are kept as an uploaded CSV file (one `import_file`
 * entry) and committed as one `import_batch` — all of them, or none when any has a problem.
 *
 * @example
 * const { outcome } = await writeObservations(db, ctx, { source: "Council returns", observations, revisionReason: "" });
 * if (!outcome.ok) console.log(outcome.check.problems.map(observationProblem));
 */
export async function writeObservations(
  db: Kysely<Database>,
  actor: Actor,
  input: WriteObservationsInput,
  options: { uploadDir?: string } = {},
): Promise<{ fileId: number; outcome: CommitImportBatchOutcome }> {
  const uploaded = await storeUpload(db, actor, {
    body: Readable.from([Buffer.from(csvOf(input), "utf8")]),
    name: "observations.csv",
    dir: options.uploadDir ?? defaultUploadDir(),
  });
  const file = await findImportFile(db, uploaded.fileId);
  if (!file) throw new Error("The observations' file was not kept");
  const mapping = ImportMappingSchema.parse({
    source: input.source,
    columns: Object.fromEntries(Object.keys(COLUMNS).map((c) => [c, c])),
    // Only a JSON null is "no value": every other text is the value a caller sent.
    missingValues: [""],
  });
  const outcome = await commitImportBatch(db, actor, {
    file,
    mapping,
    acceptGoodRows: false,
    revisionReason: input.revisionReason,
  });
  return { fileId: file.id, outcome };
}
