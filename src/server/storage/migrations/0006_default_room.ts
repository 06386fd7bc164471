import { type Kysely, type Migration, sql } from "kysely";

// Issue 10: "general" is a room attribute, not a slug compared in code
// (core/policy: nobody leaves the default room). The seeded room gets it
// here; a fresh database seeds it with the attribute (ensureRoom).
export function defaultRoom(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable("room")
        .addColumn("is_default", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      await sql`update room set is_default = 1 where slug = 'general' and kind = 'public'`.execute(
        db,
      );
    },
  };
}
