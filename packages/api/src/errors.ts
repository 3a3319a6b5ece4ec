import { TRPCError } from "@trpc/server";

/** Carries the record as it now is, so the client can show the newer values. */
export class ConflictError extends Error {
  constructor(readonly current: unknown) {
    super("The record was changed by someone else");
    this.name = "ConflictError";
  }
}

/**
 * The error for an update that matched no row: CONFLICT with the current record when it exists
 * (someone else saved first), NOT_FOUND when it does not.
 *
 * @example if (!updated) throw staleOrMissing("user", current && toUserView(current));
 */
export function staleOrMissing(what: string, current: unknown): TRPCError {
  if (current === undefined || current === null) {
    return new TRPCError({ code: "NOT_FOUND", message: `That ${what} no longer exists` });
  }
  return new TRPCError({
    code: "CONFLICT",
    message: `Someone else changed this ${what} while you were editing it. Your changes were not saved; the current values are shown.`,
    cause: new ConflictError(current),
  });
}
