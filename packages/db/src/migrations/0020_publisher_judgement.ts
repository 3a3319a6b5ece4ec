import type { Kysely } from "kysely";

// The publisher's own judgement of a value against its benchmark (Fingertips' compared_to_England:
// better, similar, worse; or higher, lower for indicators without a polarity), with the source it
// came from, kept beside the value so step 1 can show it labelled as the publisher's, apart from
// Fivestep's own comparison. `interval_method` says where the limits came from: "publisher" (the
// file's own), or the method Fivestep computed them with at import ("wilson", "byars", "exact").
// Held rows (`pending_observation`) keep the same, so approval writes what was imported.
// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ["observation", "pending_observation"]) {
    await db.schema.alterTable(table).addColumn("publisher_judgement", "varchar(20)").execute();
    await db.schema.alterTable(table).addColumn("judgement_source", "varchar(200)").execute();
    await db.schema.alterTable(table).addColumn("interval_method", "varchar(20)").execute();
  }
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["observation", "pending_observation"]) {
    await db.schema.alterTable(table).dropColumn("interval_method").execute();
    await db.schema.alterTable(table).dropColumn("judgement_source").execute();
    await db.schema.alterTable(table).dropColumn("publisher_judgement").execute();
  }
}
