import type { Kysely } from "kysely";

// Scheduled reports: one row per reporting schedule (a plan item of kind "report") and due date,
// inserted by the instance that sends it (the primary key lets exactly one of several instances
// in), with the pack and the people it went to; `sent_at` is set once every recipient has had it.
// Each recipient's email is claimed in `reminder_claim` (kind "report.scheduled"), so a send cut
// short is retried for the people who missed it. An unsubscribe token may name the record it
// stops (a scheduled report's link takes its reader off that schedule).
// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("report_sending")
    .addColumn("item_id", "integer", (c) => c.notNull().references("plan_item.id").onDelete("cascade"))
    .addColumn("due_date", "varchar(10)", (c) => c.notNull())
    .addColumn("partnership_id", "integer", (c) =>
      c.notNull().references("partnership.id").onDelete("cascade"),
    )
    .addColumn("plan_id", "integer", (c) => c.notNull().references("plan.id").onDelete("cascade"))
    .addColumn("pack", "varchar(20)", (c) => c.notNull())
    .addColumn("audience", "varchar(200)", (c) => c.notNull())
    .addColumn("recipients_json", "text", (c) => c.notNull())
    .addColumn("recipient_count", "integer", (c) => c.notNull())
    .addColumn("claimed_by", "varchar(100)", (c) => c.notNull())
    .addColumn("claimed_at", "varchar(30)", (c) => c.notNull())
    .addColumn("sent_at", "varchar(30)")
    .addPrimaryKeyConstraint("report_sending_key", ["item_id", "due_date"])
    .execute();
  await db.schema
    .createIndex("report_sending_plan")
    .on("report_sending")
    .columns(["plan_id", "due_date"])
    .execute();
  await db.schema.alterTable("unsubscribe_token").addColumn("subject_id", "integer").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("unsubscribe_token").dropColumn("subject_id").execute();
  await db.schema.dropTable("report_sending").execute();
}
