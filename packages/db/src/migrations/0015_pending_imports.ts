import type { Kysely } from "kysely";
import { idColumn } from "./helpers.ts";

// Pending imports. An import from a source the administrator marked "arrives pending" no longer
// writes `observation`: its rows wait in `pending_observation` on a batch whose status is
// "pending" until another administrator approves the batch (the rows are then written as any
// import's, with revisions) or rejects it (the rows are deleted, the batch keeps the reason).
// The batch remembers the revision reason given for changes of locked values, and who reviewed it.
// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  const batch = () => db.schema.alterTable("import_batch");
  await batch().addColumn("revision_reason", "text").execute();
  await batch().addColumn("review_note", "text").execute();
  await batch()
    .addColumn("reviewed_by", "integer", (c) => c.references("app_user.id").onDelete("set null"))
    .execute();
  await batch().addColumn("reviewed_at", "varchar(30)").execute();
  await db.schema.createIndex("import_batch_status").on("import_batch").column("status").execute();

  await db.schema
    .createTable("pending_observation")
    .$call(idColumn(db))
    .addColumn("batch_id", "integer", (c) => c.notNull().references("import_batch.id").onDelete("cascade"))
    .addColumn("indicator_id", "integer", (c) => c.notNull().references("indicator.id").onDelete("cascade"))
    .addColumn("area_id", "integer", (c) => c.notNull().references("area.id").onDelete("cascade"))
    .addColumn("period", "varchar(30)", (c) => c.notNull())
    .addColumn("breakdown", "varchar(120)", (c) => c.notNull())
    .addColumn("period_type", "varchar(20)", (c) => c.notNull())
    .addColumn("period_start", "varchar(10)", (c) => c.notNull())
    .addColumn("value", "double precision")
    .addColumn("numerator", "double precision")
    .addColumn("denominator", "double precision")
    .addColumn("lower", "double precision")
    .addColumn("upper", "double precision")
    .addColumn("status", "varchar(12)", (c) => c.notNull())
    .addColumn("note", "text")
    // Whether the key had a stored value when the batch was held: "new" or "changed".
    .addColumn("kind", "varchar(10)", (c) => c.notNull())
    .addUniqueConstraint("pending_observation_key", [
      "batch_id",
      "indicator_id",
      "area_id",
      "period",
      "breakdown",
    ])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("pending_observation").execute();
  // Held batches never wrote a value: without the table they are gone.
  await db.deleteFrom("import_batch").where("status", "in", ["pending", "rejected"]).execute();
  await db.schema.dropIndex("import_batch_status").execute();
  for (const column of ["reviewed_at", "reviewed_by", "review_note", "revision_reason"]) {
    await db.schema.alterTable("import_batch").dropColumn(column).execute();
  }
}
