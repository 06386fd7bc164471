import { type RawBuilder, sql } from "kysely";
import type { SearchQuery } from "../../core/search-query";

/** What the two engines spell differently: a name's key, and "this text holds a link". */
export type SearchSpelling = {
  /** The name's key as core/mentions mentionHandle makes it (lower case, no spaces). */
  nameKey(column: RawBuilder<unknown>): RawBuilder<unknown>;
  /** True when the text holds an http(s) link by core/search-query hasLink's rule. */
  hasLink(column: RawBuilder<unknown>): RawBuilder<unknown>;
};

/**
 * The WHERE conditions of a query's operators, over `message m` joined to
 * `room r` (the caller also joins `room_member` for the user, which is what
 * keeps a search to their rooms; every condition here only narrows it).
 */
export function searchConditions(query: SearchQuery, spell: SearchSpelling): RawBuilder<unknown> {
  const conditions: RawBuilder<unknown>[] = [sql`m.deleted_at is null`];
  if (query.from.length > 0) {
    // The one person with that handle, and every person with that name
    // (names are not unique). lower(handle) is the unique index's expression.
    const wanted = sql.join(query.from);
    conditions.push(
      sql`m.author_id in (select id from "user" where lower(handle) in (${wanted}) or ${spell.nameKey(sql.ref("name"))} in (${wanted}))`,
    );
  }
  if (query.in.length > 0) {
    // A private room's slug is its name's slug, "--" and a suffix
    // (core/rooms privateSlug), so in:design also finds one's private
    // "design". Slugs hold only a-z, 0-9 and dashes: no LIKE wildcard.
    const rooms = query.in.map((slug) => sql`r.slug = ${slug} or r.slug like ${`${slug}--%`}`);
    conditions.push(sql`(${sql.join(rooms, sql` or `)})`);
  }
  if (query.before !== null) conditions.push(sql`m.created_at < ${query.before}`);
  if (query.after !== null) conditions.push(sql`m.created_at >= ${query.after}`);
  if (query.hasLink) conditions.push(spell.hasLink(sql.ref("m.text")));
  if (query.isThread) {
    conditions.push(sql`(m.reply_count > 0 or m.thread_root_id is not null)`);
  }
  return sql.join(conditions, sql` and `);
}
