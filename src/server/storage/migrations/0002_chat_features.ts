import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialect } from "../migrations.server";

export function chatFeatures(dialect: SqlDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable("room")
        .addColumn("kind", "text", (c) => c.notNull().defaultTo("public"))
        .execute();
      await db.schema.alterTable("room").addColumn("dm_key", "text").execute();
      await db.schema
        .alterTable("room")
        .addColumn("last_rev", "bigint", (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex("room_dm_key").unique().on("room").column("dm_key").execute();
      await db.schema
        .alterTable("room_member")
        .addColumn("last_read_seq", "bigint", (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable("message").addColumn("edited_at", "bigint").execute();
      await db.schema.alterTable("message").addColumn("deleted_at", "bigint").execute();
      await db.schema
        .alterTable("message")
        .addColumn("rev", "bigint", (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createIndex("message_room_rev")
        .on("message")
        .columns(["room_id", "rev"])
        .execute();
      await db.schema
        .createTable("reaction")
        .addColumn("message_id", "text", (c) =>
          c.notNull().references("message.id").onDelete("cascade"),
        )
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("emoji", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("reaction_pk", ["message_id", "user_id", "emoji"])
        .execute();
      await db.schema
        .createTable("message_mention")
        .addColumn("room_id", "text", (c) => c.notNull().references("room.id").onDelete("cascade"))
        .addColumn("seq", "bigint", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("message_mention_pk", ["user_id", "room_id", "seq"])
        .execute();
      if (dialect === "sqlite") {
        // External-content FTS5 index over message.text, kept in step by
        // triggers; deleting a message blanks its text, which unindexes it.
        await sql`create virtual table message_fts using fts5(text, content='message', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')`.execute(
          db,
        );
        await sql`create trigger message_fts_ai after insert on message begin insert into message_fts(rowid, text) values (new.rowid, new.text); end`.execute(
          db,
        );
        await sql`create trigger message_fts_ad after delete on message begin insert into message_fts(message_fts, rowid, text) values ('delete', old.rowid, old.text); end`.execute(
          db,
        );
        await sql`create trigger message_fts_au after update of text on message begin insert into message_fts(message_fts, rowid, text) values ('delete', old.rowid, old.text); insert into message_fts(rowid, text) values (new.rowid, new.text); end`.execute(
          db,
        );
        await sql`insert into message_fts(message_fts) values ('rebuild')`.execute(db);
      } else {
        await sql`alter table message add column search tsvector generated always as (to_tsvector('simple', text)) stored`.execute(
          db,
        );
        await sql`create index message_search on message using gin (search)`.execute(db);
      }
    },
  };
}
