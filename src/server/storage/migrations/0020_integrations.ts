import { type Kysely, type Migration, sql } from "kysely";
import type { SqlDialect } from "../migrations.server";

// Issue 15, integrations and data portability: every table it needs, in
// one step so that the parts built beside each other share one schema.
// - user.bot: 1 for a bot account (an admin made it, or an incoming
//   webhook speaks as it); shown with a "bot" badge. better-auth does not
//   know the column (it never writes it; the default is a person).
// - message.via: on a message an incoming webhook posted, JSON
//   {webhook, username?, iconUrl?}: the overrides Slack's body allows,
//   shown as "<username> via <webhook>". Null on every other message.
// - api_token: personal access tokens. Only the SHA-256 of the secret is
//   kept (core/api-token.ts); scopes is a comma list of read|write|admin.
// - incoming_webhook / outgoing_webhook / webhook_delivery: deliveries
//   live in the database, so a restart loses none of their retries.
// - slash_command: custom commands an admin registered.
// - room.retention_days (and the server_setting "retention_days"): keep
//   messages that many days; null for forever.
// - import_map: what an import already brought in, by its source's id, so
//   a re-run imports nothing twice.
export function integrations(dialect: SqlDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const hasUser =
        dialect === "sqlite"
          ? sql<{ found: unknown }>`select name as found from sqlite_master
              where type = 'table' and name = 'user'`
          : sql<{ found: unknown }>`select to_regclass('"user"') as found`;
      if ((await hasUser.execute(db)).rows[0]?.found) {
        await db.schema
          .alterTable("user")
          .addColumn("bot", "integer", (c) => c.notNull().defaultTo(0))
          .execute();
      }
      await db.schema.alterTable("message").addColumn("via", "text").execute();
      await db.schema.alterTable("room").addColumn("retention_days", "integer").execute();
      await db.schema
        .createTable("api_token")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("token_hash", "text", (c) => c.notNull().unique())
        .addColumn("scopes", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("expires_at", "bigint")
        .addColumn("last_used_at", "bigint")
        .addColumn("revoked_at", "bigint")
        .execute();
      await db.schema.createIndex("api_token_user").on("api_token").column("user_id").execute();
      await db.schema
        .createTable("incoming_webhook")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("room_id", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("bot_user_id", "text", (c) => c.notNull())
        .addColumn("secret_hash", "text", (c) => c.notNull().unique())
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("revoked_at", "bigint")
        .execute();
      await db.schema
        .createIndex("incoming_webhook_room")
        .on("incoming_webhook")
        .column("room_id")
        .execute();
      await db.schema
        .createTable("outgoing_webhook")
        .addColumn("id", "text", (c) => c.primaryKey())
        // Null: server-wide (every room's events).
        .addColumn("room_id", "text")
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("target_url", "text", (c) => c.notNull())
        // Kept to sign with (an HMAC key cannot be a hash).
        .addColumn("secret", "text", (c) => c.notNull())
        // JSON array of message_created | mention | member_joined.
        .addColumn("events", "text", (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("revoked_at", "bigint")
        .execute();
      await db.schema
        .createTable("webhook_delivery")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("webhook_id", "text", (c) => c.notNull())
        .addColumn("room_id", "text")
        .addColumn("event", "text", (c) => c.notNull())
        .addColumn("payload", "text", (c) => c.notNull())
        // pending | done | failed (gave up after 24 hours)
        .addColumn("status", "text", (c) => c.notNull().defaultTo("pending"))
        .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("next_attempt_at", "bigint", (c) => c.notNull())
        .addColumn("last_status", "integer")
        .addColumn("last_error", "text")
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("done_at", "bigint")
        // A worker's claim, so two instances never send one delivery at once.
        .addColumn("claimed_until", "bigint")
        .execute();
      await db.schema
        .createIndex("webhook_delivery_due")
        .on("webhook_delivery")
        .columns(["status", "next_attempt_at"])
        .execute();
      await db.schema
        .createIndex("webhook_delivery_hook")
        .on("webhook_delivery")
        .columns(["webhook_id", "created_at"])
        .execute();
      await db.schema
        .createTable("slash_command")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull().unique())
        .addColumn("description", "text", (c) => c.notNull())
        .addColumn("url", "text", (c) => c.notNull())
        .addColumn("secret", "text", (c) => c.notNull())
        // ephemeral (to the user alone) | room
        .addColumn("response", "text", (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("import_map")
        .addColumn("source", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("source_id", "text", (c) => c.notNull())
        .addColumn("parley_id", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("import_map_pk", ["source", "kind", "source_id"])
        .execute();
    },
  };
}
