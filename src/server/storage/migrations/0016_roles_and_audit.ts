import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialect } from "../migrations.server";

// Issue 14: roles and the audit log.
// - user.role: owner | admin | member | guest. better-auth adds the column
//   itself when it knows the field (it migrates first in the app); bare
//   stores and older databases get it here. The oldest account of an
//   existing server becomes its owner (the first to sign up, as for a new
//   one), everyone else a member.
// - room_member.role: moderator | member. Each room's creator is its first
//   moderator.
// - room_member.mod_muted: 1 while a moderator muted the member in the room
//   (they cannot post; the notification mute is `muted`, the member's own).
// - room_ban: who may not (re)join a room, even a public one.
// - room.announcement_only (only moderators post) and room.archived_at
//   (read-only, out of the room list, still searchable).
// - message.deleted_by: who deleted a message when it was not its author
//   (shown as "Message deleted by a moderator").
// - server_setting: the settings admins change (core/server-settings.ts),
//   one key per row, JSON values; a missing row is the default.
// - audit_log: one row per administrative or moderation action, written in
//   the transaction that makes the change (storage/audit.server.ts).
export function rolesAndAudit(dialect: SqlDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (await hasTable(db, dialect, "user")) {
        if (!(await hasColumn(db, dialect, "user", "role"))) {
          await db.schema.alterTable("user").addColumn("role", "text").execute();
        }
        await sql`update "user" set role = 'member' where role is null`.execute(db);
        const oldestFirst = (await hasColumn(db, dialect, "user", "createdAt"))
          ? sql`order by "createdAt", id`
          : sql`order by id`;
        await sql`update "user" set role = 'owner' where id = (
            select id from "user" ${oldestFirst} limit 1)
          and not exists (select 1 from "user" where role = 'owner')`.execute(db);
      }
      await db.schema
        .alterTable("room_member")
        .addColumn("role", "text", (c) => c.notNull().defaultTo("member"))
        .execute();
      await sql`update room_member set role = 'moderator' where exists (
          select 1 from room where room.id = room_member.room_id
            and room.created_by = room_member.user_id)`.execute(db);
      await db.schema
        .alterTable("room_member")
        .addColumn("mod_muted", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable("room_ban")
        .addColumn("room_id", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("banned_by", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("room_ban_pk", ["room_id", "user_id"])
        .execute();
      await db.schema
        .alterTable("room")
        .addColumn("announcement_only", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable("room").addColumn("archived_at", "bigint").execute();
      await db.schema.alterTable("message").addColumn("deleted_by", "text").execute();
      await db.schema
        .createTable("server_setting")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("value", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("audit_log")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("at", "bigint", (c) => c.notNull())
        .addColumn("actor_id", "text", (c) => c.notNull())
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("target_user_id", "text")
        .addColumn("room_id", "text")
        .addColumn("details", "text", (c) => c.notNull().defaultTo("{}"))
        .execute();
      // /admin/audit lists newest first, filtered by actor or action.
      await db.schema.createIndex("audit_log_at").on("audit_log").columns(["at", "id"]).execute();
      await db.schema
        .createIndex("audit_log_actor")
        .on("audit_log")
        .columns(["actor_id", "at"])
        .execute();
      await db.schema
        .createIndex("audit_log_action")
        .on("audit_log")
        .columns(["action", "at"])
        .execute();
    },
  };
}

async function hasTable(db: Kysely<unknown>, dialect: SqlDialect, table: string) {
  const query =
    dialect === "sqlite"
      ? sql<{ found: unknown }>`select name as found from sqlite_master
          where type = 'table' and name = ${table}`
      : sql<{ found: unknown }>`select to_regclass(${`"${table}"`}) as found`;
  return Boolean((await query.execute(db)).rows[0]?.found);
}

async function hasColumn(db: Kysely<unknown>, dialect: SqlDialect, table: string, column: string) {
  const query =
    dialect === "sqlite"
      ? sql<{ found: unknown }>`select name as found from pragma_table_info(${table})
          where name = ${column}`
      : sql<{ found: unknown }>`select column_name as found from information_schema.columns
          where table_schema = current_schema() and table_name = ${table}
            and column_name = ${column}`;
  return (await query.execute(db)).rows.length > 0;
}
