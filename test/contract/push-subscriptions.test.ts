import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrateToLatest } from "../../src/server/storage/migrations.server";
import { openPostgres, withMigrationLock } from "../../src/server/storage/postgres.server";
import { openSqlite } from "../../src/server/storage/sqlite.server";
import { adminQuery, postgresAvailable, TEST_POSTGRES_URL } from "../helpers/services";
import { describePushSubscriptionContract } from "./push-subscriptions.contract";

// The push subscription store (issue 13) on both drivers, each test on a
// fresh database: a temporary SQLite file, or a PostgreSQL schema of its own.
describePushSubscriptionContract("sqlite", async () => {
  const { db, raw } = openSqlite(join(mkdtempSync(join(tmpdir(), "parley-push-")), "chat.db"));
  await migrateToLatest(db as never);
  return {
    db,
    async close() {
      await db.destroy();
      if (raw.isOpen) raw.close();
    },
  };
});

// Unreachable: services.ts prints a loud banner, and with CI=true it throws instead.
const ready = await postgresAvailable();
if (ready) {
  describePushSubscriptionContract("postgres", async () => {
    const schema = `t_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
    await adminQuery(`create schema ${schema}`);
    const { db } = openPostgres({ url: TEST_POSTGRES_URL, schema, max: 2 });
    await withMigrationLock(db, () => migrateToLatest(db as never, "postgres"));
    return {
      db,
      async close() {
        await db.destroy();
        await adminQuery(`drop schema ${schema} cascade`);
      },
    };
  });
}
