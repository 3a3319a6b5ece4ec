import type { Kysely } from "kysely";

// The files report-export jobs write: kept in the database (as base64 text, which SQLite and
// PostgreSQL store alike) so any instance can hand out what another wrote, until they expire.
// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("report_export")
    .addColumn("job_id", "integer", (c) => c.primaryKey().references("job.id").onDelete("cascade"))
    .addColumn("partnership_id", "integer", (c) =>
      c.notNull().references("partnership.id").onDelete("cascade"),
    )
    .addColumn("plan_id", "integer", (c) => c.notNull().references("plan.id").onDelete("cascade"))
    .addColumn("file_name", "varchar(200)", (c) => c.notNull())
    .addColumn("content_type", "varchar(100)", (c) => c.notNull())
    .addColumn("content_base64", "text", (c) => c.notNull())
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("expires_at", "varchar(30)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("report_export_expires").on("report_export").column("expires_at").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("report_export").execute();
}
