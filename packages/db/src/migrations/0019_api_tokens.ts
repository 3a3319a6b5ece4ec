import type { Kysely } from "kysely";
import { idColumn } from "./helpers.ts";

// API tokens for machines. A token is a random 256-bit secret shown once; only its SHA-256 is
// stored (`hash`), with a short prefix to tell tokens apart in lists. Scopes and import sources
// are JSON arrays of text. A lead's token names its partnership; an administrator's none. Each
// audit entry a token causes names the token (`audit_event.actor_token_id`) beside its creator.
// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("api_token")
    .$call(idColumn(db))
    .addColumn("name", "varchar(80)", (c) => c.notNull())
    .addColumn("prefix", "varchar(16)", (c) => c.notNull())
    .addColumn("hash", "varchar(64)", (c) => c.notNull().unique())
    .addColumn("scopes_json", "text", (c) => c.notNull())
    .addColumn("sources_json", "text", (c) => c.notNull())
    .addColumn("partnership_id", "integer", (c) => c.references("partnership.id").onDelete("restrict"))
    .addColumn("created_by", "integer", (c) => c.notNull().references("app_user.id").onDelete("restrict"))
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("expires_at", "varchar(30)", (c) => c.notNull())
    .addColumn("last_used_at", "varchar(30)")
    .addColumn("revoked_at", "varchar(30)")
    .addColumn("revoked_by", "integer", (c) => c.references("app_user.id").onDelete("restrict"))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("api_token_created_by").on("api_token").column("created_by").execute();
  await db.schema
    .alterTable("audit_event")
    .addColumn("actor_token_id", "integer", (c) => c.references("api_token.id").onDelete("restrict"))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("audit_event").dropColumn("actor_token_id").execute();
  await db.schema.dropTable("api_token").execute();
}
