import {
  type ApiTokenView,
  type Database,
  type Executor,
  findApiTokenByHash,
  findImportFile,
  findMembership,
  touchApiToken,
} from "@fivestep/db";
import { ADMIN_ONLY_SCOPES, API_TOKEN_SCOPES, type ApiTokenScope } from "@fivestep/domain";
import { TRPCError } from "@trpc/server";
import type { Kysely } from "kysely";
import { randomToken, sha256 } from "./password.ts";
import type { SessionInfo } from "./sessions.ts";

/**
 * Every API token starts with this, so a leaked one is easy to recognise (secret scanners, log
 * redaction). @example token.startsWith(TOKEN_PREFIX)
 */
export const TOKEN_PREFIX = "fst_";

/** How many characters of a token lists show: the prefix and 8 of the secret. */
const SHOWN = TOKEN_PREFIX.length + 8;

/** A token's last use is written at most this often, to spare a busy machine a write per request. */
export const LAST_USED_EVERY_MS = 60_000;

/**
 * The procedures each scope admits, and nothing else: a token may call a procedure only if one of
 * its scopes lists it (the creator's own role must allow it too). The authorization matrix calls
 * every procedure with a token of each scope and checks it against this table.
 *
 * @example TOKEN_SCOPE_PROCEDURES["plans:read"].includes("plan.byId") // true
 */
export const TOKEN_SCOPE_PROCEDURES: Record<ApiTokenScope, readonly string[]> = {
  // Data files from the token's named sources: upload (HTTP), check, commit (at once or as a
  // job), follow progress.
  "import:write": [
    "imports.file",
    "imports.preview",
    "imports.commit",
    "imports.startCommit",
    "imports.status",
    "jobs.get",
  ],
  // Data returns: which are due, and their values (held for a lead's approval); an
  // administrator's token also writes observations sent as JSON (the import's checks apply).
  "observations:write": [
    "partnership.mine",
    "monitoring.returns",
    "monitoring.submitReturn",
    "observation.write",
  ],
  "plans:read": [
    "partnership.mine",
    "partnership.byId",
    "plan.list",
    "plan.byId",
    "plan.overview",
    "plan.compare",
    "observation.series",
    "priority.byId",
    "priority.analysis",
    "priority.areaProfile",
    "priority.heatMap",
    "priority.breakdowns",
  ],
  // Reports: read them, and export one as a file (a job; the file is downloaded with the token).
  "reports:read": [
    "partnership.mine",
    "plan.list",
    "monitoring.dashboard",
    "monitoring.report",
    "monitoring.startExport",
    "jobs.get",
  ],
};

/** A request's API token, as procedures and the audit trail see it. */
export interface TokenInfo {
  id: number;
  name: string;
  scopes: ApiTokenScope[];
  /** Import sources `import:write` covers. */
  sources: string[];
  /** The partnership the token acts for (a lead's token), or null (an administrator's). */
  partnershipId: number | null;
  /** Who made it: every use acts with (at most) their rights and is audited under their name. */
  creatorName: string;
}

/** A signed-in machine: the token, and the session it acts through. */
export interface TokenAuth {
  token: TokenInfo;
  session: SessionInfo;
}

/**
 * A new random token: the secret (shown once), the hash to store and the prefix lists show.
 *
 * @example const { secret, hash, prefix } = newTokenSecret(); // secret "fst_3q…", 47 characters
 */
export function newTokenSecret(): { secret: string; hash: string; prefix: string } {
  const secret = `${TOKEN_PREFIX}${randomToken(32)}`;
  return { secret, hash: tokenHash(secret), prefix: secret.slice(0, SHOWN) };
}

/**
 * The stored form of a token: SHA-256 of its 256 random bits. A slow password hash buys nothing
 * here: nobody can guess 2^256 values, however fast each guess is (see SECURITY.md).
 *
 * @example const hash = tokenHash(secret);
 */
export function tokenHash(secret: string): string {
  return sha256(secret);
}

const isScope = (s: string): s is ApiTokenScope => (API_TOKEN_SCOPES as readonly string[]).includes(s);

