import { type CreateTableBuilder, type Kysely, PostgresAdapter } from "kysely";

/**
 * True when the database behind `db` is PostgreSQL. Migrations use it for the few places where
 * the two dialects spell a column differently.
 *
 * @example if (isPostgres(db)) { ... }
 */
// biome-ignore lint/suspicious/noExplicitAny: works on any Kysely instance, typed or not
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Adds an integer primary key `id` that the database assigns: AUTOINCREMENT on SQLite (ids are
 * never reused), an identity column on PostgreSQL.
 *
 * @example db.schema.createTable("area").$call(idColumn(db))
 */
// biome-ignore lint/suspicious/noExplicitAny: works on any Kysely instance, typed or not
export function idColumn(db: Kysely<any>) {
  const pg = isPostgres(db);
  return <T extends string>(table: CreateTableBuilder<T, never>) =>
    table.addColumn("id", "integer", (c) =>
      pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
    );
}
