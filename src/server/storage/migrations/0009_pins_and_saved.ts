import type { Kysely, Migration } from "kysely";

// Issue 11: pins and saved messages. A pin is room state on the message's
// own row, so it changes in a message change's transaction and travels
// with the message's `rev` (replays by revision carry it). A saved message
// is the user's alone: a row per (user, message), with the room kept so
// the saved list can drop rooms the user has left without reading messages.
export function pinsAndSaved(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // When it was pinned (ms), null when it is not; and by whom.
      await db.schema.alterTable("message").addColumn("pinned_at", "bigint").execute();
      await db.schema.alterTable("message").addColumn("pinned_by", "text").execute();
      // The room header lists a room's pins, newest first.
      await db.schema
        .createIndex("message_pinned")
        .on("message")
        .columns(["room_id", "pinned_at"])
        .execute();
      await db.schema
        .createTable("saved_message")
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("message_id", "text", (c) => c.notNull())
        .addColumn("room_id", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("saved_message_pk", ["user_id", "message_id"])
        .execute();
      // The Saved page: one user's, newest saved first.
      await db.schema
        .createIndex("saved_message_by_user")
        .on("saved_message")
        .columns(["user_id", "created_at"])
        .execute();
    },
  };
}
