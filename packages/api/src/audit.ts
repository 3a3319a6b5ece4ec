import { type Executor, recordAudit } from "@fivestep/db";
import type { Context } from "./context.ts";

/** One change for the audit trail. @example const e: AuditEntry = { action: "lock", entity: "period_lock", entityId: 3, partnershipId: null, before: null, after: { period: "2007 Q2" } }; */
export interface AuditEntry {
  action: string;
  entity: string;
  entityId: number | string;
  partnershipId: number | null;
  before: unknown;
  after: unknown;
  /** Who acted, when not the session's user (signing in, accepting an invitation). */
  actorUserId?: number;
}

/**
 * Records a change made by the caller in the same transaction as the change; a change made with
 * an API token is recorded under the token ("token 'Warehouse nightly' of Ann Admin").
 *
 * @example await audit(trx, ctx, { action: "update", entity: "app_user", entityId: id, partnershipId: null, before, after });
 */
export function audit(
  trx: Executor,
  ctx: Pick<Context, "session" | "requestId"> & Partial<Pick<Context, "token">>,
  e: AuditEntry,
): Promise<void> {
  const { actorUserId, ...rest } = e;
  return recordAudit(trx, {
    ...rest,
    actorUserId: actorUserId ?? ctx.session?.user.id ?? null,
    // A change made with an API token names the token beside its creator.
    actorTokenId: ctx.token?.id ?? null,
    requestId: ctx.requestId,
  });
}
