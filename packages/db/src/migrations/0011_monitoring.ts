import type { Kysely } from "kysely";
import { idColumn } from "./helpers.ts";

// Delivery monitoring: the last judged status of every target, each change of status with the
// data that caused it, data returns for local indicators, in-app notifications, owners'
// commentary on reports, when reports were issued, and which plans are published to the public.
// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("plan")
    .addColumn("published", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable("target_status")
    .addColumn("item_id", "integer", (c) => c.primaryKey().references("plan_item.id").onDelete("cascade"))
    .addColumn("status", "varchar(20)", (c) => c.notNull())
    .addColumn("period", "varchar(30)")
    .addColumn("actual", "double precision")
    .addColumn("expected", "double precision")
    .addColumn("computed_at", "varchar(30)", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("status_change")
    .$call(idColumn(db))
    .addColumn("item_id", "integer", (c) => c.notNull().references("plan_item.id").onDelete("cascade"))
    .addColumn("plan_id", "integer", (c) => c.notNull().references("plan.id").onDelete("cascade"))
    .addColumn("indicator_code", "varchar(40)", (c) => c.notNull())
    .addColumn("from_status", "varchar(20)")
    .addColumn("to_status", "varchar(20)", (c) => c.notNull())
    .addColumn("period", "varchar(30)")
    .addColumn("actual", "double precision")
    .addColumn("expected", "double precision")
    .addColumn("cause", "varchar(200)", (c) => c.notNull())
    .addColumn("batch_id", "integer")
    .addColumn("at", "varchar(30)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("status_change_plan").on("status_change").columns(["plan_id", "at"]).execute();

  await db.schema
    .createTable("data_return")
    .$call(idColumn(db))
    .addColumn("partnership_id", "integer", (c) =>
      c.notNull().references("partnership.id").onDelete("restrict"),
    )
    .addColumn("indicator_code", "varchar(40)", (c) => c.notNull())
    .addColumn("period", "varchar(30)", (c) => c.notNull())
    .addColumn("due_date", "varchar(10)", (c) => c.notNull())
    .addColumn("assignee_user_id", "integer", (c) =>
      c.notNull().references("app_user.id").onDelete("restrict"),
    )
    .addColumn("status", "varchar(20)", (c) => c.notNull())
    .addColumn("value", "double precision")
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("submitted_at", "varchar(30)")
    .addColumn("submitted_by", "integer", (c) => c.references("app_user.id").onDelete("restrict"))
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint("data_return_unique", ["partnership_id", "indicator_code", "period"])
    .execute();

  await db.schema
    .createTable("notification")
    .$call(idColumn(db))
    .addColumn("user_id", "integer", (c) => c.notNull().references("app_user.id").onDelete("cascade"))
    .addColumn("kind", "varchar(40)", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("link", "varchar(300)", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("read_at", "varchar(30)")
    .execute();
  await db.schema
    .createIndex("notification_user")
    .on("notification")
    .columns(["user_id", "created_at"])
    .execute();

  await db.schema
    .createTable("report_commentary")
    .$call(idColumn(db))
    .addColumn("item_id", "integer", (c) => c.notNull().references("plan_item.id").onDelete("cascade"))
    .addColumn("period", "varchar(30)", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("author_user_id", "integer", (c) => c.references("app_user.id").onDelete("restrict"))
    .addColumn("updated_at", "varchar(30)", (c) => c.notNull())
    .addUniqueConstraint("report_commentary_item_period", ["item_id", "period"])
    .execute();

  await db.schema
    .createTable("report_issue")
    .$call(idColumn(db))
    .addColumn("plan_id", "integer", (c) => c.notNull().references("plan.id").onDelete("cascade"))
    .addColumn("audience", "varchar(40)", (c) => c.notNull())
    .addColumn("issued_at", "varchar(30)", (c) => c.notNull())
    .addColumn("issued_by", "integer", (c) => c.references("app_user.id").onDelete("restrict"))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    "report_issue",
    "report_commentary",
    "notification",
    "data_return",
    "status_change",
    "target_status",
  ]) {
    await db.schema.dropTable(t).execute();
  }
  await db.schema.alterTable("plan").dropColumn("published").execute();
}
