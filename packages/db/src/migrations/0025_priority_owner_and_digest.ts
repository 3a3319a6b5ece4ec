import type { Kysely } from "kysely";

// A priority's owner may be a member of the partnership (reminders about the priority's targets
// then reach them); `owner_name` stays for owners outside the system and holds a member owner's
// name as last saved. And a person may choose a weekly digest by email (off unless chosen).
// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("priority")
    .addColumn("owner_user_id", "integer", (c) => c.references("app_user.id").onDelete("set null"))
    .execute();
  await db.schema
    .alterTable("email_preference")
    .addColumn("weekly_digest", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("email_preference").dropColumn("weekly_digest").execute();
  await db.schema.alterTable("priority").dropColumn("owner_user_id").execute();
}
