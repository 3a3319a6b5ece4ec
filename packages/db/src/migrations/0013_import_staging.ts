import { type Kysely, sql } from "kysely";
import { idColumn, isPostgres } from "./helpers.ts";

// Staging for an import's checks, so a file of any size is checked without holding it in memory:
// each preview or commit is a run; the keys of its accepted rows go in import_staging_key, whose
// primary key finds a key the file gives twice as it is inserted; the indicator texts it names go
// in import_staging_text with their counts. A run's rows are removed when it ends (a commit's
// with its transaction); runs left behind by a crash are cleared by the next run after a day.
// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("import_staging_run")
    .$call(idColumn(db))
    .addColumn("file_id", "integer")
    .addColumn("started_at", "varchar(30)", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("import_staging_run_started")
    .on("import_staging_run")
    .column("started_at")
    .execute();

  // On SQLite, WITHOUT ROWID keeps the table as its primary key's b-tree alone (one write per row).
  const keyed = <T extends { modifyEnd(s: ReturnType<typeof sql>): T }>(t: T) =>
    isPostgres(db) ? t : t.modifyEnd(sql`without rowid`);
  await db.schema
    .createTable("import_staging_key")
    .addColumn("run_id", "integer", (c) => c.notNull())
    .addColumn("indicator_id", "integer", (c) => c.notNull())
    .addColumn("area_id", "integer", (c) => c.notNull())
    .addColumn("period", "varchar(40)", (c) => c.notNull())
    .addColumn("breakdown", "varchar(120)", (c) => c.notNull())
    .addColumn("file_row", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("import_staging_key_pk", [
      "run_id",
      "indicator_id",
      "area_id",
      "period",
      "breakdown",
    ])
    .$call(keyed)
    .execute();
  await db.schema
    .createTable("import_staging_text")
    .addColumn("run_id", "integer", (c) => c.notNull())
    .addColumn("text", "varchar(500)", (c) => c.notNull())
    .addColumn("rows", "integer", (c) => c.notNull())
    .addColumn("first_row", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("import_staging_text_pk", ["run_id", "text"])
    .$call(keyed)
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("import_staging_text").execute();
  await db.schema.dropTable("import_staging_key").execute();
  await db.schema.dropTable("import_staging_run").execute();
}
