import type { Kysely, Migration } from "kysely";

// Issue 15, retention: room.retention_seq, the room's sweep watermark.
// Every message at or below it is deleted, so a sweep reads on from there
// by (room_id, seq), the key the table already has, and stops at the first
// message young enough to keep (seq follows time). Without it each sweep
// would step over every row it ever deleted, and an index on created_at
// would cost every send.
export function retentionWatermark(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable("room")
        .addColumn("retention_seq", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
    },
  };
}
