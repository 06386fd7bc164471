import type { Kysely, Migration } from "kysely";
import type { SqlDialect } from "../migrations.server";

// Issue 14: invite links. Only a SHA-256 of the token is stored, so a copy
// of the database does not hand out working links. `room_id` set: the link
// also joins that room. `role`: member or guest, given to an account the
// link creates. `expires_at` and `max_uses` null mean never and unlimited;
// `uses` is counted by one conditional update (the last use cannot be
// taken twice); `revoked_at` set by an admin ends the link early.
export function invites(_dialect: SqlDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("invite")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("token_hash", "text", (c) => c.notNull().unique())
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("room_id", "text")
        .addColumn("role", "text", (c) => c.notNull().defaultTo("member"))
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("expires_at", "bigint")
        .addColumn("max_uses", "integer")
        .addColumn("uses", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("revoked_at", "bigint")
        .execute();
      await db.schema
        .createIndex("invite_created")
        .on("invite")
        .columns(["created_at", "id"])
        .execute();
    },
  };
}
