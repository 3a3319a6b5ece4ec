import type { Kysely } from "kysely";

// Email that goes out by itself. Each person's saved language (messages are rendered in it);
// a notification stored as a message code and its parameters (rows from before keep their
// English sentence in `text`); per-person email preferences; one claim per reminder, recipient
// and period, so that several server instances send each reminder once (a claim left `claimed`
// by an instance that died is taken again after a while); and one-click unsubscribe tokens,
// of which only the SHA-256 is kept.
// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("app_user")
    .addColumn("locale", "varchar(10)", (c) => c.notNull().defaultTo("en-GB"))
    .execute();

  await db.schema.alterTable("notification").addColumn("message_code", "varchar(80)").execute();
  await db.schema.alterTable("notification").addColumn("params_json", "text").execute();

  await db.schema
    .createTable("email_preference")
    .addColumn("user_id", "integer", (c) => c.primaryKey().references("app_user.id").onDelete("cascade"))
    .addColumn("data_returns", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("actions", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("targets", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("updated_at", "varchar(30)", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("reminder_claim")
    .addColumn("kind", "varchar(40)", (c) => c.notNull())
    .addColumn("subject_id", "integer", (c) => c.notNull())
    .addColumn("period_key", "varchar(40)", (c) => c.notNull())
    .addColumn("user_id", "integer", (c) => c.notNull().references("app_user.id").onDelete("cascade"))
    .addColumn("state", "varchar(20)", (c) => c.notNull())
    .addColumn("claimed_by", "varchar(100)", (c) => c.notNull())
    .addColumn("claimed_at", "varchar(30)", (c) => c.notNull())
    .addColumn("sent_at", "varchar(30)")
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint("reminder_claim_key", ["kind", "subject_id", "period_key", "user_id"])
    .execute();
  await db.schema
    .createIndex("reminder_claim_state")
    .on("reminder_claim")
    .columns(["state", "claimed_at"])
    .execute();

  await db.schema
    .createTable("unsubscribe_token")
    .addColumn("token_hash", "varchar(64)", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("app_user.id").onDelete("cascade"))
    .addColumn("category", "varchar(20)", (c) => c.notNull())
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("used_at", "varchar(30)")
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["unsubscribe_token", "reminder_claim", "email_preference"]) {
    await db.schema.dropTable(t).execute();
  }
  await db.schema.alterTable("notification").dropColumn("params_json").execute();
  await db.schema.alterTable("notification").dropColumn("message_code").execute();
  await db.schema.alterTable("app_user").dropColumn("locale").execute();
}
