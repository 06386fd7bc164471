import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Database } from "./schema.server";

/**
 * The room half of the post gate (issue 14, core/policy mayPost past
 * membership): an archived room takes no post, an announcement-only room
 * only one from a moderator of it or a server admin. Kept apart from the
 * membership clause (and the moderation mute beside it) so each rule reads
 * on its own. Written three ways for the three append paths, all asked
 * inside the append's transaction.
 */

/** SQLite's hand-written BUMP (parameters ?1 room id, ?2 author id). */
export const SQLITE_ROOM_TAKES_POSTS = `and archived_at is null
  and (announcement_only = 0
    or exists (select 1 from room_member where room_id = ?1 and user_id = ?2 and role = 'moderator')
    or exists (select 1 from "user" where id = ?2 and role in ('owner', 'admin')))`;

/** The same clause as a Kysely fragment over the `room` row being bumped. */
export function roomTakesPostsSql(roomId: string, authorId: string): RawBuilder<boolean> {
  return sql<boolean>`(room.archived_at is null
    and (room.announcement_only = 0
      or exists (select 1 from room_member where room_id = ${roomId} and user_id = ${authorId} and role = 'moderator')
      or exists (select 1 from "user" where id = ${authorId} and role in ('owner', 'admin'))))`;
}

/** SQLite's explanation of a refused bump: the same three facts as postFacts. */
export const SQLITE_POST_FACTS = `select
  (select archived_at is not null from room where id = ?1) as archived,
  (select announcement_only = 1 from room where id = ?1) as announcement,
  (exists (select 1 from room_member where room_id = ?1 and user_id = ?2 and role = 'moderator')
    or exists (select 1 from "user" where id = ?2 and role in ('owner', 'admin'))) as moderates`;

/** The three facts as read from either driver's row. */
export function toPostFacts(
  row: { archived: unknown; announcement: unknown; moderates: unknown } | undefined,
) {
  return {
    archived: truthy(row?.archived),
    announcement: truthy(row?.announcement),
    moderates: truthy(row?.moderates),
  };
}

/**
 * Why the room half refused, read in the append's transaction: archived,
 * or announcement-only and the author moderates neither it nor the server.
 */
export async function postFacts(
  db: Kysely<Database>,
  roomId: string,
  authorId: string,
): Promise<{ archived: boolean; announcement: boolean; moderates: boolean }> {
  const { rows } = await sql<{ archived: unknown; announcement: unknown; moderates: unknown }>`
    select
      (select archived_at is not null from room where id = ${roomId}) as archived,
      (select announcement_only = 1 from room where id = ${roomId}) as announcement,
      (exists (select 1 from room_member where room_id = ${roomId} and user_id = ${authorId} and role = 'moderator')
        or exists (select 1 from "user" where id = ${authorId} and role in ('owner', 'admin'))) as moderates`.execute(
    db,
  );
  return toPostFacts(rows[0]);
}

const truthy = (value: unknown) => value === true || Number(value) === 1;