/**
 * Whether a token's creator still holds the role it was made with: an administrator's token needs
 * them to be an administrator still; a partnership's token, an administrator or that
 * partnership's lead; and no token outlives a deactivated creator.
 *
 * @example if (!(await creatorStillEntitled(db, view, creator))) return null;
 */
async function creatorStillEntitled(
  db: Executor,
  token: ApiTokenView,
  creator: { id: number; is_admin: number; status: string },
): Promise<boolean> {
  if (creator.status !== "active") return false;
  const admin = creator.is_admin === 1;
  const scopes = token.scopes.filter(isScope);
  if (!admin && scopes.some((s) => ADMIN_ONLY_SCOPES.includes(s))) return false;
  if (token.partnershipId === null) return admin;
  if (admin) return true;
  const membership = await findMembership(db, creator.id, token.partnershipId);
  return membership?.role === "lead";
}

/**
 * The token a bearer secret names, if it is unrevoked, unexpired and its creator still entitled
 * (else null: answer 401). Records its use at most once a minute.
 *
 * @example const auth = await resolveBearer(db, secret); if (!auth) reply.code(401)
 */
export async function resolveBearer(
  db: Kysely<Database>,
  secret: string,
  now: () => number = Date.now,
): Promise<TokenAuth | null> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length < 40 || secret.length > 100) return null;
  const found = await findApiTokenByHash(db, tokenHash(secret));
  if (!found) return null;
  const { token, creator } = found;
  const at = now();
  if (token.revokedAt !== null || Date.parse(token.expiresAt) <= at) return null;
  if (!(await creatorStillEntitled(db, token, creator))) return null;
  await touchApiToken(
    db,
    token.id,
    new Date(at).toISOString(),
    new Date(at - LAST_USED_EVERY_MS).toISOString(),
  );
  const partnership = token.partnershipId;
  return {
    token: {
      id: token.id,
      name: token.name,
      scopes: token.scopes.filter(isScope),
      sources: token.sources,
      partnershipId: partnership,
      creatorName: creator.display_name,
    },
    // A partnership's token acts as that partnership's lead there and nowhere else; an
    // administrator's as an administrator with no memberships. Its scopes narrow either further.
    session: {
      idHash: `token:${token.id}`,
      user: {
        id: creator.id,
        email: creator.email,
        displayName: creator.display_name,
        isAdmin: partnership === null,
        memberships:
          partnership === null
            ? []
            : [{ partnershipId: partnership, partnershipName: token.partnershipName ?? "", role: "lead" }],
      },
    },
  };
}

/**
 * Whether any of a token's scopes admits a procedure.
 *
 * @example tokenAdmits(["plans:read"], "plan.byId") // true
 */
export function tokenAdmits(scopes: readonly ApiTokenScope[], path: string): boolean {
  return scopes.some((s) => TOKEN_SCOPE_PROCEDURES[s].includes(path));
}

const forbidden = (message: string) => new TRPCError({ code: "FORBIDDEN", message });

/**
 * Refuses (FORBIDDEN) a call a token's scopes do not admit, and an import from a source the token
 * does not name. Called for every procedure a token calls, before its input is parsed.
 *
 * @example await checkTokenCall(ctx.db, ctx.token, path, await getRawInput());
 */
export async function checkTokenCall(
  db: Executor,
  token: TokenInfo,
  path: string,
  raw: unknown,
): Promise<void> {
  if (!tokenAdmits(token.scopes, path))
    throw forbidden(`The API token "${token.name}" has no scope for ${path}.`);
  const field = (value: unknown, key: string): unknown =>
    value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
  let source: unknown;
  if (path === "imports.preview") source = field(field(raw, "mapping"), "source");
  else if (path === "imports.commit" || path === "imports.startCommit") {
    const fileId = field(raw, "fileId");
    const file =
      typeof fileId === "number" && Number.isSafeInteger(fileId)
        ? await findImportFile(db, fileId)
        : undefined;
    source = field(file?.mapping, "source");
    // A missing file, or one not yet previewed, is the procedure's to refuse (NOT_FOUND, or
    // "preview it first"); a preview with a mapping names a source, which is checked.
    if (source === undefined) return;
  } else return;
  if (typeof source !== "string" || !token.sources.includes(source.trim()))
    throw forbidden(`The API token "${token.name}" may import only from ${token.sources.join(", ")}.`);
}
