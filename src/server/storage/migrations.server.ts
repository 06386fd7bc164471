import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";
import { roomSkeleton } from "../../core/rooms";
import { clampDisplayName } from "../auth/names.server";

/**
 * Parley's schema steps, in order. Written with Kysely's schema builder and
 * portable types (text, integer, bigint) so the PostgreSQL driver can apply
 * the same list. Never edit a step that has shipped: add a new one.
 */
export type SqlDialect = "sqlite" | "postgres";

function migrationsFor(dialect: SqlDialect): Record<string, Migration> {
  return {
    "0001_rooms_and_messages": {
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
          .addColumn("room_id", "text", (c) =>
            c.notNull().references("room.id").onDelete("cascade"),
          )
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
          .addColumn("room_id", "text", (c) =>
            c.notNull().references("room.id").onDelete("cascade"),
          )
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
    },
    "0002_chat_features": {
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
          .addColumn("room_id", "text", (c) =>
            c.notNull().references("room.id").onDelete("cascade"),
          )
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
    },
    // Issue 18 (F-10, F-12): who blocked whom, and each public room's
    // confusable skeleton (what its name looks like), unique among public
    // rooms so that two look-alike names cannot both exist.
    "0003_user_blocks_and_room_skeletons": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("user_block")
          .addColumn("blocker_id", "text", (c) => c.notNull())
          .addColumn("blocked_id", "text", (c) => c.notNull())
          .addColumn("created_at", "bigint", (c) => c.notNull())
          .addPrimaryKeyConstraint("user_block_pk", ["blocker_id", "blocked_id"])
          .execute();
        await db.schema.alterTable("room").addColumn("skeleton", "text").execute();
        // Existing public rooms get theirs; of rooms that already look
        // alike, the oldest keeps it (the others stay, unprotected).
        const { rows } = await sql<{ id: string; name: string }>`
          select id, name from room where kind = 'public' order by created_at, id`.execute(db);
        const seen = new Set<string>();
        for (const row of rows) {
          const skeleton = roomSkeleton(row.name);
          if (!skeleton || seen.has(skeleton)) continue;
          seen.add(skeleton);
          await sql`update room set skeleton = ${skeleton} where id = ${row.id}`.execute(db);
        }
        await db.schema
          .createIndex("room_skeleton")
          .unique()
          .on("room")
          .column("skeleton")
          .execute();
      },
    },
    // Failed sign-ins per email (src/server/auth/account-lock.server.ts).
    "0004_auth_failure": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("auth_failure")
          .addColumn("email", "text", (c) => c.primaryKey())
          .addColumn("failures", "integer", (c) => c.notNull())
          .addColumn("locked_until", "bigint", (c) => c.notNull())
          .addColumn("last_failure_at", "bigint", (c) => c.notNull())
          .execute();
      },
    },
    // Names stored before the display-name rule: brought within it, so no
    // member list or message carries an unbounded or bidi-laden name.
    "0005_clamp_names": {
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
    },
    // Issue 10: "general" is a room attribute, not a slug compared in code
    // (core/policy: nobody leaves the default room). The seeded room gets
    // it here; a fresh database seeds it with the attribute (ensureRoom).
    "0006_default_room": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .alterTable("room")
          .addColumn("is_default", "integer", (c) => c.notNull().defaultTo(0))
          .execute();
        await sql`update room set is_default = 1 where slug = 'general' and kind = 'public'`.execute(
          db,
        );
      },
    },
  };
}

/** Applies every pending step; throws with the failing step's error. */
export async function migrateToLatest(
  db: Kysely<unknown>,
  dialect: SqlDialect = "sqlite",
): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrationsFor(dialect) };
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: "parley_migration",
    migrationTableSchema: dialect === "postgres" ? await currentSchema(db) : undefined,
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error) {
    const step = failed ? ` (step ${failed.migrationName})` : "";
    throw new Error(`database migration failed${step}: ${String(error)}`, { cause: error });
  }
}

/**
 * The schema new tables land in (the first of search_path). Kysely's
 * migrator looks for its bookkeeping table in every schema unless told
 * which, so a second Parley in another schema of the same database would
 * believe its migrations table exists when it does not.
 */
async function currentSchema(db: Kysely<unknown>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(
    db,
  );
  const schema = rows[0]?.schema;
  if (!schema) throw new Error("PostgreSQL search_path names no existing schema");
  return schema;
}
