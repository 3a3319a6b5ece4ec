import { isIP } from "node:net";
import { resolve } from "node:path";

/**
 * The database URL: DATABASE_URL when set (a SQLite file path, "file:…", ":memory:" or a
 * postgres:// URL), otherwise ./data/fivestep.db under the working directory.
 *
 * @example databaseUrl({}) // "/current/dir/data/fivestep.db"
 */
export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.DATABASE_URL?.trim();
  return url ? url : resolve("data", "fivestep.db");
}

/** Hides a password in a URL before it reaches a log. @example redactUrl("postgres://u:secret@h/db") // "postgres://u:***@h/db" */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, "$1***@");
}

/**
 * `TRUST_PROXY`: which reverse proxies may tell the server the client's address
 * (X-Forwarded-For). Unset, empty or "0": none. A whole number: that many proxies in front of the
 * server (each appends the address it saw; the client's own entries before them are ignored).
 * Otherwise a comma-separated list of the proxies' addresses or CIDR ranges. "true" is refused:
 * trusting every hop lets any client choose its own address, and so dodge sign-in throttling.
 *
 * @example trustProxySetting({ TRUST_PROXY: "1" }) // 1
 * @example trustProxySetting({ TRUST_PROXY: "10.0.0.5, 10.1.0.0/16" }) // ["10.0.0.5", "10.1.0.0/16"]
 */
export function trustProxySetting(env: NodeJS.ProcessEnv = process.env): false | number | string[] {
  const raw = env.TRUST_PROXY?.trim() ?? "";
  if (raw === "" || raw === "0" || raw.toLowerCase() === "false") return false;
  if (/^\d{1,2}$/.test(raw)) return Number(raw);
  if (/^(true|yes|on|all|\*)$/i.test(raw)) {
    throw new Error(
      `TRUST_PROXY=${raw} would trust every hop, so any client could choose its own address. Give the number of proxies in front of the server (a hop count, e.g. 1) or their address(es).`,
    );
  }
  const entries = raw
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e !== "");
  for (const entry of entries) {
    const [address = "", bits, ...rest] = entry.split("/");
    const version = isIP(address);
    const maxBits = version === 6 ? 128 : 32;
    const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits);
    if (version === 0 || !bitsOk || rest.length > 0) {
      throw new Error(
        `TRUST_PROXY: "${entry}" is not an IP address or CIDR range. Give a hop count (e.g. 1) or the proxies' addresses, comma-separated.`,
      );
    }
  }
  return entries;
}
