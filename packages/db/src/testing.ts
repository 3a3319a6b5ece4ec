import type { Kysely } from "kysely";
import { createDb } from "./create-db.ts";
import type { Database } from "./database.ts";
import { migrateToLatest } from "./migrations/index.ts";
import { seedDemo } from "./seed/demo.ts";

/**
 * A fresh in-memory SQLite database with every migration applied; optionally with the demo data.
 * Each call is independent, so tests never share state. Close it with `db.destroy()`.
 *
 * @example
 * const db = await createTestDb({ demo: true });
 * afterAll(() => db.destroy());
 */
export async function createTestDb(options: { demo?: boolean } = {}): Promise<Kysely<Database>> {
  const db = createDb(":memory:");
  await migrateToLatest(db);
  if (options.demo) await seedDemo(db);
  return db;
}
