import type { Kysely, Migration } from "kysely";

// Issue 13: notification preferences. Per member: a level (null follows the
// user's default; DMs count as "all" unless set) and a mute. Per user: the
// settings row, absent until they change something (the defaults apply).
// Push subscriptions (0014) and pending emails (0015) have their own steps.
export function notifyPrefs(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("room_member").addColumn("notify_level", "text").execute();
      await db.schema
        .alterTable("room_member")
        .addColumn("muted", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable("notify_settings")
        .addColumn("user_id", "text", (c) => c.primaryKey())
        .addColumn("default_level", "text", (c) => c.notNull().defaultTo("mentions"))
        .addColumn("email", "integer", (c) => c.notNull().defaultTo(1))
        .addColumn("show_text", "integer", (c) => c.notNull().defaultTo(1))
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
      // A new message's audience (NotifyStore.audience) finds the members
      // who chose "all" by index, never by scanning a large room.
      await db.schema
        .createIndex("room_member_notify_level")
        .on("room_member")
        .columns(["room_id", "notify_level"])
        .execute();
      await db.schema
        .createIndex("notify_settings_default_level")
        .on("notify_settings")
        .columns(["default_level"])
        .execute();
    },
  };
}
