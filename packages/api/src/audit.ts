import { type AuditEvent, type Executor, recordAudit, TOKEN_USE_ACTION } from "@fivestep/db";
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

/** The input fields a token's use records: ids and codes, never free text or values. */
const NAMED = /^(?:id|.+Id|.+Ids|.+Code|.+Codes|period)$/;

/**
 * What a call's input names, for the audit trail: its ids and codes (`planId`, `areaCodes`,
 * `period`…), each short and at most 20 of a list; nothing else (no text, values or files).
 *
 * @example namedInIds({ partnershipId: 1, planId: 3, note: "…" }) // { partnershipId: 1, planId: 3 }
 */
export function namedInIds(raw: unknown): Record<string, unknown> {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return {};
  const plain = (v: unknown) => typeof v === "number" || (typeof v === "string" && v.length <= 80);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!NAMED.test(key)) continue;
    if (plain(value)) out[key] = value;
    else if (Array.isArray(value)) out[key] = value.filter(plain).slice(0, 20);
  }
  return out;
}

/** One use of an API token: the procedure it called, what the input named, and how it ended. */
export interface TokenUse {
  /** The procedure's path (`plan.overview`); a REST route calls the procedure it names. */
  procedure: string;
  type: "query" | "mutation" | "subscription";
  raw: unknown;
  /** "ok", or the error's code (FORBIDDEN, NOT_FOUND…). */
  outcome: string;
}

/**
 * Records one use of an API token (reads included) under the token and its creator: action
 * `use` on the token itself, naming the procedure and the ids it was asked for, never the
 * secret. One insert on its own, after the call: no transaction is held across the read.
 *
 * @example await auditTokenUse(ctx, { procedure: "plan.byId", type: "query", raw: input, outcome: "ok" });
 */
export function auditTokenUse(
  ctx: Pick<Context, "db" | "session" | "requestId" | "token" | "clock">,
  use: TokenUse,
): Promise<void> {
  const token = ctx.token;
  if (!token) return Promise.resolve();
  return recordAudit(ctx.db, {
    actorUserId: ctx.session?.user.id ?? null,
    actorTokenId: token.id,
    action: TOKEN_USE_ACTION,
    entity: "api_token",
    entityId: token.id,
    // The token's own partnership (a lead's token), so its trail shows the use; an
    // administrator's token is in the system's trail, the partnership asked for among the ids.
    partnershipId: token.partnershipId,
    before: null,
    after: { procedure: use.procedure, type: use.type, ids: namedInIds(use.raw), outcome: use.outcome },
    requestId: ctx.requestId,
    at: new Date(ctx.clock()).toISOString(),
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
