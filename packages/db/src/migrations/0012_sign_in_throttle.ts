import type { Kysely } from "kysely";
import { idColumn } from "./helpers.ts";

// Sign-in throttling by account and address together. Each attempt is recorded as "pending"
// before its password is checked (so concurrent attempts count against the limit at once) and
// settled as "failed" or "succeeded" afterwards. A browser that has signed in to an account before
// carries a device cookie, stored here by its hash, which lets its owner through the per-account
// ceiling that an attacker elsewhere can fill. The old attempt table is replaced: its rows are
// throttling history of at most a day, not records anyone keeps.
// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("login_attempt").execute();
  await db.schema
    .createTable("login_attempt")
    .$call(idColumn(db))
    .addColumn("account", "varchar(254)", (c) => c.notNull())
    .addColumn("ip", "varchar(64)", (c) => c.notNull())
    .addColumn("device_hash", "varchar(64)")
    .addColumn("at", "varchar(30)", (c) => c.notNull())
    .addColumn("outcome", "varchar(10)", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("login_attempt_account")
    .on("login_attempt")
    .columns(["account", "at"])
    .execute();
  await db.schema.createIndex("login_attempt_ip").on("login_attempt").columns(["ip", "at"]).execute();

  await db.schema
    .createTable("trusted_device")
    .addColumn("token_hash", "varchar(64)", (c) => c.notNull())
    .addColumn("user_id", "integer", (c) => c.notNull().references("app_user.id").onDelete("cascade"))
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("last_used_at", "varchar(30)", (c) => c.notNull())
    .addPrimaryKeyConstraint("trusted_device_pk", ["token_hash", "user_id"])
    .execute();
  await db.schema.createIndex("trusted_device_user").on("trusted_device").column("user_id").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("trusted_device").execute();
  await db.schema.dropTable("login_attempt").execute();
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
}
