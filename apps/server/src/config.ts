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
