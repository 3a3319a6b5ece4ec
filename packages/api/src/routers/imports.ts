import {
  findImportFile,
  findVersioned,
  type ImportFileView,
  listImportBatches,
  listImportMappings,
  listPendingValues,
  listRevisions,
  markBatchRolledBack,
  nowIso,
  rollbackObservations,
  setImportFileMapping,
} from "@fivestep/db";
import {
  AreaCodeSchema,
  AreaSchema,
  IdSchema,
  type ImportMapping,
  ImportMappingSchema,
  ImportReadingSchema,
  IndicatorCodeSchema,
  mappedColumns,
  RevisionReasonSchema,
  VersionSchema,
} from "@fivestep/domain";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { audit } from "../audit.ts";
import type { Context } from "../context.ts";
import { staleOrMissing } from "../errors.ts";
import { fieldError, ruleError } from "../field-error.ts";
import { type ImportSource, lockedChangesViolation, MappingError, previewImport } from "../import/engine.ts";
import { progressOf, setProgress } from "../import/progress.ts";
import { FileReadError, peekFile, readOptionsOf } from "../import/read-rows.ts";
import { suggestColumns } from "../import/suggest.ts";
import { importCommitJob } from "../jobs/import-commit.ts";
import { startAuditedJob } from "../jobs/start.ts";
import { recomputeStatuses } from "../monitoring.ts";
import { commitImportBatch } from "../services/commit-import-batch.ts";
import { createAreas } from "../services/create-areas.ts";
import { approveImportBatch, rejectImportBatch } from "../services/review-import-batch.ts";
import { saveImportMapping } from "../services/save-import-mapping.ts";
import { adminProcedure, createTRPCRouter, transactional } from "../trpc.ts";

/**
 * The uploaded file with an id, or NOT_FOUND.
 *
 * @example const file = await fileFor(ctx, input.fileId);
 */
export async function fileFor(ctx: Pick<Context, "db">, fileId: number): Promise<ImportFileView> {
  const file = await findImportFile(ctx.db, fileId);
  if (!file)
    throw new TRPCError({
      code: "NOT_FOUND",
      message: "That uploaded file no longer exists; upload it again",
    });
  return file;
}

const sourceOf = (f: ImportFileView): ImportSource => ({
  path: f.path,
  format: f.format,
  size: f.size,
  name: f.name,
});

function mappingError(error: unknown): never {
  if (error instanceof MappingError)
    throw fieldError(error.field === "file" ? "fileId" : error.field, error.message);
  if (error instanceof FileReadError) throw fieldError("fileId", error.message);
  throw error;
}

// `read`: how to read the file (encoding, separator, header row, sheet…); the last preview's when omitted.
const FileInput = z.object({ fileId: IdSchema, read: ImportReadingSchema.optional() });

/** The name a mapping is saved under. */
const MappingNameSchema = z.string().trim().min(1, "Name the mapping").max(120, "Use at most 120 characters");

