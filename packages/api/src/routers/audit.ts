import { listAudit } from "@fivestep/db";
import { IdSchema } from "@fivestep/domain";
import { z } from "zod";
import { withAuditWords } from "../audit.ts";
import { adminProcedure, createTRPCRouter, partnershipProcedure } from "../trpc.ts";

const Filter = z.object({
  entity: z.string().trim().max(40).optional(),
  action: z.string().trim().max(40).optional(),
  actorUserId: IdSchema.optional(),
  from: z.iso.datetime({ message: "Use a date and time like 2026-11-26T09:00:00Z" }).optional(),
  to: z.iso.datetime({ message: "Use a date and time like 2026-11-26T17:00:00Z" }).optional(),
  /** The id of the last entry already shown; the next page starts after it. */
  cursor: IdSchema.nullish(),
  limit: z.int().min(1).max(200).default(50),
});

/** The audit trail: every change, who made it, when, before → after, and the change in words (`words`). */
export const auditRouter = createTRPCRouter({
  /** Everything, filtered (system administrators). */
  list: adminProcedure
    .input(Filter.extend({ partnershipId: IdSchema.optional() }))
    .query(async ({ ctx, input }) =>
      withAuditWords(ctx.db, await listAudit(ctx.db, { ...input, beforeId: input.cursor ?? undefined })),
    ),

  /** One partnership's changes (its leads). */
  forPartnership: partnershipProcedure("lead")
    .input(Filter)
    .query(async ({ ctx, input }) =>
      withAuditWords(ctx.db, await listAudit(ctx.db, { ...input, beforeId: input.cursor ?? undefined })),
    ),
});
