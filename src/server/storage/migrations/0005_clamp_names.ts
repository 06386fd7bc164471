import { type Kysely, type Migration, sql } from "kysely";
import { clampDisplayName } from "../../auth/names.server";
import type { SqlDialect } from "../migrations.server";

// Names stored before the display-name rule: brought within it, so no
// member list or message carries an unbounded or bidi-laden name.
export function clampNames(dialect: SqlDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // better-auth creates "user" first in the app; bare stores (contract tests) have none.
      const exists =
        dialect === "sqlite"
          ? sql<{
              found: unknown;
            }>`select name as found from sqlite_master where type = 'table' and name = 'user'`
          : sql<{ found: unknown }>`select to_regclass('"user"') as found`;
      const found = (await exists.execute(db)).rows[0]?.found;
      if (!found) return;
      const { rows } = await sql<{ id: string; name: unknown }>`
        select id, name from "user"`.execute(db);
      for (const row of rows) {
        const name = clampDisplayName(String(row.name ?? ""));
        if (name !== row.name) {
          await sql`update "user" set name = ${name} where id = ${row.id}`.execute(db);
        }
      }
    },
  };
}
