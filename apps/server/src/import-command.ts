import { readFileSync } from "node:fs";
import {
  commitImportBatch,
  FileReadError,
  type FileReading,
  type ImportCheck,
  type ImportProgress,
  lockedChangesViolation,
  MappingError,
  peekFile,
  readOptionsOf,
  registerLocalFile,
} from "@fivestep/api";
import { type Database, findImportFile, listImportMappings } from "@fivestep/db";
import { type ImportMapping, ImportMappingSchema, ruleText } from "@fivestep/domain";
import type { Kysely } from "kysely";

/** Options of `fivestep import`. */
export interface ImportCommandOptions {
  /** The name of the saved mapping to use. */
  mapping?: string;
  /** Or a JSON file holding a mapping. */
  mappingFile?: string;
  acceptGoodRows: boolean;
  /** Save the mapping under this name (`--save-mapping-as`); otherwise no saved mapping changes. */
  saveMappingAs?: string;
  /** Why values of locked periods change (`--revision-reason`): needed when the file changes any. */
  revisionReason?: string;
  out: (line: string) => void;
  err: (line: string) => void;
}

function progressLine(p: ImportProgress): string {
  const pct = p.totalBytes > 0 ? Math.round((100 * p.bytesRead) / p.totalBytes) : 100;
  return `${p.phase}: ${p.rowsProcessed.toLocaleString("en-GB")} rows, ${pct}% of the file, ${p.rowsPerSecond.toLocaleString("en-GB")} rows/s`;
}

/**
 * How the file is read, for the person at the terminal to check: "Reading as windows-1252
 * (suggested by the detector), columns separated by ";", decimal commas; texts with accents:
 * Ynys Môn". Nothing for XLSX beyond the sheet.
 */
function readingLine(r: FileReading): string {
  if (r.encoding === null) return `Reading sheet "${r.sheet ?? ""}" from header row ${r.headerRow}.`;
  const how = {
    chosen: "chosen in the mapping",
    "byte-order mark": "from its byte-order mark",
    "zero bytes": "from its zero bytes",
    "utf-8": "valid UTF-8",
    detector: "suggested by the detector; choose another with the mapping's encoding if names look wrong",
  }[r.encodingFrom ?? "chosen"];
  const sep = r.separator === "\t" ? "tabs" : `"${r.separator}"`;
  return [
    `Reading as ${r.encoding} (${how}), columns separated by ${sep}`,
    r.decimalComma ? ", decimal commas" : "",
    r.nonAscii.length > 0 ? `; texts with accents: ${r.nonAscii.join(", ")}` : "",
    ".",
  ].join("");
}

function printProblems(check: ImportCheck, err: (line: string) => void): void {
  err(`${check.problemCount} problem(s) in ${check.rejected} row(s):`);
  for (const p of check.problems)
    err(`  row ${p.row}, column "${p.column}", value "${p.value}": ${p.reason}`);
  if (check.problemCount > check.problems.length)
    err(`  … and ${check.problemCount - check.problems.length} more`);
  const counted = (u: { value: string; rows: number }) => `"${u.value}" (${u.rows} row(s))`;
  if (check.unknownIndicators.length > 0)
    err(
      `Unknown indicator texts, each listed once above: ${check.unknownIndicators.map(counted).join(", ")}`,
    );
  if (check.unknownAreas.length > 0)
    err(`Unknown area codes, each listed once above: ${check.unknownAreas.map(counted).join(", ")}`);
}

/**
 * `fivestep import <file> --mapping <name>`: the admin console's commit (the same service, the
 * same checks, the same audit), for scheduled loads. Returns the exit code: 0 when written (or
 * nothing changed), 1 on problems (nothing written) unless `acceptGoodRows`, 2 for a bad or
 * unknown mapping or an unreadable file. Audited as one `import_batch` entry with no user (the
 * command line runs as the machine); with `saveMappingAs`, the mapping is saved under that name.
 * A file that changes values of locked periods exits 1, listing them, unless `revisionReason`
 * gives one reason for all (kept with each revision).
 *
 * @example process.exitCode = await importFile(db, "smoking.csv", { mapping: "Trafford Data Lab", acceptGoodRows: false, out: console.log, err: console.error });
 */
