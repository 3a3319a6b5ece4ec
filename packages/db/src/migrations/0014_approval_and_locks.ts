import { type Kysely, sql } from "kysely";
import { idColumn, isPostgres } from "./helpers.ts";

// Approval and locking. A submitted data return's value now waits on the return (status
// "pending") until a lead approves it into `observation`; a rejected one goes back to "due" with
// the lead's reason. Returns submitted before this migration had already written their value, so
// they become "approved". Administrators lock an indicator's period once it has been reported
// (`period_lock`); a later change to a locked value needs a reason, kept on the value's revision.
// A revision may now come from a data return rather than an import batch, so `batch_id` may be
// NULL (SQLite cannot drop NOT NULL: the table is rebuilt). Each import source remembers whether
// its imports arrive pending.
// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  const dataReturn = () => db.schema.alterTable("data_return");
  await dataReturn().addColumn("revision_reason", "text").execute();
  await dataReturn().addColumn("review_note", "text").execute();
  await dataReturn()
    .addColumn("reviewed_by", "integer", (c) => c.references("app_user.id").onDelete("restrict"))
    .execute();
  await dataReturn().addColumn("reviewed_at", "varchar(30)").execute();
  await db.updateTable("data_return").set({ status: "approved" }).where("status", "=", "submitted").execute();
  await db.schema
    .createIndex("data_return_status")
    .on("data_return")
    .columns(["partnership_id", "status"])
    .execute();

  await db.schema
    .createTable("period_lock")
    .$call(idColumn(db))
    .addColumn("indicator_id", "integer", (c) => c.notNull().references("indicator.id").onDelete("cascade"))
    .addColumn("period", "varchar(30)", (c) => c.notNull())
    .addColumn("locked_by", "integer", (c) => c.references("app_user.id").onDelete("set null"))
    .addColumn("locked_at", "varchar(30)", (c) => c.notNull())
    .addUniqueConstraint("period_lock_key", ["indicator_id", "period"])
    .execute();

  await db.schema
    .alterTable("import_mapping")
    .addColumn("arrives_pending", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  if (isPostgres(db)) {
    await sql`alter table observation_revision alter column batch_id drop not null`.execute(db);
    await db.schema.alterTable("observation_revision").addColumn("reason", "text").execute();
    await db.schema
      .alterTable("observation_revision")
      .addColumn("data_return_id", "integer", (c) => c.references("data_return.id").onDelete("set null"))
      .execute();
    return;
  }
  await db.schema
    .createTable("observation_revision_new")
    .$call(idColumn(db))
    .addColumn("observation_id", "integer", (c) =>
      c.notNull().references("observation.id").onDelete("cascade"),
    )
    .addColumn("batch_id", "integer", (c) => c.references("import_batch.id").onDelete("cascade"))
    .addColumn("previous_batch_id", "integer")
    .addColumn("old_json", "text", (c) => c.notNull())
    .addColumn("new_json", "text", (c) => c.notNull())
    .addColumn("changed_by", "integer", (c) => c.references("app_user.id").onDelete("set null"))
    .addColumn("changed_at", "varchar(30)", (c) => c.notNull())
    .addColumn("reason", "text")
    .addColumn("data_return_id", "integer", (c) => c.references("data_return.id").onDelete("set null"))
    .execute();
  await sql`insert into observation_revision_new (id, observation_id, batch_id, previous_batch_id, old_json, new_json, changed_by, changed_at)
    select id, observation_id, batch_id, previous_batch_id, old_json, new_json, changed_by, changed_at from observation_revision`.execute(
    db,
  );
  await db.schema.dropTable("observation_revision").execute();
  await db.schema.alterTable("observation_revision_new").renameTo("observation_revision").execute();
  // Ids stay unique: AUTOINCREMENT carries on from the largest copied id.
  await db.schema
    .createIndex("observation_revision_batch")
    .on("observation_revision")
    .column("batch_id")
    .execute();
  await db.schema
    .createIndex("observation_revision_observation")
    .on("observation_revision")
    .column("observation_id")
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  // Revisions that came from data returns have no batch; the older schema cannot hold them.
  await db.deleteFrom("observation_revision").where("batch_id", "is", null).execute();
  if (isPostgres(db)) {
    await db.schema.alterTable("observation_revision").dropColumn("data_return_id").execute();
    await db.schema.alterTable("observation_revision").dropColumn("reason").execute();
    await sql`alter table observation_revision alter column batch_id set not null`.execute(db);
  } else {
    await db.schema
      .createTable("observation_revision_old")
      .$call(idColumn(db))
      .addColumn("observation_id", "integer", (c) =>
        c.notNull().references("observation.id").onDelete("cascade"),
      )
      .addColumn("batch_id", "integer", (c) => c.notNull().references("import_batch.id").onDelete("cascade"))
      .addColumn("previous_batch_id", "integer")
      .addColumn("old_json", "text", (c) => c.notNull())
      .addColumn("new_json", "text", (c) => c.notNull())
      .addColumn("changed_by", "integer", (c) => c.references("app_user.id").onDelete("set null"))
      .addColumn("changed_at", "varchar(30)", (c) => c.notNull())
      .execute();
    await sql`insert into observation_revision_old (id, observation_id, batch_id, previous_batch_id, old_json, new_json, changed_by, changed_at)
      select id, observation_id, batch_id, previous_batch_id, old_json, new_json, changed_by, changed_at from observation_revision`.execute(
      db,
    );
    await db.schema.dropTable("observation_revision").execute();
    await db.schema.alterTable("observation_revision_old").renameTo("observation_revision").execute();
    await db.schema
      .createIndex("observation_revision_batch")
      .on("observation_revision")
      .column("batch_id")
      .execute();
    await db.schema
      .createIndex("observation_revision_observation")
      .on("observation_revision")
      .column("observation_id")
      .execute();
  }
  await db.schema.alterTable("import_mapping").dropColumn("arrives_pending").execute();
  await db.schema.dropTable("period_lock").execute();
  await db.schema.dropIndex("data_return_status").execute();
  await db.updateTable("data_return").set({ status: "submitted" }).where("status", "!=", "due").execute();
  for (const column of ["reviewed_at", "reviewed_by", "review_note", "revision_reason"]) {
    await db.schema.alterTable("data_return").dropColumn(column).execute();
  }
}
