import { type Kysely, type MigrationProvider, Migrator, sql } from "kysely";
import { migrationsFor } from "./migrations/index";

/**
 * Parley's schema steps live one per file in ./migrations/ (listed in order
 * by ./migrations/index.ts). Written with Kysely's schema builder and
 * portable types (text, integer, bigint) so the PostgreSQL driver can apply
 * the same list. Never edit a step that has shipped: add a new one.
 */
export type SqlDialect = "sqlite" | "postgres";

/** Applies every pending step; throws with the failing step's error. */
export async function migrateToLatest(
  db: Kysely<unknown>,
  dialect: SqlDialect = "sqlite",
): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrationsFor(dialect) };
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: "parley_migration",
    migrationTableSchema: dialect === "postgres" ? await currentSchema(db) : undefined,
    // Each step stands on its own, so one recorded as not applied while a
    // later one is (a test rewinding a single step) is simply applied.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error) {
    const step = failed ? ` (step ${failed.migrationName})` : "";
    throw new Error(`database migration failed${step}: ${String(error)}`, { cause: error });
  }
}

/**
 * The schema new tables land in (the first of search_path). Kysely's
 * migrator looks for its bookkeeping table in every schema unless told
 * which, so a second Parley in another schema of the same database would
 * believe its migrations table exists when it does not.
 */
async function currentSchema(db: Kysely<unknown>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(
    db,
  );
  const schema = rows[0]?.schema;
  if (!schema) throw new Error("PostgreSQL search_path names no existing schema");
  return schema;
}
