import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import type { Database } from "./schema.server";

// PostgreSQL type OIDs whose text form pg leaves as a string by default.
const INT8_OID = 20; // bigint: seq, revisions, millisecond timestamps, count(*)

// pg returns bigint as a string because it can exceed 2^53. Parley's bigints
// are counters and millisecond times, far below that, so numbers are exact.
// Parsers are set per pool, not on pg's global registry, so nothing else in
// the process changes behaviour.
const parseInt8 = (value: string) => Number(value);

const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (format !== "binary" && oid === INT8_OID) return parseInt8;
    return pg.types.getTypeParser(oid, format as "text");
  },
} as pg.CustomTypesConfig;

export type PostgresOptions = {
  url: string;
  /** Schema to work in (sets search_path); tests use one schema per test. */
  schema?: string;
  /** Pool size; each concurrent transaction holds one connection. */
  max?: number;
  /** An idle connection failed (server restart, network); the pool replaces it. */
  onError?: (error: Error) => void;
};

/** Opens a pg Pool behind one Kysely instance; bigints come back as numbers. */
export function openPostgres(options: PostgresOptions): { db: Kysely<Database>; pool: pg.Pool } {
  if (options.schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(options.schema)) {
    throw new Error(`not a plain schema name: ${options.schema}`);
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    types,
    connectionTimeoutMillis: 10_000,
    options: options.schema ? `-c search_path=${options.schema}` : undefined,
  });
  // An idle client's error is emitted on the pool; unhandled it would crash
  // the process on every database restart.
  pool.on("error", (error) => options.onError?.(error));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}

// One advisory lock id for "Parley is migrating this database"; any 64-bit
// number no other tool uses. Kysely's migrator takes its own lock too, but
// only around its steps, not around better-auth's tables or our checks.
const MIGRATION_LOCK_ID = 7_026_011_842_001;

/**
 * Runs `migrate` while holding a session-level advisory lock on one
 * dedicated connection, so instances starting together apply the schema
 * one after another (the later ones find nothing left to do). The lock
 * goes with the session if the process dies mid-migration.
 */
export async function withMigrationLock<T>(
  db: Kysely<Database>,
  migrate: () => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_ID})`.execute(connection);
    try {
      return await migrate();
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`.execute(connection);
    }
  });
}
