import type { Executor } from "../database.ts";

/** One change as the audit trail stores it. */
export interface AuditEntry {
  actorUserId: number | null;
  action: string;
  entity: string;
  entityId: string | number;
  partnershipId: number | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  /** The API token that made the change, when one did (its creator is `actorUserId`). */
  actorTokenId?: number | null;
  at?: string;
}

/** An audit entry as read back, with the actor's name. */
export interface AuditEvent {
  id: number;
  at: string;
  actorUserId: number | null;
  actorName: string | null;
  /** The API token that made the change, and its name, or null. */
  actorTokenId: number | null;
  actorTokenName: string | null;
  action: string;
  entity: string;
  entityId: string;
  partnershipId: number | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
}

/**
 * Records one change. Call it inside the transaction that makes the change, so both land or
 * neither does.
 *
 * @example await recordAudit(trx, { actorUserId: 1, action: "update", entity: "partnership", entityId: 3, partnershipId: 3, before, after, requestId });
 */
export async function recordAudit(db: Executor, e: AuditEntry): Promise<void> {
  await db
    .insertInto("audit_event")
    .values({
      at: e.at ?? new Date().toISOString(),
      actor_user_id: e.actorUserId,
      action: e.action,
      entity: e.entity,
      entity_id: String(e.entityId),
      partnership_id: e.partnershipId,
      before_json: e.before === undefined || e.before === null ? null : JSON.stringify(e.before),
      after_json: e.after === undefined || e.after === null ? null : JSON.stringify(e.after),
      request_id: e.requestId,
      actor_token_id: e.actorTokenId ?? null,
    })
    .execute();
}

/**
 * The action of an audit entry that records a use of an API token (a read, say), not a change:
 * the change counter skips it.
 *
 * @example listAudit(db, { entity: "api_token", action: TOKEN_USE_ACTION })
 */
export const TOKEN_USE_ACTION = "use";

/**
 * The id of the newest audit entry that records a change (0 when none): a counter of changes,
 * since every change is audited in its own transaction; caches compare against it. A token's use
 * (`TOKEN_USE_ACTION`) changes nothing and does not count (a partial index keeps this a lookup).
 *
 * @example const counter = await latestAuditId(db);
 */
export async function latestAuditId(db: Executor): Promise<number> {
  const row = await db
    .selectFrom("audit_event")
    .select((eb) => eb.fn.max("id").as("m"))
    .where("action", "<>", TOKEN_USE_ACTION)
    .executeTakeFirst();
  return Number(row?.m ?? 0);
}

/** Filters for `listAudit`; every one optional. */
export interface AuditFilter {
  entity?: string;
  entityId?: string;
  actorUserId?: number;
  partnershipId?: number;
  action?: string;
  /** ISO timestamps, inclusive. */
  from?: string;
  to?: string;
  /** Return entries older than this id (the next page). */
  beforeId?: number;
  limit?: number;
}

/**
 * Audit entries, newest first, filtered, one page at a time.
 *
 * @example const page = await listAudit(db, { partnershipId: 1, limit: 50 });
 */
export async function listAudit(db: Executor, f: AuditFilter = {}): Promise<AuditEvent[]> {
  let q = db
    .selectFrom("audit_event as e")
    .leftJoin("app_user as u", "u.id", "e.actor_user_id")
    .leftJoin("api_token as t", "t.id", "e.actor_token_id")
    .select([
      "e.id",
      "e.at",
      "e.actor_user_id as actorUserId",
      "u.display_name as actorName",
      "e.actor_token_id as actorTokenId",
      "t.name as actorTokenName",
      "e.action",
      "e.entity",
      "e.entity_id as entityId",
      "e.partnership_id as partnershipId",
      "e.before_json",
      "e.after_json",
      "e.request_id as requestId",
    ]);
  if (f.entity) q = q.where("e.entity", "=", f.entity);
  if (f.entityId) q = q.where("e.entity_id", "=", f.entityId);
  if (f.actorUserId !== undefined) q = q.where("e.actor_user_id", "=", f.actorUserId);
  if (f.partnershipId !== undefined) q = q.where("e.partnership_id", "=", f.partnershipId);
  if (f.action) q = q.where("e.action", "=", f.action);
  if (f.from) q = q.where("e.at", ">=", f.from);
  if (f.to) q = q.where("e.at", "<=", f.to);
  if (f.beforeId !== undefined) q = q.where("e.id", "<", f.beforeId);
  const rows = await q
    .orderBy("e.id", "desc")
    .limit(Math.min(f.limit ?? 50, 500))
    .execute();
  return rows.map(({ before_json, after_json, ...r }) => ({
    ...r,
    before: before_json === null ? null : (JSON.parse(before_json) as unknown),
    after: after_json === null ? null : (JSON.parse(after_json) as unknown),
  }));
}
