import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { NodeSqliteDialect } from "@better-auth/kysely-adapter/node-sqlite-dialect";
import { Kysely } from "kysely";
import type { Database } from "./schema.server";

/** Opens (creating if needed) the SQLite file in WAL mode behind one Kysely instance. */
export function openSqlite(path: string): { db: Kysely<Database>; raw: DatabaseSync } {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const raw = new DatabaseSync(path);
  // WAL lets readers run beside the writer; NORMAL sync is durable across
  // process crashes (only an OS crash can lose the last commits).
  raw.exec("PRAGMA journal_mode = WAL");
  raw.exec("PRAGMA synchronous = NORMAL");
  raw.exec("PRAGMA busy_timeout = 5000");
  raw.exec("PRAGMA foreign_keys = ON");
  const db = new Kysely<Database>({ dialect: new NodeSqliteDialect({ database: raw }) });
  return { db, raw };
}
