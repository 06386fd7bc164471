import type { Kysely, Migration } from "kysely";

// Issue 17: the room directory ("Browse rooms") shows a room's topic under
// its name. Nullable, and null for every room today: setting a topic is a
// later issue, and a room without one shows none.
export function roomTopic(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("room").addColumn("topic", "text").execute();
    },
  };
}
