import type { FastifyRequest } from "fastify";

/** The mark that replaces a secret in a logged URL. */
const REDACTED = "[redacted]";

/**
 * Paths whose whole query string is secret: the invitation page (`/accept-invite?token=…`, the
 * links sent before invitations carried their token in the fragment) and an email's one-click
 * unsubscribe link (`/unsubscribe?token=…`).
 *
 * @example SECRET_QUERY_PATHS.has("/accept-invite") // true
 */
export const SECRET_QUERY_PATHS: ReadonlySet<string> = new Set(["/accept-invite", "/unsubscribe"]);

/** Query parameter names (case-insensitive) whose values are secrets on any path. */
const SECRET_NAME = /token|secret|passw|signature|api[-_]?key|^(?:code|key|sig|auth|unsubscribe|invite)$/i;

/**
 * Whether a query parameter's (decoded) name says its value is a secret: `token` and anything
 * containing "token", "secret", "passw", "signature" or "apikey", and `code`, `key`, `sig`,
 * `auth`, `unsubscribe`, `invite`.
 *
 * @example isSecretParam("token") // true
 * @example isSecretParam("unsubscribe_token") // true
 * @example isSecretParam("input") // false
 */
export function isSecretParam(name: string): boolean {
  return SECRET_NAME.test(name);
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

/** A URL's path alone, decoded and normalised, to compare with SECRET_QUERY_PATHS. */
function pathOf(beforeQuery: string): string {
  const path = decoded(beforeQuery.replace(/^[a-z][a-z\d+.-]*:\/\/[^/]*/i, ""))
    .replace(/\/{2,}/g, "/")
    .replace(/(.)\/$/, "$1");
  return path.toLowerCase();
}

function redactPairs(pairs: string): string {
  return pairs
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      if (eq < 0) return pair;
      const name = pair.slice(0, eq);
      return isSecretParam(decoded(name)) ? `${name}=${REDACTED}` : pair;
    })
    .join("&");
}

/**
 * A URL (or path) fit for a log: the values of secret query parameters (see `isSecretParam`),
 * also when their names are percent-encoded, and the whole query of a secret path
 * (`SECRET_QUERY_PATHS`) replaced by "[redacted]"; `name=value` pairs in a fragment likewise.
 *
 * @example redactSecretsInUrl("/anything?token=abc&x=1") // "/anything?token=[redacted]&x=1"
 * @example redactSecretsInUrl("/accept-invite?token=abc") // "/accept-invite?[redacted]"
 */
export function redactSecretsInUrl(url: string): string {
  const hashAt = url.indexOf("#");
  const beforeHash = hashAt < 0 ? url : url.slice(0, hashAt);
  const fragment = hashAt < 0 ? "" : `#${redactPairs(url.slice(hashAt + 1))}`;
  const q = beforeHash.indexOf("?");
  if (q < 0) return `${beforeHash}${fragment}`;
  const path = beforeHash.slice(0, q);
  const query = beforeHash.slice(q + 1);
  if (query === "") return `${beforeHash}${fragment}`;
  if (SECRET_QUERY_PATHS.has(pathOf(path))) return `${path}?${REDACTED}${fragment}`;
  return `${path}?${redactPairs(query)}${fragment}`;
}

/**
 * pino's `req` serializer for the server: Fastify's default fields, with the URL passed through
 * `redactSecretsInUrl`.
 *
 * @example Fastify({ logger: { serializers: { req: serializeRequest } } });
 */
export function serializeRequest(req: FastifyRequest): Record<string, unknown> {
  return {
    method: req.method,
    url: redactSecretsInUrl(req.url),
    version: req.headers?.["accept-version"],
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

// In a serialized log line: a secret-looking parameter after ?, & or # (JSON leaves & as it is).
const SECRET_IN_LINE =
  /([?&#])([^=&?#"\s\\]*(?:token|secret|passw|signature|api[-_]?key)[^=&?#"\s\\]*)=([^&#"\s\\]*)/gi;

// An API token (`fst_` and its secret) anywhere, say pasted into a URL or a field by mistake.
const API_TOKEN_IN_LINE = /(fst_)[A-Za-z0-9_-]{20,}/g;

/**
 * The last line of defence, for pino's `hooks.streamWrite`: in a finished log line, the value of
 * any `…token…=value` (or secret, password, signature, api key) URL parameter, wherever it is
 * (a message, an error's text or stack), is replaced by "[redacted]", and so is the secret of
 * any API token (`fst_…`).
 *
 * @example redactSecretsInLogLine('{"msg":"in /x?token=abc"}') // '{"msg":"in /x?token=[redacted]"}'
 * @example redactSecretsInLogLine('{"msg":"fst_3qXv…"}') // '{"msg":"fst_[redacted]"}'
 */
export function redactSecretsInLogLine(line: string): string {
  return line
    .replace(SECRET_IN_LINE, (_m, sep: string, name: string) => `${sep}${name}=${REDACTED}`)
    .replace(API_TOKEN_IN_LINE, (_m, prefix: string) => `${prefix}${REDACTED}`);
}
