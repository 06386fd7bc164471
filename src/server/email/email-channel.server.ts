import type { Kysely } from "kysely";
import type { EmailChannel, EmailNotice } from "../notify/channels";
import type { Database } from "../storage/schema.server";

/** Rows per insert: far under SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 100;

/**
 * The notifier's email channel: each notice becomes a pending row due after
 * the delay. A notice queued twice (a retried effect) is ignored by the
 * (user, message) key. `queued` tells the worker when the earliest is due.
 */
export function createEmailChannel(deps: {
  db: Kysely<Database>;
  delayMs: number;
  now?: () => number;
  queued?: (dueAt: number) => void;
}): EmailChannel {
  const now = deps.now ?? Date.now;
  return {
    async enqueue(notices: readonly EmailNotice[]) {
      if (notices.length === 0) return;
      const at = now();
      const dueAt = at + deps.delayMs;
      for (let start = 0; start < notices.length; start += CHUNK) {
        const part = notices.slice(start, start + CHUNK);
        await deps.db
          .insertInto("email_pending")
          .values(
            part.map((n) => ({
              user_id: n.userId,
              room_id: n.roomId,
              seq: n.seq,
              message_id: n.messageId,
              due_at: dueAt,
              created_at: at,
              batch: null,
            })),
          )
          .onConflict((oc) => oc.columns(["user_id", "message_id"]).doNothing())
          .execute();
        // The claim lives on this row: one per user, made once.
        const users = [...new Set(part.map((n) => n.userId))];
        await deps.db
          .insertInto("email_state")
          .values(
            users.map((user_id) => ({
              user_id,
              last_sent_at: null,
              claim_owner: null,
              claim_until: null,
            })),
          )
          .onConflict((oc) => oc.column("user_id").doNothing())
          .execute();
      }
      deps.queued?.(dueAt);
    },
  };
}
