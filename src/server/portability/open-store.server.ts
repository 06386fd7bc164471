import type { Kysely } from "kysely";
import { type Config, getConfig } from "../../env";
import { createAuth } from "../auth/auth.server";
import { resolveAuthSecret } from "../auth/secret.server";
import { createLogger } from "../log.server";
import type { SqlDialect } from "../storage/migrations.server";
import { openDatabase } from "../storage/open-database.server";
import type { Database } from "../storage/schema.server";

/** The configured database, migrated, for the import and export commands. */
export type PortableStore = {
  db: Kysely<Database>;
  dialect: SqlDialect;
  where: Record<string, string>;
  close(): Promise<void>;
};

/**
 * Opens the store the server would (DATABASE_URL, PARLEY_DATA_DIR through
 * src/env.ts) and applies every migration, so an import into a fresh data
 * folder finds the tables. No workers, no blob store, no "general" seed:
 * an import brings its own rooms.
 */
export async function openPortableStore(config: Config = getConfig()): Promise<PortableStore> {
  const log = createLogger("warn");
  const database = openDatabase(config.database, log);
  try {
    const auth = createAuth({
      db: database.db as unknown as Kysely<never>,
      dialect: database.dialect,
      secret: resolveAuthSecret(config.authSecret, config.dataDir, log),
      allowedOrigins: config.allowedOrigins,
      // Only its tables are wanted here; a base URL quiets its warning (no link is made).
      publicUrl: config.publicUrl ?? "http://localhost",
      attemptsPerMinute: config.authAttemptsPerMinute,
      config,
      log,
      mailer: undefined,
    });
    await database.migrate(auth);
  } catch (error) {
    await database.close();
    throw error;
  }
  return {
    db: database.db,
    dialect: database.dialect,
    where: database.where,
    close: () => database.close(),
  };
}
