import type { Kysely, Migration } from "kysely";

// Issue 11: threads. A reply is a message row of its room that names its
// root; a root keeps its thread's summary on its own row, so the summary
// changes in the reply's transaction and travels with the root's `rev`.
// These columns are what search (`is:thread`) and the thread store share;
// follows and thread read markers come in later steps.
export function threadColumns(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const columns: [string, "text" | "integer" | "bigint", boolean][] = [
        // The root's id on a reply; null on every other message.
        ["thread_root_id", "text", false],
        // 1 when a reply was also sent to the room's main log ("Also send to room").
        ["also_in_room", "integer", true],
        // On a root: how many replies it has (deleted ones included, as their seq stays).
        ["reply_count", "integer", true],
        // On a root: when its newest reply was stored (ms), null before the first.
        ["last_reply_at", "bigint", false],
        // On a root: up to 3 repliers' user ids, JSON, newest first.
        ["reply_participants", "text", false],
      ];
      for (const [name, type, zeroDefault] of columns) {
        await db.schema
          .alterTable("message")
          .addColumn(name, type, (c) => (zeroDefault ? c.notNull().defaultTo(0) : c))
          .execute();
      }
      await db.schema
        .createIndex("message_thread")
        .on("message")
        .columns(["thread_root_id", "seq"])
        .execute();
    },
  };
}
