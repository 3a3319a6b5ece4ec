import type { ImportProgress } from "./engine.ts";

// The latest progress of each file's preview or commit, in this process (a long commit holds its
// HTTP request open; the client polls `imports.status` meanwhile). Entries are small and capped.
const latest = new Map<number, ImportProgress>();

/**
 * Records a file's progress.
 *
 * @example setProgress(3, { phase: "commit", rowsProcessed: 5000, bytesRead: 1e5, totalBytes: 1e6, rowsPerSecond: 90000, done: false });
 */
export function setProgress(fileId: number, p: ImportProgress): void {
  latest.delete(fileId);
  latest.set(fileId, p);
  if (latest.size > 500) latest.delete(latest.keys().next().value as number);
}

/**
 * A file's latest progress, or null when none is known in this process.
 *
 * @example progressOf(3)?.rowsProcessed
 */
export function progressOf(fileId: number): ImportProgress | null {
  return latest.get(fileId) ?? null;
}
