import type { Kysely, Migration } from "kysely";

// Issue 13: Web Push subscriptions, one row per browser (device). The
// endpoint is the push service's URL for that browser and names it: a
// browser that subscribes again (new keys, another user signed in) updates
// its row. Removed when the push service answers 404 or 410, or the user
// turns push off on that device. last_ok_at: the last accepted push.
export function pushSubscriptions(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("push_subscription")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("endpoint", "text", (c) => c.notNull().unique())
        .addColumn("p256dh", "text", (c) => c.notNull())
        .addColumn("auth", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("last_ok_at", "bigint")
        .execute();
      // A user's devices, oldest first: every push reads them, the cap drops the oldest.
      await db.schema
        .createIndex("push_subscription_by_user")
        .on("push_subscription")
        .columns(["user_id", "created_at"])
        .execute();
    },
  };
}