/** Data import: uploaded files (see `POST /api/imports`), preview, commit, progress, batches, rollback. */
export const importsRouter = createTRPCRouter({
  /**
   * An uploaded file: its columns, first rows, the mapping of its last preview, a guess at the
   * columns from their names, and the remembered mappings whose columns the file has.
   */
  file: adminProcedure.input(FileInput).query(async ({ ctx, input }) => {
    const file = await fileFor(ctx, input.fileId);
    // The file read as chosen: its columns, first rows and how it was read (`reading`); when it
    // cannot be read so, the upload's columns and `readError`, so another choice can be made.
    const read = readOptionsOf(input.read ?? ImportReadingSchema.safeParse(file.mapping ?? {}).data);
    const peek = await peekFile(file.path, file.format, { ...read, sampleRows: 10 }).catch((error) => {
      if (error instanceof FileReadError) return { error: error.message };
      throw error;
    });
    const fileColumns = "error" in peek ? file.columns : peek.columns;
    const sample = "error" in peek ? [] : peek.sample;
    const remembered = (await listImportMappings(ctx.db)).filter((m) => {
      const parsed = ImportMappingSchema.safeParse(m.mapping);
      return parsed.success && mappedColumns(parsed.data).every((c) => fileColumns.includes(c));
    });
    return {
      fileId: file.id,
      version: file.version,
      name: file.name,
      format: file.format,
      size: file.size,
      uploadedAt: file.uploadedAt,
      columns: fileColumns,
      sample,
      reading: "error" in peek ? null : peek.reading,
      readError: "error" in peek ? peek.error : peek.readError,
      mapping: file.mapping as ImportMapping | null,
      suggestedColumns: suggestColumns(fileColumns),
      rememberedMappings: remembered.map((m) => ({ source: m.source, mapping: m.mapping as ImportMapping })),
    };
  }),

  /** The mappings remembered per source. */
  mappings: adminProcedure.query(async ({ ctx }) =>
    (await listImportMappings(ctx.db)).map((m) => ({ ...m, mapping: m.mapping as ImportMapping })),
  ),

  /**
   * Reads the whole file with the mapping and lists every problem (row, column, value, reason),
   * writing no data. The mapping is kept on the file for the commit (one `import_file` audit entry).
   */
  preview: adminProcedure
    .input(z.object({ fileId: IdSchema, mapping: ImportMappingSchema }))
    .mutation(async ({ ctx, input }) => {
      const file = await fileFor(ctx, input.fileId);
      const check = await previewImport(ctx.db, sourceOf(file), input.mapping, {
        fileId: file.id,
        onProgress: (p) => setProgress(file.id, p),
      }).catch(mappingError);
      await ctx.db.transaction().execute(async (trx) => {
        await setImportFileMapping(trx, file.id, input.mapping);
        await audit(trx, ctx, {
          action: "preview",
          entity: "import_file",
          entityId: file.id,
          partnershipId: null,
          before: { version: file.version, mapping: file.mapping },
          after: { version: file.version + 1, mapping: input.mapping },
        });
      });
      return { fileId: file.id, ...check };
    }),

  /**
   * Writes the file with the mapping of its last preview, in one transaction: every accepted row
   * or nothing. It runs the preview's checks again: with problems it writes nothing and answers
   * `{ ok: false, check }` (the same list the preview gives), unless `acceptGoodRows` (then the
   * good rows are written and the rest listed). Unchanged values are left alone (`batchId` null
   * when nothing changed); changed ones keep a revision. Audited as one `import_batch` entry with
   * the counts (not one per value). The mapping is saved only when `saveMappingAs` names it.
   * A file that changes values of locked periods (the preview's `lockedChanges`) needs one
   * `revisionReason` for all, kept with each such revision; without it, BAD_REQUEST
   * (`import.lockedNeedsReason` with the count) and nothing written.
   */
  commit: adminProcedure
    .input(
      z.object({
        fileId: IdSchema,
        acceptGoodRows: z.boolean().default(false),
        saveMappingAs: MappingNameSchema.optional(),
        revisionReason: RevisionReasonSchema.default(""),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const file = await fileFor(ctx, input.fileId);
      const parsed = ImportMappingSchema.safeParse(file.mapping);
      if (!parsed.success) throw fieldError("fileId", "Preview the file with a mapping before committing it");
      const outcome = await commitImportBatch(ctx.db, ctx, {
        file,
        mapping: parsed.data,
        acceptGoodRows: input.acceptGoodRows,
        revisionReason: input.revisionReason,
        ...(input.saveMappingAs !== undefined ? { saveMappingAs: input.saveMappingAs } : {}),
        onProgress: (p) => setProgress(file.id, p),
      }).catch(mappingError);
      if (!outcome.ok && outcome.refusal === "lockedWithoutReason")
        throw ruleError("revisionReason", lockedChangesViolation(outcome.check));
      return outcome.ok
        ? { ok: true as const, result: outcome.result }
        : { ok: false as const, check: outcome.check };
    }),

  /**
   * Starts the commit of `commit` as a job (kind "import.commit") and answers its id at once:
   * the admin console follows it with `jobs.get` (state, progress, and the result `commit` would
   * answer). The same checks as `commit` run first (the file exists and has been previewed).
   * Audited as a `job` "start" entry; the job's own `import_batch` entry carries this request's id.
   */
  startCommit: adminProcedure
    .input(
      z.object({
        fileId: IdSchema,
        acceptGoodRows: z.boolean().default(false),
        saveMappingAs: MappingNameSchema.optional(),
        revisionReason: RevisionReasonSchema.default(""),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const file = await fileFor(ctx, input.fileId);
      if (!ImportMappingSchema.safeParse(file.mapping).success)
        throw fieldError("fileId", "Preview the file with a mapping before committing it");
      const payload = {
        fileId: file.id,
        acceptGoodRows: input.acceptGoodRows,
        revisionReason: input.revisionReason,
        ...(input.saveMappingAs !== undefined ? { saveMappingAs: input.saveMappingAs } : {}),
      };
      const jobId = await startAuditedJob(ctx, {
        kind: importCommitJob.name,
        payload,
        partnershipId: null,
        after: { kind: importCommitJob.name, fileId: file.id, fileName: file.name },
      });
      return { jobId };
    }),

  /**
   * Saves a mapping under a name ("Save mapping as…"), replacing the one saved under that name
   * before; audited as `import_mapping` create or update (nothing when unchanged). Previews and
   * commits never change a saved mapping.
   */
  saveMapping: adminProcedure
    .input(z.object({ name: MappingNameSchema, mapping: ImportMappingSchema }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction().execute((trx) => saveImportMapping(trx, ctx, input.name, input.mapping)),
    ),

  /**
   * Adds the areas a preview found unknown, named from the file's area-name column, each with a
   * type and parent (an existing area, or one earlier in the list); preview again afterwards. One
   * `area` "create" audit entry per area; all or none.
   */
  addAreas: adminProcedure
    .input(z.object({ areas: z.array(AreaSchema).min(1, "Choose at least one area").max(200) }))
    .mutation(async ({ ctx, input }) => ({ created: await createAreas(ctx.db, ctx, input.areas) })),

  /** The latest progress of a file's preview or commit in this server process, or null. */
  status: adminProcedure.input(z.object({ fileId: IdSchema })).query(({ input }) => progressOf(input.fileId)),

  /** Committed batches, newest first. */
  batches: adminProcedure
    .input(z.object({ limit: z.int().min(1).max(500).default(50) }).default({ limit: 50 }))
    .query(({ ctx, input }) => listImportBatches(ctx.db, { limit: input.limit })),

  /**
   * One batch with its first value revisions; a held (pending) batch also with its first 200
   * held values beside the values stored now, and how many it holds per indicator. `mine` marks
   * a batch the caller sent (someone else must approve it).
   */
  batch: adminProcedure.input(z.object({ batchId: IdSchema })).query(async ({ ctx, input }) => {
    const [batch] = await listImportBatches(ctx.db, { id: input.batchId });
    if (!batch) throw new TRPCError({ code: "NOT_FOUND", message: "That import batch does not exist" });
    return {
      ...batch,
      mine: batch.committedById === ctx.session.user.id,
      revisions: await listRevisions(ctx.db, { batchId: input.batchId, limit: 200 }),
      held: batch.status === "pending" ? await listPendingValues(ctx.db, batch.id, 200) : null,
    };
  }),

  /**
   * The approval queue: batches held for approval (their sources' imports arrive pending), oldest
   * first; `mine` marks those the caller sent.
   */
  pendingBatches: adminProcedure.query(async ({ ctx }) =>
    (await listImportBatches(ctx.db, { status: "pending", limit: 500 }))
      .map((b) => ({ ...b, mine: b.committedById === ctx.session.user.id }))
      .reverse(),
  ),

  /**
   * Approves a held batch against the version seen, in one transaction: its values go into the
   * data (replaced ones kept as revisions of the batch, which can later be rolled back), and the
   * targets of its indicators are judged again with the approval as the cause. Nobody approves a
   * batch they sent (FORBIDDEN). Changes of locked values need a reason: `revisionReason`, or the
   * one given when it was sent.
   */
  approveBatch: adminProcedure
    .use(transactional)
    .input(
      z.object({
        batchId: IdSchema,
        version: VersionSchema,
        revisionReason: RevisionReasonSchema.default(""),
      }),
    )
    .mutation(({ ctx, input }) => approveImportBatch(ctx.db, ctx.trx, ctx, { ...input, at: nowIso() })),

  /** Rejects a held batch with a reason: its values are deleted unwritten, and its sender is told why. */
  rejectBatch: adminProcedure
    .input(
      z.object({
        batchId: IdSchema,
        version: VersionSchema,
        reason: z
          .string()
          .trim()
          .min(1, "Say why the batch is rejected")
          .max(1000, "Use at most 1,000 characters"),
      }),
    )
    .use(transactional)
    .mutation(({ ctx, input }) => rejectImportBatch(ctx.trx, ctx, { ...input, at: nowIso() })),

  /** Value revisions (old value, new value, batch, who, when), newest first. */
  revisions: adminProcedure
    .input(
      z.object({
        batchId: IdSchema.optional(),
        indicatorCode: IndicatorCodeSchema.optional(),
        areaCode: AreaCodeSchema.optional(),
        limit: z.int().min(1).max(1000).default(100),
      }),
    )
    .query(({ ctx, input }) => listRevisions(ctx.db, input)),

  /**
   * Undoes a batch against the version seen: deletes the values it added and restores those it
   * changed. Refused while a later batch has changed the same values (roll that back first), and
   * when a value of the batch was since changed outside an import (an approved data return):
   * a rollback never overwrites a later approved value.
   */
  rollback: adminProcedure
    .input(z.object({ batchId: IdSchema, version: VersionSchema }))
    .mutation(async ({ ctx, input }) =>
      ctx.db.transaction().execute(async (trx) => {
        const before = await findVersioned(trx, "import_batch", input.batchId);
        if (!before) throw staleOrMissing("import batch", null);
        if (before.status === "pending")
          throw fieldError("batchId", "This batch waits for approval and wrote nothing: reject it instead");
        if (before.status === "rejected")
          throw fieldError("batchId", "This batch was rejected and wrote nothing");
        if (before.status !== "committed")
          throw fieldError("batchId", "This batch has already been rolled back");
        const at = nowIso();
        const undone = await rollbackObservations(trx, input.batchId);
        if (undone.blockedBy.length > 0) {
          throw fieldError(
            "batchId",
            `Later batches changed these values; roll back batch ${undone.blockedBy.join(", ")} first`,
          );
        }
        if (undone.changedSince > 0) {
          throw fieldError(
            "batchId",
            `${undone.changedSince} value(s) of this batch were changed since outside an import (an approved data return); rolling it back would overwrite them, so nothing was rolled back`,
          );
        }
        if (
          !(await markBatchRolledBack(trx, input.batchId, input.version, { by: ctx.session.user.id, at }))
        ) {
          throw staleOrMissing("import batch", before);
        }
        const after = await findVersioned(trx, "import_batch", input.batchId);
        await recomputeStatuses(trx, {
          cause: `Rollback of import batch ${input.batchId}`,
          batchId: input.batchId,
          at,
        });
        await audit(trx, ctx, {
          action: "rollback",
          entity: "import_batch",
          entityId: input.batchId,
          partnershipId: null,
          before: { version: before.version, status: before.status },
          after: {
            version: after?.version,
            status: after?.status,
            deleted: undone.deleted,
            restored: undone.restored,
          },
        });
        return { batchId: input.batchId, deleted: undone.deleted, restored: undone.restored };
      }),
    ),
});
