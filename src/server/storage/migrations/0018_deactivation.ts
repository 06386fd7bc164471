import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialect } from "../migrations.server";

// Issue 14: an admin deactivates an account from /admin/users. While
// user.deactivated_at is set (when it was done), every sign-in is refused
// (auth/deactivation.server.ts) and the account has no sessions; clearing
// it (reactivation) lets them sign in again. better-auth does not know the
// column, so it never writes or returns it. Bare test stores have no user
// table, and get none here.
export function deactivation(dialect: SqlDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const query =
        dialect === "sqlite"
          ? sql<{ found: unknown }>`select name as found from sqlite_master
              where type = 'table' and name = 'user'`
          : sql<{ found: unknown }>`select to_regclass('"user"') as found`;
      if (!(await query.execute(db)).rows[0]?.found) return;
      await db.schema.alterTable("user").addColumn("deactivated_at", "bigint").execute();
    },
  };
}
