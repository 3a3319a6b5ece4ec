import { type Kysely, sql } from "kysely";
import { idColumn, isPostgres } from "./helpers.ts";

// The full catalogue (indicator metadata, definition history), area types, comparator groups and
// data import (uploaded files, remembered mappings, batches, value revisions). Observations gain a
// breakdown, a status, a note and the batch that wrote them; their unique key becomes
// indicator × area × period × breakdown, with '' for "no breakdown" (not NULL, so the unique key
// holds on both engines). SQLite cannot drop a table constraint, so the table is rebuilt.
// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  const text = (name: string, def = "") =>
    db.schema.alterTable("indicator").addColumn(name, "text", (c) => c.notNull().defaultTo(def));
  for (const name of [
    "rationale",
    "numerator_definition",
    "denominator_definition",
    "publisher",
    "caveats",
    "owner",
  ]) {
    await text(name).execute();
  }
  await text("themes_json", "[]").execute();
  await text("tags_json", "[]").execute();
  await text("sets_json", "[]").execute();
  await text("ci_method", "none").execute();
  await text("status", "active").execute();
  const alter = <R extends { execute(): Promise<void> }>(
    build: (t: ReturnType<typeof db.schema.alterTable>) => R,
  ) => build(db.schema.alterTable("indicator")).execute();
  await alter((t) => t.addColumn("multiplier", "double precision", (c) => c.notNull().defaultTo(1)));
  await alter((t) => t.addColumn("period_type", "varchar(20)"));
  await alter((t) => t.addColumn("decimal_places", "integer", (c) => c.notNull().defaultTo(1)));
  await alter((t) => t.addColumn("release_lag_days", "integer"));
  await alter((t) => t.addColumn("year_introduced", "integer"));
  await alter((t) => t.addColumn("year_retired", "integer"));
  await alter((t) => t.addColumn("valid_min", "double precision"));
  await alter((t) => t.addColumn("valid_max", "double precision"));
  await alter((t) => t.addColumn("target_low", "double precision"));
  await alter((t) => t.addColumn("target_high", "double precision"));
  await alter((t) => t.addColumn("derivation_json", "text"));
  await alter((t) => t.addColumn("updated_at", "varchar(30)"));

  // Every saved version of an indicator's metadata, so a definition change keeps the earlier one.
  await db.schema
    .createTable("indicator_version")
    .$call(idColumn(db))
    .addColumn("indicator_id", "integer", (c) => c.notNull().references("indicator.id").onDelete("cascade"))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("saved_at", "varchar(30)", (c) => c.notNull())
    .addColumn("saved_by", "integer", (c) => c.references("app_user.id").onDelete("set null"))
    .addColumn("change_note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("snapshot_json", "text", (c) => c.notNull())
    .addUniqueConstraint("indicator_version_key", ["indicator_id", "version"])
    .execute();

  // Area types and their order in the hierarchy are data; `lookup_prefix` is the ONS lookup
  // column stem ("LAD" in LAD19CD) that an area lookup import recognises.
  await db.schema
    .createTable("area_type")
    .$call(idColumn(db))
    .addColumn("name", "varchar(60)", (c) => c.notNull().unique())
    .addColumn("rank", "integer", (c) => c.notNull())
    .addColumn("lookup_prefix", "varchar(20)")
    .execute();
  await db
    .insertInto("area_type")
    .values([
      { name: "country", rank: 1, lookup_prefix: "CTRY" },
      { name: "region", rank: 2, lookup_prefix: "RGN" },
      { name: "county", rank: 3, lookup_prefix: "CTY" },
      { name: "district", rank: 4, lookup_prefix: "LAD" },
      { name: "ward", rank: 5, lookup_prefix: "WD" },
    ])
    .execute();

  await db.schema
    .createTable("comparator_group")
    .$call(idColumn(db))
    .addColumn("name", "varchar(200)", (c) => c.notNull().unique())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("updated_at", "varchar(30)", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createTable("comparator_group_area")
    .addColumn("group_id", "integer", (c) =>
      c.notNull().references("comparator_group.id").onDelete("cascade"),
    )
    .addColumn("area_id", "integer", (c) => c.notNull().references("area.id").onDelete("restrict"))
    .addPrimaryKeyConstraint("comparator_group_area_pk", ["group_id", "area_id"])
    .execute();

  await db.schema
    .createTable("import_mapping")
    .$call(idColumn(db))
    .addColumn("source", "varchar(120)", (c) => c.notNull().unique())
    .addColumn("mapping_json", "text", (c) => c.notNull())
    .addColumn("updated_at", "varchar(30)", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable("import_file")
    .$call(idColumn(db))
    .addColumn("name", "varchar(300)", (c) => c.notNull())
    .addColumn("path", "text", (c) => c.notNull())
    .addColumn("format", "varchar(10)", (c) => c.notNull())
    .addColumn("size", "double precision", (c) => c.notNull())
    .addColumn("sha256", "varchar(64)", (c) => c.notNull())
    .addColumn("columns_json", "text", (c) => c.notNull())
    .addColumn("mapping_json", "text")
    .addColumn("uploaded_by", "integer", (c) => c.references("app_user.id").onDelete("set null"))
    .addColumn("uploaded_at", "varchar(30)", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable("import_batch")
    .$call(idColumn(db))
    .addColumn("file_id", "integer", (c) => c.references("import_file.id").onDelete("set null"))
    .addColumn("source", "varchar(120)", (c) => c.notNull())
    .addColumn("file_name", "varchar(300)", (c) => c.notNull())
    .addColumn("status", "varchar(20)", (c) => c.notNull())
    .addColumn("inserted", "integer", (c) => c.notNull())
    .addColumn("updated", "integer", (c) => c.notNull())
    .addColumn("unchanged", "integer", (c) => c.notNull())
    .addColumn("skipped", "integer", (c) => c.notNull())
    .addColumn("rejected", "integer", (c) => c.notNull())
    .addColumn("committed_by", "integer", (c) => c.references("app_user.id").onDelete("set null"))
    .addColumn("committed_at", "varchar(30)", (c) => c.notNull())
    .addColumn("rolled_back_by", "integer", (c) => c.references("app_user.id").onDelete("set null"))
    .addColumn("rolled_back_at", "varchar(30)")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable("observation_new")
    .$call(idColumn(db))
    .addColumn("indicator_id", "integer", (c) => c.notNull().references("indicator.id").onDelete("cascade"))
    .addColumn("area_id", "integer", (c) => c.notNull().references("area.id").onDelete("restrict"))
    .addColumn("period", "varchar(30)", (c) => c.notNull())
    .addColumn("breakdown", "varchar(120)", (c) => c.notNull().defaultTo(""))
    .addColumn("period_type", "varchar(20)", (c) => c.notNull())
    .addColumn("period_start", "varchar(10)", (c) => c.notNull())
    .addColumn("value", "double precision")
    .addColumn("numerator", "double precision")
    .addColumn("denominator", "double precision")
    .addColumn("lower", "double precision")
    .addColumn("upper", "double precision")
    .addColumn("status", "varchar(12)", (c) => c.notNull().defaultTo("final"))
    .addColumn("note", "text")
    // The batch that last wrote the row, and the one that created it (rollback deletes rows a
    // batch created and restores the revisions of rows it changed).
    .addColumn("batch_id", "integer", (c) => c.references("import_batch.id").onDelete("set null"))
    .addColumn("created_batch_id", "integer", (c) => c.references("import_batch.id").onDelete("set null"))
    .addUniqueConstraint("observation_key", ["indicator_id", "area_id", "period", "breakdown"])
    .execute();
  await sql`insert into observation_new (id, indicator_id, area_id, period, breakdown, period_type, period_start, value, numerator, denominator, lower, upper)
    select id, indicator_id, area_id, period, '', period_type, period_start, value, numerator, denominator, lower, upper from observation`.execute(
    db,
  );
  await db.schema.dropTable("observation").execute();
  await db.schema.alterTable("observation_new").renameTo("observation").execute();
  if (isPostgres(db)) {
    // Copied rows kept their ids; move the identity past them.
    await sql`select setval(pg_get_serial_sequence('observation', 'id'), coalesce((select max(id) from observation), 0) + 1, false)`.execute(
      db,
    );
  }
  await db.schema
    .createIndex("observation_series")
    .on("observation")
    .columns(["indicator_id", "area_id", "period_start"])
    .execute();
  await db.schema.createIndex("observation_batch").on("observation").column("batch_id").execute();

  // A value an import changed: what it was, what it became, which batch, who and when.
  await db.schema
    .createTable("observation_revision")
    .$call(idColumn(db))
    .addColumn("observation_id", "integer", (c) =>
      c.notNull().references("observation.id").onDelete("cascade"),
    )
    .addColumn("batch_id", "integer", (c) => c.notNull().references("import_batch.id").onDelete("cascade"))
    .addColumn("previous_batch_id", "integer")
    .addColumn("old_json", "text", (c) => c.notNull())
    .addColumn("new_json", "text", (c) => c.notNull())
    .addColumn("changed_by", "integer", (c) => c.references("app_user.id").onDelete("set null"))
    .addColumn("changed_at", "varchar(30)", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("observation_revision_batch")
    .on("observation_revision")
    .column("batch_id")
    .execute();
  await db.schema
    .createIndex("observation_revision_observation")
    .on("observation_revision")
    .column("observation_id")
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("observation_revision").execute();
  await db.schema.dropTable("observation").execute();
  await db.schema
    .createTable("observation")
    .$call(idColumn(db))
    .addColumn("indicator_id", "integer", (c) => c.notNull().references("indicator.id").onDelete("cascade"))
    .addColumn("area_id", "integer", (c) => c.notNull().references("area.id").onDelete("restrict"))
    .addColumn("period", "varchar(30)", (c) => c.notNull())
    .addColumn("period_type", "varchar(20)", (c) => c.notNull())
    .addColumn("period_start", "varchar(10)", (c) => c.notNull())
    .addColumn("value", "double precision")
    .addColumn("numerator", "double precision")
    .addColumn("denominator", "double precision")
    .addColumn("lower", "double precision")
    .addColumn("upper", "double precision")
    .addUniqueConstraint("observation_indicator_area_period", ["indicator_id", "area_id", "period"])
    .execute();
  for (const t of [
    "import_batch",
    "import_file",
    "import_mapping",
    "comparator_group_area",
    "comparator_group",
    "area_type",
    "indicator_version",
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
