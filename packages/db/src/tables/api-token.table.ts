import type { Generated, Insertable, Selectable } from "kysely";

/**
 * `api_token`: a machine's credential. The secret is shown once; only its SHA-256 (`hash`) and a
 * short `prefix` for lists are kept. Never deleted: revoked, so audit entries keep its name.
 */
export interface ApiTokenTable {
  id: Generated<number>;
  name: string;
  prefix: string;
  hash: string;
  /** JSON array of scopes, e.g. ["plans:read"]. */
  scopes_json: string;
  /** JSON array of import source names `import:write` covers. */
  sources_json: string;
  /** The partnership a lead's token acts for; null for an administrator's token. */
  partnership_id: number | null;
  created_by: number;
  created_at: string;
  expires_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  revoked_by: number | null;
  version: Generated<number>;
}
/** @example const t: ApiTokenRow = await db.selectFrom("api_token").selectAll().executeTakeFirstOrThrow(); */
export type ApiTokenRow = Selectable<ApiTokenTable>;
/** @example const t: NewApiToken = { name, prefix, hash, scopes_json: "[]", sources_json: "[]", partnership_id: null, created_by: 1, created_at: now, expires_at, last_used_at: null, revoked_at: null, revoked_by: null }; */
export type NewApiToken = Insertable<ApiTokenTable>;
