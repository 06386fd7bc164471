import { getMigrations } from "better-auth/db/migration";
import { type Kysely, sql } from "kysely";
import { GENERAL_ROOM } from "../core/rooms";
import { type Config, getConfig } from "../env";
import type { Storage } from "../ports";
import { type Auth, createAuth } from "./auth/auth.server";
import { resolveAuthSecret } from "./auth/secret.server";
import { createEventBus, type EventBus } from "./events.server";
import { createLogger, type Logger } from "./log.server";
import { createMetrics, type Metrics } from "./metrics.server";
import { createMessageStore } from "./storage/message-store.server";
import { migrateToLatest } from "./storage/migrations.server";
import { createRoomStore, createUserDirectory } from "./storage/room-store.server";
import { openSqlite } from "./storage/sqlite.server";
import { createSqliteSearch } from "./storage/sqlite-search.server";

/** Everything the server side shares: built once per process from the config. */
export type Runtime = {
  config: Config;
  log: Logger;
  auth: Auth;
  storage: Storage;
  events: EventBus;
  metrics: Metrics;
};

// Nitro bundles server routes and TanStack Start's server functions
// separately, so a module-level singleton could exist twice; a global
// keyed by a registered symbol guarantees one database and one auth.
const key = Symbol.for("parley.runtime");
type Holder = { [key]?: Promise<Runtime> };

/** The process's runtime, composed on first use (the composition root). */
export function getRuntime(): Promise<Runtime> {
  const holder = globalThis as Holder;
  holder[key] ??= composeRuntime(getConfig()).catch((error) => {
    holder[key] = undefined;
    throw error;
  });
  return holder[key];
}

/** Picks drivers from the config, applies migrations and seeds "general". */
export async function composeRuntime(config: Config): Promise<Runtime> {
  const log = createLogger(config.logLevel);
  const secret = resolveAuthSecret(config.authSecret, config.dataDir, log);
  const { db, raw } = openSqlite(config.databasePath);
  const auth = createAuth({
    db: db as unknown as Kysely<never>,
    secret,
    allowedOrigins: config.allowedOrigins,
    publicUrl: config.publicUrl,
    attemptsPerMinute: config.authAttemptsPerMinute,
  });
  const { runMigrations } = await getMigrations(auth.options);
  await runMigrations();
  await migrateToLatest(db as unknown as Kysely<unknown>, "sqlite");
  const storage: Storage = {
    rooms: createRoomStore(db, Date.now),
    messages: createMessageStore(db, Date.now),
    users: createUserDirectory(db),
    search: createSqliteSearch(db),
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
      if (raw.isOpen) raw.close();
    },
  };
  await storage.rooms.ensureRoom(GENERAL_ROOM);
  log.info("storage ready", { driver: "sqlite", path: config.databasePath });
  return { config, log, auth, storage, events: createEventBus(), metrics: createMetrics() };
}
