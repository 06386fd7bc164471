import type { Kysely } from "kysely";
import type { DeviceChannel } from "../notify/channels";
import type { Database } from "../storage/schema.server";

/**
 * What "active" means for missed-message email: the user sent a read frame
 * (on any device, any instance) — their client does so when they look at a
 * room. Recorded as email_state.last_active_at; the worker drops pending
 * rows queued before it. An open but idle tab is not activity: it gets
 * the email like a closed one.
 *
 * It rides the notifier's device channels only because `read` is the
 * notifier's one hook for reads; it delivers nothing.
 */
export function createEmailActivity(
  db: Kysely<Database>,
  now: () => number = Date.now,
): DeviceChannel {
  return {
    async deliver() {},
    async read(userId) {
      const at = now();
      await db
        .insertInto("email_state")
        .values({
          user_id: userId,
          last_sent_at: null,
          claim_owner: null,
          claim_until: null,
          last_active_at: at,
        })
        .onConflict((oc) => oc.column("user_id").doUpdateSet({ last_active_at: at }))
        .execute();
    },
  };
}
