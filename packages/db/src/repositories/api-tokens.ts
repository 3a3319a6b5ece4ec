import type { Executor } from "../database.ts";
import type { ApiTokenRow, NewApiToken } from "../tables/api-token.table.ts";

/** A token as lists show it: never its hash. */
export interface ApiTokenView {
  id: number;
  name: string;
  prefix: string;
  scopes: string[];
  sources: string[];
  partnershipId: number | null;
  partnershipName: string | null;
  createdBy: number;
  createdByName: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  version: number;
}

const strings = (json: string): string[] => {
  const v: unknown = JSON.parse(json);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
};

function viewQuery(db: Executor) {
  return db
    .selectFrom("api_token as t")
    .innerJoin("app_user as u", "u.id", "t.created_by")
    .leftJoin("partnership as p", "p.id", "t.partnership_id")
    .select([
      "t.id",
      "t.name",
      "t.prefix",
      "t.scopes_json",
      "t.sources_json",
      "t.partnership_id as partnershipId",
      "p.name as partnershipName",
      "t.created_by as createdBy",
      "u.display_name as createdByName",
      "t.created_at as createdAt",
      "t.expires_at as expiresAt",
      "t.last_used_at as lastUsedAt",
      "t.revoked_at as revokedAt",
      "t.version",
    ]);
}

type ViewRow = Awaited<ReturnType<ReturnType<typeof viewQuery>["execute"]>>[number];
const toView = ({ scopes_json, sources_json, ...r }: ViewRow): ApiTokenView => ({
  ...r,
  scopes: strings(scopes_json),
  sources: strings(sources_json),
});

/**
 * Stores a new token (its hash, never the secret).
 *
 * @example const row = await insertApiToken(trx, { name: "Warehouse nightly", prefix: "fst_Ab12Cd34", hash, scopes_json: '["import:write"]', sources_json: '["ONS APS"]', partnership_id: null, created_by: 1, created_at: now, expires_at, last_used_at: null, revoked_at: null, revoked_by: null });
 */
export async function insertApiToken(db: Executor, t: NewApiToken): Promise<ApiTokenRow> {
  return db.insertInto("api_token").values(t).returningAll().executeTakeFirstOrThrow();
}

/**
 * Tokens, newest first: every token, or those of one partnership, or those one person made.
 *
 * @example const mine = await listApiTokens(db, { partnershipId: 2 });
 */
export async function listApiTokens(
  db: Executor,
  filter: { partnershipId?: number; createdBy?: number; id?: number } = {},
): Promise<ApiTokenView[]> {
  let q = viewQuery(db);
  if (filter.partnershipId !== undefined) q = q.where("t.partnership_id", "=", filter.partnershipId);
  if (filter.createdBy !== undefined) q = q.where("t.created_by", "=", filter.createdBy);
  if (filter.id !== undefined) q = q.where("t.id", "=", filter.id);
  return (await q.orderBy("t.id", "desc").execute()).map(toView);
}

/** The token whose hash this is, with its creator's name and status, or undefined. */
export interface ApiTokenMatch {
  token: ApiTokenView;
  creator: { id: number; email: string; display_name: string; is_admin: number; status: string };
}

/**
 * The token with this hash, revoked or expired or not (the caller judges), with its creator.
 *
 * @example const found = await findApiTokenByHash(db, sha256(secret));
 */
export async function findApiTokenByHash(db: Executor, hash: string): Promise<ApiTokenMatch | undefined> {
  const row = await viewQuery(db)
    .select(["u.email as creatorEmail", "u.is_admin as creatorIsAdmin", "u.status as creatorStatus"])
    .where("t.hash", "=", hash)
    .executeTakeFirst();
  if (!row) return undefined;
  const { creatorEmail, creatorIsAdmin, creatorStatus, ...rest } = row;
  const token = toView(rest);
  return {
    token,
    creator: {
      id: token.createdBy,
      email: creatorEmail,
      display_name: token.createdByName,
      is_admin: creatorIsAdmin,
      status: creatorStatus,
    },
  };
}

/**
 * Marks a token revoked at a version; returns the row, or undefined when the version is stale,
 * the token missing or already revoked.
 *
 * @example const row = await revokeApiToken(trx, 4, 1, { by: 1, at: nowIso() });
 */
export async function revokeApiToken(
  db: Executor,
  id: number,
  version: number,
  by: { by: number; at: string },
): Promise<ApiTokenRow | undefined> {
  return db
    .updateTable("api_token")
    .set((eb) => ({ revoked_at: by.at, revoked_by: by.by, version: eb("version", "+", 1) }))
    .where("id", "=", id)
    .where("version", "=", version)
    .where("revoked_at", "is", null)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Records a token's use, at most once a minute (a busy machine would otherwise write on every
 * request): only when `last_used_at` is older than `notAfter` or unset.
 *
 * @example await touchApiToken(db, 4, now, new Date(Date.now() - 60_000).toISOString());
 */
export async function touchApiToken(db: Executor, id: number, at: string, notAfter: string): Promise<void> {
  await db
    .updateTable("api_token")
    .set({ last_used_at: at })
    .where("id", "=", id)
    .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<", notAfter)]))
    .execute();
}
