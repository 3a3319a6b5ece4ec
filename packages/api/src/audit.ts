import { type AuditEvent, type Executor, recordAudit } from "@fivestep/db";
import { type AuditWords, auditWords } from "@fivestep/domain";
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

/**
 * Audit entries with their sentences (`auditWords`): the people a membership or account entry
 * names only by id are looked up, so a sentence says "Ed Editor", not "#12".
 *
 * @example const rows = await withAuditWords(db, await listAudit(db, { partnershipId }));
 */
export async function withAuditWords(
  db: Executor,
  events: readonly AuditEvent[],
): Promise<Array<AuditEvent & { words: AuditWords[] }>> {
  const ids = new Set<number>();
  for (const e of events) {
    if (e.entity === "app_user" && /^\d+$/.test(e.entityId)) ids.add(Number(e.entityId));
    if (e.entity === "membership")
      for (const side of [e.before, e.after]) {
        const userId = (side as { userId?: unknown } | null)?.userId;
        if (typeof userId === "number") ids.add(userId);
      }
  }
  const names = new Map<number, string>();
  if (ids.size > 0) {
    const rows = await db
      .selectFrom("app_user")
      .select(["id", "display_name"])
      .where("id", "in", [...ids])
      .execute();
    for (const r of rows) names.set(r.id, r.display_name);
  }
  return events.map((e) => ({ ...e, words: auditWords(e, { user: (id) => names.get(id) }) }));
}
