import type { Kysely } from "kysely";
import { idColumn } from "./helpers.ts";

// Jobs: work that outlives a request (an import's commit, later report exports, recomputes and
// scheduled emails). This table holds what people see — kind, state, progress, result, who
// started it — on both engines, so any instance can report a job and a restart fails (SQLite) or
// resumes (PostgreSQL, whose queue is pg-boss in its own schema) what was running. `instance` and
// `heartbeat_at` say which process runs a job and when it last reported.
// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("job")
    .$call(idColumn(db))
    .addColumn("kind", "varchar(60)", (c) => c.notNull())
    // queued | running | succeeded | failed | cancelled
    .addColumn("state", "varchar(12)", (c) => c.notNull())
    .addColumn("payload_json", "text", (c) => c.notNull())
    .addColumn("progress_done", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("progress_total", "integer")
    .addColumn("message", "text")
    .addColumn("result_json", "text")
    .addColumn("error", "text")
    .addColumn("partnership_id", "integer", (c) => c.references("partnership.id").onDelete("cascade"))
    .addColumn("started_by", "integer", (c) => c.references("app_user.id").onDelete("set null"))
    // The request that started it: the job's audit entries carry it, so the trail links them.
    .addColumn("request_id", "varchar(64)")
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("instance", "varchar(120)")
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("started_at", "varchar(30)")
    .addColumn("finished_at", "varchar(30)")
    .addColumn("heartbeat_at", "varchar(30)")
    .execute();
  await db.schema.createIndex("job_state").on("job").column("state").execute();
  await db.schema.createIndex("job_created").on("job").columns(["created_at", "id"]).execute();
  await db.schema.createIndex("job_started_by").on("job").column("started_by").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("job").execute();
}
