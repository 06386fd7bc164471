import { type Kysely, sql } from "kysely";
import { mentionHandle } from "../../core/mentions";
import { ftsMatchOf, hasLink, isEmptySearch } from "../../core/search-query";
import type { SearchIndex } from "../../ports";
import type { RoomKind } from "../../protocol/frames";
import { type MessageRow, toWireMessages } from "./message-rows.server";
import type { Database } from "./schema.server";
import { type SearchSpelling, searchConditions } from "./search-filters.server";
import { sqliteHandleOf } from "./sqlite.server";

type HitRow = MessageRow & { r_id: string; r_slug: string; r_name: string; r_kind: string };

// SQLite's lower() folds ASCII only and it has no regular expressions, so
// the two rules run as functions of ours: the very code the rest of Parley
// uses for mentions and links, so SQLite agrees with it exactly.
const spelling: SearchSpelling = {
  nameKey: (column) => sql`parley_name_key(${column})`,
  // The LIKE skips most rows before the function is called.
  hasLink: (column) => sql`(${column} like '%://%' and parley_has_link(${column}))`,
};

/** FTS5 search over the rooms the user belongs to: best matches first, or newest with no words. */
export function createSqliteSearch(db: Kysely<Database>): SearchIndex {
  const handle = sqliteHandleOf(db);
  if (!handle) throw new Error("createSqliteSearch needs a database from openSqlite");
  const options = { deterministic: true, directOnly: true };
  handle.raw.function("parley_name_key", options, (name) =>
    typeof name === "string" ? mentionHandle(name) : null,
  );
  handle.raw.function("parley_has_link", options, (text) =>
    typeof text === "string" && hasLink(text) ? 1 : 0,
  );
  return {
    async search(userId, query, limit) {
      if (isEmptySearch(query)) return [];
      const match = ftsMatchOf(query.words);
      const where = searchConditions(query, spelling);
      const columns = sql`m.*, u.name as author_name, u.bot as author_bot,
               r.id as r_id, r.slug as r_slug, r.name as r_name, r.kind as r_kind`;
      const joins = sql`join room_member rm on rm.room_id = m.room_id and rm.user_id = ${userId}
        join room r on r.id = m.room_id
        left join "user" u on u.id = m.author_id`;
      const { rows } = await (match
        ? sql<HitRow>`
        select ${columns}
        from message_fts f
        join message m on m.rowid = f.rowid
        ${joins}
        where message_fts match ${match} and ${where}
        order by f.rank, m.created_at desc
        limit ${limit}`
        : sql<HitRow>`
        select ${columns}
        from message m
        ${joins}
        where ${where}
        order by m.created_at desc, m.seq desc
        limit ${limit}`
      ).execute(db);
      const messages = await toWireMessages(db, rows);
      return rows.map((row, index) => ({
        // biome-ignore lint/style/noNonNullAssertion: toWireMessages keeps length and order
        message: messages[index]!,
        room: { id: row.r_id, slug: row.r_slug, name: row.r_name, kind: row.r_kind as RoomKind },
      }));
    },
  };
}
