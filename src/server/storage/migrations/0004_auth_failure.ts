import type { Kysely, Migration } from "kysely";

// Failed sign-ins per email (src/server/auth/account-lock.server.ts).
export function authFailure(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("auth_failure")
        .addColumn("email", "text", (c) => c.primaryKey())
        .addColumn("failures", "integer", (c) => c.notNull())
        .addColumn("locked_until", "bigint", (c) => c.notNull())
        .addColumn("last_failure_at", "bigint", (c) => c.notNull())
        .execute();
    },
  };
}
