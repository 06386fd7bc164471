import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Kysely, SqliteDialect } from "kysely";
import type { Database } from "./schema.server";
import { startCheckpointer, WriteGate } from "./sqlite-checkpoint.server";
import { kyselySqliteDatabase, StatementCache } from "./statement-cache.server";

/** The node:sqlite connection behind a Kysely instance, for the hand-written hot path. */
export type SqliteHandle = { raw: DatabaseSync; statements: StatementCache; gate: WriteGate };

// Keyed by the Kysely instance so the stores, which are handed only `db`,
// can find the connection and its statement cache (see sqliteHandleOf).
const handles = new WeakMap<Kysely<Database>, SqliteHandle>();

/** The SQLite connection of a Kysely instance made by openSqlite; undefined for any other. */
export function sqliteHandleOf(db: Kysely<Database>): SqliteHandle | undefined {
  return handles.get(db);
}

/** Opens (creating if needed) the SQLite file in WAL mode behind one Kysely instance. */
export function openSqlite(
  path: string,
  options: { onError?: (error: Error) => void } = {},
): { db: Kysely<Database>; raw: DatabaseSync } {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const raw = new DatabaseSync(path);
  // WAL lets readers run beside the writer; NORMAL sync is durable across
  // process crashes (only an OS crash can lose the last commits).
  raw.exec("PRAGMA journal_mode = WAL");
  raw.exec("PRAGMA synchronous = NORMAL");
  raw.exec("PRAGMA busy_timeout = 5000");
  raw.exec("PRAGMA foreign_keys = ON");
  // A file database checkpoints on a worker thread (see startCheckpointer);
  // the automatic checkpoint stays as a backstop at 20x its default.
  const gate = new WriteGate();
  const stopCheckpoints =
    path === ":memory:" ? () => {} : startCheckpointer(path, gate, options.onError ?? (() => {}));
  if (path !== ":memory:") raw.exec("PRAGMA wal_autocheckpoint = 20000");
  const statements = new StatementCache(raw);
  // Kysely's own SqliteDialect (one connection behind a mutex) over
  // node:sqlite, with every statement prepared once per SQL text.
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({
      database: kyselySqliteDatabase(raw, statements, stopCheckpoints),
    }),
  });
  handles.set(db, { raw, statements, gate });
  return { db, raw };
}
