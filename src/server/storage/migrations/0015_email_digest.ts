import type { Kysely, Migration } from "kysely";

// Issue 13: missed-message email. Pending rows live in the database so a
// restart loses none: one per user and message (a duplicate enqueue is
// ignored), due at queue time + PARLEY_EMAIL_DELAY_MINUTES. `batch` is set
// while the row is in an email being sent (see email/digest-worker.server.ts).
// Per user, email_state holds when the last email went (one per window) and
// the claim (owner + expiry) that lets exactly one instance send for them.
export function emailDigest(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("email_pending")
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("room_id", "text", (c) => c.notNull())
        .addColumn("seq", "bigint", (c) => c.notNull())
        .addColumn("message_id", "text", (c) => c.notNull())
        .addColumn("due_at", "bigint", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("batch", "text")
        .addPrimaryKeyConstraint("email_pending_pk", ["user_id", "message_id"])
        .execute();
      // The worker's scan: who has something due.
      await db.schema
        .createIndex("email_pending_due")
        .on("email_pending")
        .columns(["due_at", "user_id"])
        .execute();
      await db.schema
        .createTable("email_state")
        .addColumn("user_id", "text", (c) => c.primaryKey())
        .addColumn("last_sent_at", "bigint")
        .addColumn("claim_owner", "text")
        .addColumn("claim_until", "bigint")
        // The user's last read frame (email/activity.server.ts): "active since".
        .addColumn("last_active_at", "bigint")
        .execute();
    },
  };
}
