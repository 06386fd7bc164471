import { type Kysely, type Migration, sql } from "kysely";

export function roomsAndMessages(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("room")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("slug", "text", (c) => c.notNull().unique())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("created_by", "text")
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("last_seq", "bigint", (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable("room_member")
        .addColumn("room_id", "text", (c) => c.notNull().references("room.id").onDelete("cascade"))
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("joined_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("room_member_pk", ["room_id", "user_id"])
        .execute();
      await db.schema
        .createIndex("room_member_user")
        .on("room_member")
        .columns(["user_id"])
        .execute();
      await db.schema
        .createTable("message")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("room_id", "text", (c) => c.notNull().references("room.id").onDelete("cascade"))
        .addColumn("seq", "bigint", (c) => c.notNull())
        .addColumn("author_id", "text", (c) => c.notNull())
        .addColumn("client_id", "text", (c) => c.notNull())
        .addColumn("text", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addUniqueConstraint("message_room_seq", ["room_id", "seq"])
        // Idempotency keys are the sender's own: another user's id never collides.
        .addUniqueConstraint("message_room_author_client", ["room_id", "author_id", "client_id"])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table message`.execute(db);
      await sql`drop table room_member`.execute(db);
      await sql`drop table room`.execute(db);
    },
  };
}
