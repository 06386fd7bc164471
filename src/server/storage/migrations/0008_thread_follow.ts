import { type Kysely, type Migration, sql } from "kysely";

// Issue 11: threads, part two. Who follows which thread and how far they
// have read it (one row per user and root, kept when they unfollow so a
// mention or reply does not silently re-follow someone who left), and an
// index of the replies kept out of the main log, which room unread skips.
export function threadFollow(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("thread_follow")
        .addColumn("room_id", "text", (c) => c.notNull().references("room.id").onDelete("cascade"))
        .addColumn("root_id", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        // 1 while the user follows; 0 after "Unfollow thread".
        .addColumn("following", "integer", (c) => c.notNull().defaultTo(1))
        // The seq of the newest reply the user has read in this thread.
        .addColumn("last_read_seq", "bigint", (c) => c.notNull().defaultTo(0))
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("thread_follow_pk", ["root_id", "user_id"])
        .execute();
      await db.schema
        .createIndex("thread_follow_user")
        .on("thread_follow")
        .columns(["user_id", "following"])
        .execute();
      // Partial: only thread-only replies, so a room's summary counts them
      // after the read marker without scanning the room's messages.
      await sql`create index message_thread_only on message (room_id, seq)
        where thread_root_id is not null and also_in_room = 0`.execute(db);
    },
  };
}
