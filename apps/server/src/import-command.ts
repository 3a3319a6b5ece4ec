import { readFileSync } from "node:fs";
import {
  commitImport,
  type ImportCheck,
  type ImportProgress,
  previewImport,
  recomputeStatuses,
  registerLocalFile,
} from "@fivestep/api";
import { type Database, findImportFile, listImportMappings, recordAudit } from "@fivestep/db";
import { type ImportMapping, ImportMappingSchema } from "@fivestep/domain";
import type { Kysely } from "kysely";

/** Options of `fivestep import`. */
export interface ImportCommandOptions {
  /** The source whose remembered mapping to use. */
  mapping?: string;
  /** Or a JSON file holding a mapping. */
  mappingFile?: string;
  acceptGoodRows: boolean;
  out: (line: string) => void;
  err: (line: string) => void;
}

function progressLine(p: ImportProgress): string {
  const pct = p.totalBytes > 0 ? Math.round((100 * p.bytesRead) / p.totalBytes) : 100;
  return `${p.phase}: ${p.rowsProcessed.toLocaleString("en-GB")} rows, ${pct}% of the file, ${p.rowsPerSecond.toLocaleString("en-GB")} rows/s`;
}

function printProblems(check: ImportCheck, err: (line: string) => void): void {
  err(`${check.problemCount} problem(s) in ${check.rejected} row(s):`);
  for (const p of check.problems)
    err(`  row ${p.row}, column "${p.column}", value "${p.value}": ${p.reason}`);
  if (check.problemCount > check.problems.length)
    err(`  … and ${check.problemCount - check.problems.length} more`);
}

/**
 * `fivestep import <file> --mapping <source>`: the same preview and commit an administrator runs
 * in the admin console, for scheduled loads. Returns the exit code: 0 when written (or nothing
 * changed), 1 on problems (nothing written) unless `acceptGoodRows`, 2 for a bad mapping.
 * Audited as one `import_batch` entry with no user (the CLI runs as the machine).
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
      o.err(`No mapping remembered for "${o.mapping}" (remembered: ${known})`);
      return 2;
    }
    mapping = parsed.data;
  }
  const ctx = { session: null, requestId: "cli" };
  const uploaded = await registerLocalFile(db, ctx, path);
  const file = await findImportFile(db, uploaded.fileId);
  if (!file) throw new Error("the file was not registered");
  const source = { path: file.path, format: file.format, size: file.size, name: file.name };
  const onProgress = (p: ImportProgress) => o.out(progressLine(p));

  const check = await previewImport(db, source, mapping, { onProgress });
  if (check.problemCount > 0) {
    printProblems(check, o.err);
    if (!o.acceptGoodRows) {
      o.err("Nothing was written. Fix the file or the mapping, or run again with --accept-good-rows.");
      return 1;
    }
  }
  const result = await commitImport(db, source, mapping, {
    userId: null,
    fileId: file.id,
    acceptGoodRows: o.acceptGoodRows,
    onProgress,
    beforeCommit: async (trx, r) => {
      // One entry for the whole batch, as in the api.
      await recordAudit(trx, {
        actorUserId: null,
        action: "import",
        entity: "import_batch",
        entityId: r.batchId as number,
        partnershipId: null,
        before: null,
        after: {
          version: 1,
          fileId: file.id,
          fileName: file.name,
          source: mapping.source,
          inserted: r.inserted,
          updated: r.updated,
          unchanged: r.unchanged,
          skipped: r.skipped,
          rejected: r.rejected,
        },
        requestId: "cli",
      });
      // Every target the new data touches is judged again, in the same transaction.
      await recomputeStatuses(trx, {
        indicatorCodes: r.indicators.map((i) => i.code),
        cause: `Import batch ${r.batchId} (${file.name}, command line)`,
        batchId: r.batchId,
      });
    },
  });
  o.out(
    result.batchId === null
      ? `Nothing changed: all ${result.unchanged} value(s) were already stored.`
      : `Batch ${result.batchId}: ${result.inserted} new, ${result.updated} changed, ${result.unchanged} unchanged, ${result.skipped} without a value, ${result.rejected} refused.`,
  );
  return 0;
}
