import { type Database, type ImportFileView, importSourceArrivesPending } from "@fivestep/db";
import type { ImportMapping } from "@fivestep/domain";
import type { Kysely } from "kysely";
import { audit } from "../audit.ts";
import {
  commitImport,
  type ImportCheck,
  ImportRejected,
  type ImportResult,
  LockedChangesRefused,
  type ProgressCallback,
} from "../import/engine.ts";
import { recomputeStatuses } from "../monitoring.ts";
import { type Actor, type SavedMapping, saveImportMapping } from "./save-import-mapping.ts";

/** What committing a file asks for. */
export interface CommitImportBatchInput {
  /** The uploaded (or registered) file. */
  file: Pick<ImportFileView, "id" | "name" | "path" | "format" | "size">;
  mapping: ImportMapping;
  /** Write the good rows even when others have problems (default: write nothing then). */
  acceptGoodRows?: boolean;
  /** Why values of locked periods change: needed when the file changes any (one reason for all). */
  revisionReason?: string;
  /** Also save the mapping under this name (see `saveImportMapping`). */
  saveMappingAs?: string;
  onProgress?: ProgressCallback;
  /**
   * Called between chunks and before the transaction commits: what it throws (a job's
   * `JobCancelledError`) rolls the commit back, so nothing of the batch is written.
   */
  checkpoint?: () => Promise<void>;
}

/**
 * A commit's outcome: what it wrote, or what stopped it (nothing written): `problems` in rows, or
 * `lockedWithoutReason`, changes of locked values (`check.lockedChanges`) and no revision reason.
 */
export type CommitImportBatchOutcome =
  | { ok: true; result: ImportResult; savedMapping: SavedMapping | null }
  | { ok: false; check: ImportCheck; refusal: "problems" | "lockedWithoutReason" };

/**
 * Commits an import: the one way data files are written, for the admin console, the command line
 * and jobs alike. In one transaction: every accepted row (or nothing, when a row has a problem and
 * `acceptGoodRows` is not set), one `import_batch` audit entry with the counts (not one per value:
 * an import may write millions), the status of every target the new data touches judged again,
 * and the mapping saved when asked. When the mapping's source (or the name it is saved under) is
 * marked "arrives pending", the rows are held on a pending batch for another administrator to
 * approve (`approveImportBatch`) and no status moves (`result.pending`). A file that changes values of locked periods is refused
 * without `revisionReason`; with one, each such change's revision keeps it. A file that changes nothing leaves no batch; a mapping it was
 * asked to save is still saved. A mapping that does not fit the file throws `MappingError`; an
 * unreadable file, `FileReadError`.
 *
 * @example
 * const outcome = await commitImportBatch(db, ctx, { file, mapping, acceptGoodRows: false, saveMappingAs: "Nomis" });
 * if (!outcome.ok) console.log(outcome.check.problems);
 */
export async function commitImportBatch(
  db: Kysely<Database>,
  actor: Actor,
  input: CommitImportBatchInput,
): Promise<CommitImportBatchOutcome> {
  const { file, mapping } = input;
  // A source the administrator marked "arrives pending" (by the mapping's source name, or the
  // name it is being saved under) sends its rows to the approval queue, not into the data.
  const hold =
    (await importSourceArrivesPending(db, mapping.source)) ||
    (input.saveMappingAs !== undefined && (await importSourceArrivesPending(db, input.saveMappingAs)));
  let savedMapping: SavedMapping | null = null;
  let result: ImportResult;
  try {
    result = await commitImport(
      db,
      { path: file.path, format: file.format, size: file.size, name: file.name },
      mapping,
      {
        userId: actor.session?.user.id ?? null,
        fileId: file.id,
        acceptGoodRows: input.acceptGoodRows ?? false,
        hold,
        ...(input.revisionReason !== undefined ? { revisionReason: input.revisionReason } : {}),
        ...(input.onProgress ? { onProgress: input.onProgress } : {}),
        ...(input.checkpoint ? { checkpoint: input.checkpoint } : {}),
        beforeCommit: async (trx, r) => {
          const batchId = r.batchId as number;
          await audit(trx, actor, {
            action: "import",
            entity: "import_batch",
            entityId: batchId,
            partnershipId: null,
            before: null,
            after: {
              version: 1,
              status: r.pending ? "pending" : "committed",
              fileId: file.id,
              fileName: file.name,
              source: mapping.source,
              inserted: r.inserted,
              updated: r.updated,
              unchanged: r.unchanged,
              skipped: r.skipped,
              rejected: r.rejected,
            },
          });
          // Held rows are not data yet: statuses move when the batch is approved.
          if (!r.pending)
            await recomputeStatuses(trx, {
              indicatorCodes: r.indicators.map((i) => i.code),
              cause: `Import batch ${batchId} (${file.name})`,
              batchId,
            });
          if (input.saveMappingAs !== undefined)
            savedMapping = await saveImportMapping(trx, actor, input.saveMappingAs, mapping);
        },
      },
    );
  } catch (error) {
    if (error instanceof ImportRejected) return { ok: false, check: error.check, refusal: "problems" };
    if (error instanceof LockedChangesRefused)
      return { ok: false, check: error.check, refusal: "lockedWithoutReason" };
    throw error;
  }
  // Nothing changed, so no transaction was kept: the mapping is saved on its own.
  const name = input.saveMappingAs;
  if (name !== undefined && result.batchId === null) {
    savedMapping = await db.transaction().execute((trx) => saveImportMapping(trx, actor, name, mapping));
  }
  return { ok: true, result, savedMapping };
}
