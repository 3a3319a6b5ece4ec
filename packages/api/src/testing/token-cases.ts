import { insertApiToken, nowIso } from "@fivestep/db";
import type { ApiTokenScope } from "@fivestep/domain";
import { newTokenSecret, resolveBearer, type TokenAuth } from "../auth/tokens.ts";
import { createContextInner } from "../context.ts";
import { createCaller } from "../root.ts";
import { ACTORS, type Actor, type Fixture } from "./fixtures.ts";

type Access = "allow" | "deny";
type AccessMap = Record<Actor, Access>;
const nobody: AccessMap = {
  anonymous: "deny",
  viewer: "deny",
  contributor: "deny",
  editor: "deny",
  lead: "deny",
  otherLead: "deny",
  admin: "deny",
};
const coventryLeadAndAdmin: AccessMap = { ...nobody, lead: "allow", admin: "allow" };

/** What a test token is: who made it, its scopes, sources and partnership. */
export interface TokenSpec {
  creator: Actor;
  name?: string;
  scopes: ApiTokenScope[];
  sources?: string[];
  /** "coventry" for a partnership's token, null for an administrator's. */
  partnership: "coventry" | null;
  /** Days from now it expires (negative: already expired). */
  days?: number;
}

/**
 * Stores a token as `tokens.create` would (straight into the table, so a test can make expired
 * ones too); returns its id, version and secret.
 *
 * @example const { secret } = await makeToken(fx, { creator: "lead", scopes: ["plans:read"], partnership: "coventry" });
 */
export async function makeToken(
  fx: Fixture,
  spec: TokenSpec,
): Promise<{ id: number; version: number; secret: string }> {
  const email = ACTORS[spec.creator];
  if (!email) throw new Error("makeToken: anonymous people make no tokens");
  const { secret, hash, prefix } = newTokenSecret();
  const now = Date.now();
  const row = await insertApiToken(fx.db, {
    name: spec.name ?? `${spec.scopes.join(" ")} of ${spec.creator}`,
    prefix,
    hash,
    scopes_json: JSON.stringify(spec.scopes),
    sources_json: JSON.stringify(spec.sources ?? []),
    partnership_id: spec.partnership === "coventry" ? fx.coventryId : null,
    created_by: await fx.userId(email),
    created_at: nowIso(),
    expires_at: new Date(now + (spec.days ?? 30) * 86_400_000).toISOString(),
    last_used_at: null,
    revoked_at: null,
    revoked_by: null,
  });
  return { id: row.id, version: row.version, secret };
}

/**
 * A caller authenticated by a bearer token, as the server makes one (throws when the token is
 * refused, as the server answers 401).
 *
 * @example const machine = await tokenCaller(fx, secret); await machine.plan.list({ partnershipId });
 */
export async function tokenCaller(fx: Fixture, secret: string, requestId = "test-token") {
  const auth: TokenAuth | null = await resolveBearer(fx.db, secret);
  if (!auth) throw new Error("tokenCaller: the token was refused");
  return createCaller(createContextInner({ db: fx.db, session: auth.session, token: auth.token, requestId }));
}

/**
 * The token actors of the authorization matrix: one token per scope, each made by someone who may
 * grant it. A token may call a procedure exactly when its scope lists it and its creator may.
 *
 * @example for (const [name, spec] of Object.entries(TOKEN_ACTORS)) ...
 */
export const TOKEN_ACTORS: Record<string, TokenSpec> = {
  "import:write token of the administrator": {
    creator: "admin",
    scopes: ["import:write"],
    sources: ["Test"],
    partnership: null,
  },
  "observations:write token of Coventry's lead": {
    creator: "lead",
    scopes: ["observations:write"],
    partnership: "coventry",
  },
  "observations:write token of the administrator": {
    creator: "admin",
    scopes: ["observations:write"],
    partnership: null,
  },
  "plans:read token of Coventry's lead": { creator: "lead", scopes: ["plans:read"], partnership: "coventry" },
  "reports:read token of Coventry's lead": {
    creator: "lead",
    scopes: ["reports:read"],
    partnership: "coventry",
  },
};

/** A Coventry token made by its lead, once per fixture (for revoking). */
const coventryTokens = new WeakMap<Fixture, Promise<{ id: number; version: number }>>();
function coventryToken(fx: Fixture): Promise<{ id: number; version: number }> {
  let made = coventryTokens.get(fx);
  if (!made) {
    made = makeToken(fx, {
      creator: "lead",
      name: "Coventry dashboard",
      scopes: ["reports:read"],
      partnership: "coventry",
    }).then(({ id, version }) => ({ id, version }));
    coventryTokens.set(fx, made);
  }
  return made;
}

const newCoventryToken = (fx: Fixture) => ({
  partnershipId: fx.coventryId,
  name: "Coventry dashboard",
  scopes: ["reports:read", "plans:read"],
  days: 90,
});

/**
 * The token procedures for the authorization matrix.
 *
 * @example Object.assign(MATRIX, TOKEN_MATRIX);
 */
export const TOKEN_MATRIX: Record<
  string,
  { access: AccessMap; input: (fx: Fixture) => Promise<unknown> | unknown }
> = {
  "tokens.create": { access: coventryLeadAndAdmin, input: newCoventryToken },
  "tokens.list": { access: coventryLeadAndAdmin, input: (fx) => ({ partnershipId: fx.coventryId }) },
  "tokens.revoke": {
    access: coventryLeadAndAdmin,
    input: async (fx) => ({ partnershipId: fx.coventryId, ...(await coventryToken(fx)) }),
  },
};

type Changed = { entity: string; entityId: number; action: string };
type Scenario = {
  actor: Actor;
  input: (fx: Fixture) => Promise<unknown>;
  changed: (fx: Fixture, result: unknown) => Promise<Changed[]>;
};

/**
 * The token mutations for the audit test.
 *
 * @example Object.assign(SCENARIOS, TOKEN_SCENARIOS);
 */
export const TOKEN_SCENARIOS: Record<string, Scenario> = {
  "tokens.create": {
    actor: "lead",
    input: async (fx) => newCoventryToken(fx),
    changed: async (_fx, r) => [
      { entity: "api_token", entityId: (r as { token: { id: number } }).token.id, action: "create" },
    ],
  },
  "tokens.revoke": {
    actor: "admin",
    input: coventryToken,
    changed: async (fx) => [
      { entity: "api_token", entityId: (await coventryToken(fx)).id, action: "revoke" },
    ],
  },
};