export async function importFile(
  db: Kysely<Database>,
  path: string,
  o: ImportCommandOptions,
): Promise<number> {
  let mapping: ImportMapping;
  if (o.mappingFile) {
    const parsed = ImportMappingSchema.safeParse(JSON.parse(readFileSync(o.mappingFile, "utf8")));
    if (!parsed.success) {
      o.err(
        `--mapping-file: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      );
      return 2;
    }
    mapping = parsed.data;
  } else {
    const remembered = (await listImportMappings(db)).find((m) => m.source === o.mapping);
    const parsed = ImportMappingSchema.safeParse(remembered?.mapping);
    if (!parsed.success) {
      const known = (await listImportMappings(db)).map((m) => `"${m.source}"`).join(", ") || "none yet";
      o.err(`No mapping saved as "${o.mapping}" (saved: ${known})`);
      return 2;
    }
    mapping = parsed.data;
  }
  const actor = { session: null, requestId: "cli" };
  const uploaded = await registerLocalFile(db, actor, path);
  const file = await findImportFile(db, uploaded.fileId);
  if (!file) throw new Error("the file was not registered");

  let outcome: Awaited<ReturnType<typeof commitImportBatch>>;
  try {
    o.out(
      readingLine(
        (await peekFile(file.path, file.format, { ...readOptionsOf(mapping), sampleRows: 0 })).reading,
      ),
    );
    outcome = await commitImportBatch(db, actor, {
      file,
      mapping,
      acceptGoodRows: o.acceptGoodRows,
      ...(o.revisionReason !== undefined ? { revisionReason: o.revisionReason } : {}),
      ...(o.saveMappingAs !== undefined ? { saveMappingAs: o.saveMappingAs } : {}),
      onProgress: (p) => o.out(progressLine(p)),
    });
  } catch (error) {
    if (error instanceof MappingError || error instanceof FileReadError) {
      o.err(
        `${error instanceof MappingError ? `The mapping does not fit the file (${error.field})` : "The file cannot be read"}: ${error.message}`,
      );
      return 2;
    }
    throw error;
  }
  if (!outcome.ok && outcome.refusal === "lockedWithoutReason") {
    const check = outcome.check;
    o.err(`${ruleText(lockedChangesViolation(check))}:`);
    for (const c of check.lockedChanges)
      o.err(
        `  row ${c.row}: ${c.indicator} ${c.area} ${c.period}${c.breakdown ? ` (${c.breakdown})` : ""}: ${c.current ?? "no value"} → ${c.value}`,
      );
    if (check.lockedChangeCount > check.lockedChanges.length)
      o.err(`  … and ${check.lockedChangeCount - check.lockedChanges.length} more`);
    o.err('Nothing was written. Run again with --revision-reason "…" to revise them.');
    return 1;
  }
  if (!outcome.ok) {
    printProblems(outcome.check, o.err);
    o.err("Nothing was written. Fix the file or the mapping, or run again with --accept-good-rows.");
    return 1;
  }
  const result = outcome.result;
  if (result.problemCount > 0) printProblems(result, o.err);
  if (outcome.savedMapping && outcome.savedMapping.action !== "unchanged")
    o.out(`Mapping saved as "${outcome.savedMapping.name}".`);
  if (result.pending && result.batchId !== null) {
    o.out(
      `Batch ${result.batchId} is held for approval (imports from "${mapping.source}" arrive pending): ${result.inserted} new and ${result.updated} changed value(s) wait for an administrator to approve them under "Pending imports" in the admin console; ${result.unchanged} unchanged.`,
    );
    return 0;
  }
  o.out(
    result.batchId === null
      ? `Nothing changed: all ${result.unchanged} value(s) were already stored.`
      : `Batch ${result.batchId}: ${result.inserted} new, ${result.updated} changed, ${result.unchanged} unchanged, ${result.skipped} without a value, ${result.rejected} refused${result.filtered > 0 ? `, ${result.filtered} left out by the filter` : ""}.`,
  );
  return 0;
}
