import type { Kysely, Migration } from "kysely";
import type { SqlDialect } from "../migrations.server";

// Issue 15, outgoing webhooks: a receiver's answer `{"text": ...}` is posted
// back in the room, and a message needs an author. Each outgoing webhook
// gets its own bot user (user.bot = 1), a member of its room, so the reply
// goes through the same send path and policy as anyone's and shows with
// the bot badge. Null only on rows made before this step (none shipped).
export function outgoingWebhookBot(_dialect: SqlDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("outgoing_webhook").addColumn("bot_user_id", "text").execute();
    },
  };
}
