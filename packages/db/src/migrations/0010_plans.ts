import type { Kysely } from "kysely";
import { idColumn } from "./helpers.ts";

// Plans and their five steps. A plan's priorities are rows; the parts of each step (indicators
// with targets, evidence, options, actions, communications, reporting) are `plan_item` rows whose
// fields are validated JSON, so the shape of a step can grow without a migration per field.
// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("plan")
    .$call(idColumn(db))
    .addColumn("partnership_id", "integer", (c) =>
      c.notNull().references("partnership.id").onDelete("restrict"),
    )
    .addColumn("title", "varchar(200)", (c) => c.notNull())
    .addColumn("vision", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("start_year", "integer", (c) => c.notNull())
    .addColumn("status", "varchar(20)", (c) => c.notNull())
    .addColumn("revision", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("previous_plan_id", "integer", (c) => c.references("plan.id").onDelete("restrict"))
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("updated_at", "varchar(30)", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("plan_partnership").on("plan").column("partnership_id").execute();

  await db.schema
    .createTable("priority")
    .$call(idColumn(db))
    .addColumn("plan_id", "integer", (c) => c.notNull().references("plan.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("theme", "varchar(100)", (c) => c.notNull())
    .addColumn("title", "varchar(200)", (c) => c.notNull())
    .addColumn("owner_name", "varchar(120)", (c) => c.notNull())
    .addColumn("fields_json", "text", (c) => c.notNull())
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("updated_at", "varchar(30)", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("priority_plan").on("priority").columns(["plan_id", "position"]).execute();

  await db.schema
    .createTable("plan_item")
    .$call(idColumn(db))
    .addColumn("plan_id", "integer", (c) => c.notNull().references("plan.id").onDelete("cascade"))
    .addColumn("priority_id", "integer", (c) => c.references("priority.id").onDelete("cascade"))
    .addColumn("kind", "varchar(20)", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("data_json", "text", (c) => c.notNull())
    // Actions name the user who leads them: contributors may update the actions they lead.
    .addColumn("lead_user_id", "integer", (c) => c.references("app_user.id").onDelete("restrict"))
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("updated_at", "varchar(30)", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex("plan_item_priority")
    .on("plan_item")
    .columns(["priority_id", "kind", "position"])
    .execute();
  await db.schema.createIndex("plan_item_plan").on("plan_item").columns(["plan_id", "kind"]).execute();

  await db.schema
    .createTable("action_update")
    .$call(idColumn(db))
    .addColumn("item_id", "integer", (c) => c.notNull().references("plan_item.id").onDelete("cascade"))
    .addColumn("update_date", "varchar(10)", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull())
    .addColumn("percent_complete", "integer", (c) => c.notNull())
    .addColumn("author_user_id", "integer", (c) => c.references("app_user.id").onDelete("restrict"))
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("action_update_item")
    .on("action_update")
    .columns(["item_id", "update_date"])
    .execute();

  await db.schema
    .createTable("change_point_note")
    .$call(idColumn(db))
    .addColumn("item_id", "integer", (c) => c.notNull().references("plan_item.id").onDelete("cascade"))
    .addColumn("period", "varchar(30)", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull())
    .addColumn("updated_at", "varchar(30)", (c) => c.notNull())
    .addUniqueConstraint("change_point_note_item_period", ["item_id", "period"])
    .execute();

  await db.schema
    .createTable("good_practice")
    .$call(idColumn(db))
    .addColumn("partnership_id", "integer", (c) =>
      c.notNull().references("partnership.id").onDelete("restrict"),
    )
    .addColumn("source_item_id", "integer", (c) => c.references("plan_item.id").onDelete("set null"))
    .addColumn("title", "varchar(200)", (c) => c.notNull())
    .addColumn("theme", "varchar(100)", (c) => c.notNull())
    .addColumn("indicator_codes", "text", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull())
    .addColumn("evidence", "text", (c) => c.notNull())
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("published_by", "integer", (c) => c.references("app_user.id").onDelete("restrict"))
    .addColumn("published_at", "varchar(30)", (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["good_practice", "change_point_note", "action_update", "plan_item", "priority", "plan"]) {
    await db.schema.dropTable(t).execute();
  }
}
