import { type Kysely, sql } from "kysely";

// The audit trail also records each use of an API token (action "use"), reads included. Those
// entries change nothing, so the change counter (the newest audit entry's id that caches are keyed
// by, `latestAuditId`) skips them; this partial index keeps that maximum a lookup on both engines.
// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex("audit_event_changes")
    .on("audit_event")
    .column("id")
    .where(sql.ref("action"), "<>", "use")
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("audit_event_changes").execute();
}
