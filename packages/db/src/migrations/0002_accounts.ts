import type { Kysely } from "kysely";
import { idColumn } from "./helpers.ts";

// Accounts, partnerships, sessions, sign-in attempts and the audit trail; a version on every
// editable record for optimistic concurrency. Timestamps are ISO-8601 UTC text on both engines.
// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ["area", "indicator"]) {
    await db.schema
      .alterTable(table)
      .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
      .execute();
  }

  await db.schema
    .createTable("app_user")
    .$call(idColumn(db))
    .addColumn("email", "varchar(254)", (c) => c.notNull().unique())
    .addColumn("display_name", "varchar(120)", (c) => c.notNull())
    .addColumn("password_hash", "varchar(200)")
    .addColumn("is_admin", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("status", "varchar(20)", (c) => c.notNull())
    .addColumn("invite_token_hash", "varchar(64)")
    .addColumn("invite_expires_at", "varchar(30)")
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("updated_at", "varchar(30)", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable("partnership")
    .$call(idColumn(db))
    .addColumn("name", "varchar(200)", (c) => c.notNull().unique())
    .addColumn("area_code", "varchar(20)", (c) => c.notNull().references("area.code").onDelete("restrict"))
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("updated_at", "varchar(30)", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable("membership")
    .$call(idColumn(db))
    .addColumn("user_id", "integer", (c) => c.notNull().references("app_user.id").onDelete("restrict"))
    .addColumn("partnership_id", "integer", (c) =>
      c.notNull().references("partnership.id").onDelete("restrict"),
    )
    .addColumn("role", "varchar(20)", (c) => c.notNull())
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint("membership_user_partnership", ["user_id", "partnership_id"])
    .execute();

  await db.schema
    .createTable("session")
    .addColumn("id_hash", "varchar(64)", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("app_user.id").onDelete("cascade"))
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("expires_at", "varchar(30)", (c) => c.notNull())
    .addColumn("last_seen_at", "varchar(30)", (c) => c.notNull())
    .addColumn("ip", "varchar(64)")
    .addColumn("user_agent", "varchar(300)")
    .execute();
  await db.schema.createIndex("session_user").on("session").column("user_id").execute();

  await db.schema
    .createTable("login_attempt")
    .$call(idColumn(db))
    .addColumn("email", "varchar(254)", (c) => c.notNull())
    .addColumn("ip", "varchar(64)", (c) => c.notNull())
    .addColumn("at", "varchar(30)", (c) => c.notNull())
    .addColumn("succeeded", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("login_attempt_email").on("login_attempt").columns(["email", "at"]).execute();
  await db.schema.createIndex("login_attempt_ip").on("login_attempt").columns(["ip", "at"]).execute();

  await db.schema
    .createTable("audit_event")
    .$call(idColumn(db))
    .addColumn("at", "varchar(30)", (c) => c.notNull())
    .addColumn("actor_user_id", "integer", (c) => c.references("app_user.id").onDelete("restrict"))
    .addColumn("action", "varchar(40)", (c) => c.notNull())
    .addColumn("entity", "varchar(40)", (c) => c.notNull())
    .addColumn("entity_id", "varchar(60)", (c) => c.notNull())
    .addColumn("partnership_id", "integer", (c) => c.references("partnership.id").onDelete("restrict"))
    .addColumn("before_json", "text")
    .addColumn("after_json", "text")
    .addColumn("request_id", "varchar(64)")
    .execute();
  await db.schema.createIndex("audit_event_at").on("audit_event").column("at").execute();
  await db.schema
    .createIndex("audit_event_entity")
    .on("audit_event")
    .columns(["entity", "entity_id"])
    .execute();
  await db.schema
    .createIndex("audit_event_partnership")
    .on("audit_event")
    .columns(["partnership_id", "at"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["audit_event", "login_attempt", "session", "membership", "partnership", "app_user"]) {
    await db.schema.dropTable(t).execute();
  }
  for (const table of ["area", "indicator"])
    await db.schema.alterTable(table).dropColumn("version").execute();
}
