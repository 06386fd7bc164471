import { type Kysely, sql } from "kysely";
import type { ActionLimits, Storage } from "../../ports";
import { createFileStore } from "./file-store.server";
import { createMessageStore } from "./message-store.server";
import type { SqlDialect } from "./migrations.server";
import { createModerationStore } from "./moderation-store.server";
import { createNotifyStore } from "./notify-store.server";
import { createPostgresSearch } from "./postgres-search.server";
import { createProfileDetailsStore } from "./profile-details-store.server";
import { createRoomAdminStore } from "./room-admin-store.server";
import { createRoomStore, createUserDirectory } from "./room-store.server";
import { createSavedStore } from "./saved-store.server";
import type { Database } from "./schema.server";
import { createSqliteSearch } from "./sqlite-search.server";
import { createThreadStore } from "./thread-store.server";

/** An opened, migrated database: what `createStorage` builds the stores on. */
export type StorageDatabase = {
  db: Kysely<Database>;
  dialect: SqlDialect;
  /** Releases the database (pool, file handle); `Storage.close` calls it. */
  close(): Promise<void>;
};

export type StorageOptions = {
  /** The clock the stores stamp rows with (Date.now unless a test needs another). */
  now?: () => number;
  /** Per-user action limits frame handling consults; the runtime passes its own. */
  limits?: ActionLimits;
};

/**
 * The `Storage` port over an opened database, for either dialect: the one
 * place its stores are put together (the runtime and both contract suites).
 */
export function createStorage(database: StorageDatabase, options: StorageOptions = {}): Storage {
  const { db, dialect } = database;
  const now = options.now ?? Date.now;
  return {
    rooms: createRoomStore(db, now),
    messages: createMessageStore(db, now),
    users: createUserDirectory(db, now),
    search: dialect === "sqlite" ? createSqliteSearch(db) : createPostgresSearch(db),
    threads: createThreadStore(db, now),
    saved: createSavedStore(db, now),
    files: createFileStore(db, now),
    notify: createNotifyStore(db, now),
    roomAdmin: createRoomAdminStore(db, now),
    profiles: createProfileDetailsStore(db, now),
    moderation: createModerationStore(db, now),
    ...(options.limits ? { limits: options.limits } : {}),
    async ping() {
      await sql`select 1`.execute(db);
    },
    close: () => database.close(),
  };
}
