import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { getMigrations } from "better-auth/db/migration";
import type { Kysely } from "kysely";
import type { DatabaseConfig } from "../../env";
import type { Auth } from "../auth/auth.server";
import type { Logger } from "../log.server";
import { holdDatabaseLock } from "./data-lock.server";
import { migrateToLatest, type SqlDialect } from "./migrations.server";
import { openPostgres, withMigrationLock } from "./postgres.server";
import type { Database } from "./schema.server";
import { openSqlite } from "./sqlite.server";

/** A database handle with what differs between the drivers already picked (see createStorage). */
export type OpenedDatabase = {
  db: Kysely<Database>;
  dialect: SqlDialect;
  /** Applies better-auth's tables, then Parley's steps (see migrateAll). */
  migrate(auth: Auth): Promise<void>;
  close(): Promise<void>;
  /** Where the data lives, fit for a log line (no password). */
  where: Record<string, string>;
};

/** Opens the configured database: the SQLite file, or a PostgreSQL pool. */
export function openDatabase(config: DatabaseConfig, log: Logger): OpenedDatabase {
  if (config.kind === "sqlite") {
    if (config.path !== ":memory:") keepPrivate(config.path);
    // One process owns the file: a second server, or a restore, is refused.
    const release = config.path === ":memory:" ? () => {} : holdDatabaseLock(config.path);
    const { db, raw } = openSqlite(config.path, {
      // The automatic checkpoint still bounds the WAL without the worker.
      onError: (error) => log.warn("sqlite checkpointer failed", { error: error.message }),
    });
    return {
      db,
      dialect: "sqlite",
      // One process owns an SQLite file: nobody to race with.
      migrate: (auth) => migrateAll(db, "sqlite", auth),
      async close() {
        await db.destroy();
        if (raw.isOpen) raw.close();
        release();
      },
      where: { driver: "sqlite", path: config.path },
    };
  }
  const { db } = openPostgres({
    url: config.url,
    onError: (error) => log.warn("postgres connection lost", { error: error.message }),
  });
  const url = new URL(config.url);
  return {
    db,
    dialect: "postgres",
    // Several instances may start at once against one database.
    migrate: (auth) =>
      withMigrationLock(db, () => migrateAll(db, "postgres", auth)).catch((error: unknown) => {
        // Say which server (never the password): the operator's first question.
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`PostgreSQL at ${url.host}${url.pathname}: ${reason}`, { cause: error });
      }),
    close: () => db.destroy(),
    where: { driver: "postgres", host: url.host, database: url.pathname.slice(1) },
  };
}

/**
 * The database holds password hashes and session tokens: its folder, when
 * we create it, is 0700 and the file, its WAL and its shared-memory index
 * are 0600 whatever the umask. SQLite gives the -wal and -shm files the
 * main file's mode, so the main file is created first, with its mode set;
 * files from an older install are tightened too.
 */
export function keepPrivate(path: string): void {
  const folder = dirname(path);
  if (!existsSync(folder)) {
    const first = mkdirSync(folder, { recursive: true, mode: 0o700 });
    // mkdir's mode passes through the umask; chmod does not.
    if (first) chmodSync(first, 0o700);
    chmodSync(folder, 0o700);
  }
  if (!existsSync(path)) closeSync(openSync(path, "a", 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(file)) chmodSync(file, 0o600);
  }
}

/** better-auth's own tables first (Parley's reads `user`), then Parley's steps. */
async function migrateAll(db: Kysely<Database>, dialect: SqlDialect, auth: Auth) {
  const { runMigrations } = await getMigrations(auth.options);
  await runMigrations();
  await migrateToLatest(db as unknown as Kysely<unknown>, dialect);
}
