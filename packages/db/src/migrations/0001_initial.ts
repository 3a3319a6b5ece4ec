import type { Kysely } from "kysely";
import { idColumn } from "./helpers.ts";

// Migrations take Kysely<any>: they describe the schema as it was on the day they were written and
// must never import application types, which keep changing.
// biome-ignore lint/suspicious/noExplicitAny: see above
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("area")
    .$call(idColumn(db))
    .addColumn("code", "varchar(20)", (c) => c.notNull().unique())
    .addColumn("name", "varchar(200)", (c) => c.notNull())
    .addColumn("type", "varchar(60)", (c) => c.notNull())
    .addColumn("parent_code", "varchar(20)", (c) => c.references("area.code").onDelete("restrict"))
    .execute();

  await db.schema
    .createTable("indicator")
    .$call(idColumn(db))
    .addColumn("code", "varchar(40)", (c) => c.notNull().unique())
    .addColumn("title", "varchar(200)", (c) => c.notNull())
    .addColumn("definition", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("unit", "varchar(60)", (c) => c.notNull().defaultTo(""))
    .addColumn("value_type", "varchar(20)", (c) => c.notNull())
    .addColumn("polarity", "varchar(20)", (c) => c.notNull())
    .addColumn("frequency", "varchar(20)", (c) => c.notNull())
    .addColumn("source", "varchar(300)", (c) => c.notNull().defaultTo(""))
    .execute();

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

  await db.schema
    .createIndex("observation_series")
    .on("observation")
    .columns(["indicator_id", "area_id", "period_start"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("observation").execute();
  await db.schema.dropTable("indicator").execute();
  await db.schema.dropTable("area").execute();
}
