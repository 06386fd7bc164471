import { type Kysely, sql } from "kysely";
import { isEmptySearch, tsQueryOf } from "../../core/search-query";
import type { SearchIndex } from "../../ports";
import type { RoomKind } from "../../protocol/frames";
import { type MessageRow, messageColumnsOf, toWireMessages } from "./message-rows.server";
import type { Database } from "./schema.server";
import { type SearchSpelling, searchConditions } from "./search-filters.server";

type HitRow = MessageRow & { r_id: string; r_slug: string; r_name: string; r_kind: string };

const spelling: SearchSpelling = {
  // Stored names have single ASCII spaces (core/names normalizeName), so
  // dropping ' ' is mentionHandle's whitespace rule; lower() folds Unicode
  // under the database's ctype (C.UTF-8 or a language locale).
  nameKey: (column) => sql`replace(lower(${column}), ' ', '')`,
  // hasLink's /\bhttps?:\/\/[^\s<>"']/i: \b before "h" is "not after an
  // ASCII word character".
  hasLink: (column) => sql`${column} ~* ${`(^|[^a-z0-9_])https?://[^\\s<>"']`}`,
};

/**
 * Full-text search over the `search` tsvector column (migration 0002, GIN
 * indexed) in the rooms the user belongs to, best matches first. Every word
 * is a prefix term, as on SQLite, so "deploy" finds "deployment". With
 * operators alone (no words), the newest matching messages first.
 */
export function createPostgresSearch(db: Kysely<Database>): SearchIndex {
  return {
    async search(userId, query, limit) {
      if (isEmptySearch(query)) return [];
      const tsquery = tsQueryOf(query.words);
      const where = searchConditions(query, spelling);
      // The query text is a bound parameter and tsQueryOf leaves no syntax
      // in it but quoted words, so user input never makes to_tsquery fail.
      const { rows } = await sql<HitRow>`
        select ${messageColumnsOf("m")},
               u.name as author_name, u.bot as author_bot,
               r.id as r_id, r.slug as r_slug, r.name as r_name, r.kind as r_kind
        from message m
        join room_member rm on rm.room_id = m.room_id and rm.user_id = ${userId}
        join room r on r.id = m.room_id
        left join "user" u on u.id = m.author_id
        where ${tsquery ? sql`m.search @@ to_tsquery('simple', ${tsquery}) and ` : sql``}${where}
        order by ${tsquery ? sql`ts_rank(m.search, to_tsquery('simple', ${tsquery})) desc, ` : sql``}m.created_at desc, m.seq desc
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
