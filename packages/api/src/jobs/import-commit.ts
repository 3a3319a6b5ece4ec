import { findImportFile } from "@fivestep/db";
import { IdSchema, ImportMappingSchema, RevisionReasonSchema, ruleText } from "@fivestep/domain";
import { z } from "zod";
import { type ImportCheck, lockedChangesViolation, MAX_PROBLEMS } from "../import/engine.ts";
import { commitImportBatch } from "../services/commit-import-batch.ts";
import { defineJobKind } from "./kinds.ts";

/** How many of a file's problems a job's result keeps: as many as a preview lists (`MAX_PROBLEMS`). */
export const JOB_PROBLEMS = MAX_PROBLEMS;

/** The payload of an import commit job: the uploaded file and the commit's choices. */
export const ImportCommitPayloadSchema = z.object({
  fileId: IdSchema,
  acceptGoodRows: z.boolean().default(false),
  saveMappingAs: z.string().trim().min(1).max(120).optional(),
  revisionReason: RevisionReasonSchema.default(""),
});

/** A check as a job's result keeps it: counts, and the first `JOB_PROBLEMS` problems. */
function trimmed(check: ImportCheck): ImportCheck {
  return {
    ...check,
    problems: check.problems.slice(0, JOB_PROBLEMS),
    unknownIndicators: check.unknownIndicators.slice(0, JOB_PROBLEMS),
    unknownAreas: check.unknownAreas.slice(0, JOB_PROBLEMS),
  };
}

/**
 * The job kind "import.commit": commits an uploaded file with the mapping of its last preview
 * through `commitImportBatch` (the same service the CLI uses), targets judged again inside the
 * same transaction. Progress counts rows, of a total estimated from the bytes read. The result
 * is what `imports.commit` answers — `{ ok: true, result }` or `{ ok: false, refusal, check }`
 * (a refused file fails the job with the reason, nothing written). It checks for a cancel
 * between chunks and before committing: a cancelled commit writes nothing, and its file can be
 * committed again.
 *
 * @example await jobs.enqueue({ kind: importCommitJob.name, payload: { fileId: 3 }, startedBy: 1 });
 */
export const importCommitJob = defineJobKind({
  name: "import.commit",
  payload: ImportCommitPayloadSchema,
  partnershipOf: () => null,
  async run(ctx, payload) {
    const file = await findImportFile(ctx.db, payload.fileId);
    if (!file) throw new Error("That uploaded file no longer exists; upload it again");
    const mapping = ImportMappingSchema.safeParse(file.mapping);
    if (!mapping.success) throw new Error("Preview the file with a mapping before committing it");
    ctx.progress({ done: 0, total: null, message: "import.commit" });
    const outcome = await commitImportBatch(ctx.db, ctx.actor, {
      file,
      mapping: mapping.data,
      acceptGoodRows: payload.acceptGoodRows,
      revisionReason: payload.revisionReason,
      ...(payload.saveMappingAs !== undefined ? { saveMappingAs: payload.saveMappingAs } : {}),
      // A cancel stops the commit before its next chunk (every 2,000 accepted rows) or before it
      // commits: the transaction rolls back, so no row, batch or audit entry of it is kept and
      // the uploaded file stays, ready to be committed again.
      checkpoint: ctx.checkpoint,
      onProgress: (p) =>
        ctx.progress({
          done: p.rowsProcessed,
          total: p.done
            ? p.rowsProcessed
            : p.bytesRead > 0
              ? Math.max(p.rowsProcessed, Math.round((p.rowsProcessed * p.totalBytes) / p.bytesRead))
              : null,
          message: p.done ? "import.written" : "import.commit",
        }),
    });
    if (outcome.ok) {
      const { problems, unknownIndicators, unknownAreas, ...counts } = outcome.result;
      return {
        ok: true as const,
        result: {
          ...counts,
          problems: problems.slice(0, JOB_PROBLEMS),
          unknownIndicators: unknownIndicators.slice(0, JOB_PROBLEMS),
          unknownAreas: unknownAreas.slice(0, JOB_PROBLEMS),
        },
      };
    }
    return {
      ok: false as const,
      refusal: outcome.refusal,
      check: trimmed(outcome.check),
      failed:
        outcome.refusal === "lockedWithoutReason"
          ? ruleText(lockedChangesViolation(outcome.check))
          : `${outcome.check.rejected} row(s) have problems; nothing was written`,
    };
  },
});
