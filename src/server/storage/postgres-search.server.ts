import { type Kysely, sql } from "kysely";
import { toTsQuery } from "../../core/search-query";
import type { SearchIndex } from "../../ports";
import type { RoomKind } from "../../protocol/frames";
import { type MessageRow, toWireMessages } from "./message-rows.server";
import type { Database } from "./schema.server";

type HitRow = MessageRow & { r_id: string; r_slug: string; r_name: string; r_kind: string };

/**
 * Full-text search over the `search` tsvector column (migration 0002, GIN
 * indexed) in the rooms the user belongs to, best matches first. Every word
 * is a prefix term, as on SQLite, so "deploy" finds "deployment".
 */
export function createPostgresSearch(db: Kysely<Database>): SearchIndex {
  return {
    async search(userId, query, limit) {
      const tsquery = toTsQuery(query);
      if (!tsquery) return [];
      // The query text is a bound parameter and toTsQuery leaves no syntax
      // in it but quoted words, so user input never makes to_tsquery fail.
      const { rows } = await sql<HitRow>`
        select m.id, m.room_id, m.seq, m.author_id, m.client_id, m.text,
               m.created_at, m.edited_at, m.deleted_at, m.rev, m.pinned_at, m.pinned_by,
               u.name as author_name,
               r.id as r_id, r.slug as r_slug, r.name as r_name, r.kind as r_kind
        from message m
        cross join to_tsquery('simple', ${tsquery}) q
        join room_member rm on rm.room_id = m.room_id and rm.user_id = ${userId}
        join room r on r.id = m.room_id
        left join "user" u on u.id = m.author_id
        where m.search @@ q and m.deleted_at is null
        order by ts_rank(m.search, q) desc, m.created_at desc, m.seq desc
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
