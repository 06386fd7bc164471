import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";

/**
 * Parley's schema steps, in order. Written with Kysely's schema builder and
 * portable types (text, integer, bigint) so the PostgreSQL driver can apply
 * the same list. Never edit a step that has shipped: add a new one.
 */
const migrations: Record<string, Migration> = {
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
        .addUniqueConstraint("message_room_client", ["room_id", "client_id"])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table message`.execute(db);
      await sql`drop table room_member`.execute(db);
      await sql`drop table room`.execute(db);
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Applies every pending step; throws with the failing step's error. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({ db, provider, migrationTableName: "parley_migration" });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error) {
    const step = failed ? ` (step ${failed.migrationName})` : "";
    throw new Error(`database migration failed${step}: ${String(error)}`, { cause: error });
  }
}
