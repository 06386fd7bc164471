import { type Kysely, sql } from "kysely";
import { toFtsQuery } from "../../core/search-query";
import type { SearchIndex } from "../../ports";
import type { RoomKind } from "../../protocol/frames";
import { type MessageRow, toWireMessages } from "./message-rows.server";
import type { Database } from "./schema.server";

type HitRow = MessageRow & { r_id: string; r_slug: string; r_name: string; r_kind: string };

/** FTS5 search over the rooms the user belongs to, best matches first. */
export function createSqliteSearch(db: Kysely<Database>): SearchIndex {
  return {
    async search(userId, query, limit) {
      const match = toFtsQuery(query);
      if (!match) return [];
      const { rows } = await sql<HitRow>`
        select m.*, u.name as author_name,
               r.id as r_id, r.slug as r_slug, r.name as r_name, r.kind as r_kind
        from message_fts f
        join message m on m.rowid = f.rowid
        join room_member rm on rm.room_id = m.room_id and rm.user_id = ${userId}
        join room r on r.id = m.room_id
        left join "user" u on u.id = m.author_id
        where message_fts match ${match} and m.deleted_at is null
        order by f.rank
        limit ${limit}`.execute(db);
      const messages = await toWireMessages(db, rows);
      return rows.map((row, index) => ({
        // biome-ignore lint/style/noNonNullAssertion: toWireMessages keeps length and order
        message: messages[index]!,
        room: { id: row.r_id, slug: row.r_slug, name: row.r_name, kind: row.r_kind as RoomKind },
      }));
    },
  };
}
