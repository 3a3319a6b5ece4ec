import type { Kysely } from "kysely";
import { idColumn } from "./helpers.ts";

// Priorities dropped in an annual refresh. Removing a priority from a refreshed plan asks why; the
// reason stays with the revision, so comparing revisions says what was dropped and why.
// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("priority_removal")
    .$call(idColumn(db))
    .addColumn("plan_id", "integer", (c) => c.notNull().references("plan.id").onDelete("cascade"))
    .addColumn("title", "varchar(200)", (c) => c.notNull())
    .addColumn("theme", "varchar(100)", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("removed_by", "integer", (c) => c.references("app_user.id").onDelete("set null"))
    .addColumn("removed_at", "varchar(30)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("priority_removal_plan").on("priority_removal").column("plan_id").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("priority_removal").execute();
}
