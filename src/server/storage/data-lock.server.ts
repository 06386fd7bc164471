import { closeSync, openSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";

/**
 * The marker that a process owns an SQLite database: a small lock file
 * beside it (`parley.db.lock`) that the server holds an exclusive SQLite
 * lock on for its whole life. The lock is the operating system's (fcntl),
 * so it goes when the process goes, however it dies: a crashed server
 * leaves no stale marker, and a reused pid cannot fake one. `npm run
 * restore` takes the same lock, so it refuses while a server runs, and a
 * server refuses to start while a restore (or another server) holds it.
 *
 * Only node: imports: scripts/restore.ts imports this file as is.
 */
export const lockPathOf = (databasePath: string) => `${databasePath}.lock`;

/** Thrown when someone else holds the lock; the message says who and what to do. */
export class DatabaseInUseError extends Error {
  override name = "DatabaseInUseError";
}

/**
 * Takes the lock of the database at `databasePath` (creating the lock file)
 * and answers its release; throws DatabaseInUseError when it is held.
 */
export function holdDatabaseLock(databasePath: string): () => void {
  const path = lockPathOf(databasePath);
  // Created owner-only like the database beside it (see keepPrivate).
  closeSync(openSync(path, "a", 0o600));
  // timeout 0: a held lock answers "busy" at once rather than after 5 s.
  const lock = new DatabaseSync(path, { timeout: 0 });
  try {
    // Exclusive locking keeps the lock after BEGIN until the connection
    // closes; an in-memory journal writes no -journal file beside it.
    lock.exec("PRAGMA locking_mode = EXCLUSIVE");
    lock.exec("PRAGMA journal_mode = MEMORY");
    lock.exec("BEGIN EXCLUSIVE");
  } catch (error) {
    lock.close();
    if (isBusy(error)) {
      throw new DatabaseInUseError(
        `${databasePath} is in use by a running Parley server (or a restore): its lock ${path} is held. Stop it first.`,
      );
    }
    throw error;
  }
  return () => {
    if (lock.isOpen) lock.close();
  };
}

/** SQLITE_BUSY (5) or SQLITE_LOCKED (6), as node:sqlite reports them. */
function isBusy(error: unknown): boolean {
  const code = (error as { errcode?: number }).errcode;
  return code === 5 || code === 6;
}
