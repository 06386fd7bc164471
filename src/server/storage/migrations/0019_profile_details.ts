import type { Kysely, Migration } from "kysely";
import type { SqlDialect } from "../migrations.server";

// Issue 14, profiles: what a person says about themselves beyond their name.
// A table of Parley's own rather than columns on better-auth's `user`: no
// additional fields to declare to better-auth, and no row until someone
// sets something (every column is nullable: a missing row is "nothing set").
// - status_text / status_emoji / status_expires_at: the status; expired
//   ones stay until overwritten but are never read out (core visibleStatus).
// - time_zone: an IANA name (core isTimeZone), null for not set.
// - avatar_key: the BlobStore key of the cleaned 256 px WebP, null for initials.
export function profileDetails(_dialect: SqlDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("user_profile")
        .addColumn("user_id", "text", (c) => c.primaryKey())
        .addColumn("status_text", "text")
        .addColumn("status_emoji", "text")
        .addColumn("status_expires_at", "bigint")
        .addColumn("time_zone", "text")
        .addColumn("avatar_key", "text")
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
    },
  };
}
