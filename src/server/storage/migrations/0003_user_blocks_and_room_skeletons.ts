import { type Kysely, type Migration, sql } from "kysely";
import { roomSkeleton } from "../../../core/rooms";

// Issue 18 (F-10, F-12): who blocked whom, and each public room's
// confusable skeleton (what its name looks like), unique among public
// rooms so that two look-alike names cannot both exist.
export function userBlocksAndRoomSkeletons(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("user_block")
        .addColumn("blocker_id", "text", (c) => c.notNull())
        .addColumn("blocked_id", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("user_block_pk", ["blocker_id", "blocked_id"])
        .execute();
      await db.schema.alterTable("room").addColumn("skeleton", "text").execute();
      // Existing public rooms get theirs; of rooms that already look
      // alike, the oldest keeps it (the others stay, unprotected).
      const { rows } = await sql<{ id: string; name: string }>`
        select id, name from room where kind = 'public' order by created_at, id`.execute(db);
      const seen = new Set<string>();
      for (const row of rows) {
        const skeleton = roomSkeleton(row.name);
        if (!skeleton || seen.has(skeleton)) continue;
        seen.add(skeleton);
        await sql`update room set skeleton = ${skeleton} where id = ${row.id}`.execute(db);
      }
      await db.schema.createIndex("room_skeleton").unique().on("room").column("skeleton").execute();
    },
  };
}
