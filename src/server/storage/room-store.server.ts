import { randomUUID } from "node:crypto";
import { type Kysely, type SqlBool, sql } from "kysely";
import { EMAIL_PREFIX_MIN } from "../../core/people-search";
import { roomSkeleton } from "../../core/rooms";
import type { Room, RoomStore, UserDirectory } from "../../ports";
import { RoomLookalikeError, RoomTakenError } from "../../ports";
import {
  type NotifyLevel,
  notifyLevels,
  type RoomKind,
  type RoomNotify,
  type RoomSummary,
  type WireRoom,
  type WireUser,
} from "../../protocol/frames";
import { changeProfile } from "./profile-store.server";
import type { Database } from "./schema.server";

const roomColumns = [
  "room.id",
  "room.slug",
  "room.name",
  "room.kind",
  "room.is_default",
  "room.created_by",
  "room.topic",
  "room.announcement_only",
  "room.archived_at",
] as const;
type RoomRow = {
  id: string;
  slug: string;
  name: string;
  kind: string;
  is_default: number;
  created_by: string | null;
  topic: string | null;
  announcement_only: number | string;
  archived_at: number | string | null;
};
const toRoom = (row: RoomRow): Room => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  kind: row.kind as RoomKind,
  isDefault: Number(row.is_default) === 1,
  createdBy: row.created_by,
  ...roomSettingsOf(row),
});

/**
 * A room's settings (issue 14) as rooms and summaries carry them: each only
 * when it differs from the default (no topic, everyone posts, live), so
 * most frames stay as small as before.
 */
export function roomSettingsOf(row: {
  topic: string | null;
  announcement_only: number | string;
  archived_at: number | string | null;
}): { topic?: string; announcementOnly?: true; archived?: true } {
  return {
    ...(row.topic ? { topic: row.topic } : {}),
    ...(Number(row.announcement_only) === 1 ? { announcementOnly: true as const } : {}),
    ...(row.archived_at !== null ? { archived: true as const } : {}),
  };
}
/** A room as the wire shows it (the default attribute is the server's). */
const toWireRoom = (row: RoomRow): WireRoom => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  kind: row.kind as RoomKind,
});

/** Rooms, membership and read markers over any Kysely dialect. */
export function createRoomStore(db: Kysely<Database>, now: () => number): RoomStore {
  const insertRoom = async (room: Room, createdBy: string | null, dmKey: string | null = null) => {
    const skeleton = room.kind === "public" ? roomSkeleton(room.name) || null : null;
    const { isDefault, createdBy: _creator, ...columns } = room;
    const inserted = await db
      .insertInto("room")
      .values({
        ...columns,
        is_default: isDefault ? 1 : 0,
        created_by: createdBy,
        created_at: now(),
        dm_key: dmKey,
        skeleton,
      })
      // Any unique key: slug, dm_key or a public room's skeleton.
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
  };
  /** The public room whose name looks like `name`, if any. */
  const lookalike = async (name: string) => {
    const skeleton = roomSkeleton(name);
    if (!skeleton) return undefined;
    return db
      .selectFrom("room")
      .select(["slug", "name"])
      .where("skeleton", "=", skeleton)
      .where("kind", "=", "public")
      .executeTakeFirst();
  };
  const refuse = async (name: string, slug: string): Promise<never> => {
    const similar = await lookalike(name);
    if (similar && similar.slug !== slug) throw new RoomLookalikeError(similar.name);
    throw new RoomTakenError(`a room named "${slug}" already exists`);
  };

  const store: RoomStore = {
    async createRoom({ name, slug, createdBy, kind = "public" }) {
      // Checked first for the error's sake (which room it looks like); the
      // unique skeleton key decides races between two public rooms.
      const similar = await lookalike(name);
      if (similar) await refuse(name, slug);
      const room: Room = { id: randomUUID(), slug, name, kind, isDefault: false, createdBy };
      if (!(await insertRoom(room, createdBy))) await refuse(name, slug);
      return room;
    },
    async ensureRoom({ name, slug, isDefault = false }) {
      await insertRoom({ id: randomUUID(), slug, name, kind: "public", isDefault }, null);
      const room = await store.getRoomBySlug(slug);
      if (!room) throw new Error(`room ${slug} vanished right after it was ensured`);
      return room;
    },
    async openDm(a, b) {
      const [first, second] = [a.id, b.id].sort();
      const dmKey = `${first}:${second}`;
      const slug = `dm-${randomUUID().slice(0, 8)}`;
      await insertRoom(
        { id: randomUUID(), slug, name: "Direct message", kind: "dm", isDefault: false },
        a.id,
        dmKey,
      );
      const row = await db
        .selectFrom("room")
        .select(roomColumns)
        .where("dm_key", "=", dmKey)
        .executeTakeFirstOrThrow();
      await store.join(row.id, a.id);
      await store.join(row.id, b.id);
      return toRoom(row);
    },
    async dmBetween(a, b) {
      const [first, second] = [a, b].sort();
      const row = await db
        .selectFrom("room")
        .select(roomColumns)
        .where("dm_key", "=", `${first}:${second}`)
        .executeTakeFirst();
      return row && toRoom(row);
    },
    async getRoomBySlug(slug) {
      const row = await db
        .selectFrom("room")
        .select(roomColumns)
        .where("slug", "=", slug)
        .executeTakeFirst();
      return row && toRoom(row);
    },
    async getRoom(id) {
      const row = await db
        .selectFrom("room")
        .select(roomColumns)
        .where("id", "=", id)
        .executeTakeFirst();
      return row && toRoom(row);
    },
    async listVisible(userId) {
      const rows = await db
        .selectFrom("room")
        .leftJoin("room_member", (join) =>
          join.onRef("room_member.room_id", "=", "room.id").on("room_member.user_id", "=", userId),
        )
        .select(roomColumns)
        .where((eb) =>
          eb.or([eb("room.kind", "=", "public"), eb("room_member.user_id", "is not", null)]),
        )
        .orderBy("room.slug")
        .execute();
      return rows.map(toRoom);
    },
    async directory(userId, query, limit) {
      const wanted = query.trim().toLowerCase();
      let select = db
        .selectFrom("room")
        .select([
          "room.id",
          "room.slug",
          "room.name",
          "room.kind",
          "room.topic",
          (eb) =>
            eb
              .selectFrom("room_member as m")
              .select((c) => c.fn.countAll().as("n"))
              .whereRef("m.room_id", "=", "room.id")
              .as("member_count"),
          (eb) =>
            eb
              .exists(
                eb
                  .selectFrom("room_member as me")
                  .select("me.room_id")
                  .whereRef("me.room_id", "=", "room.id")
                  .where("me.user_id", "=", userId),
              )
              .as("member"),
        ])
        .where("room.kind", "=", "public")
        // Archived rooms are out of the directory (issue 14); members still open them by URL.
        .where("room.archived_at", "is", null);
      // LIKE with its wildcards escaped: a typed "%" or "_" matches itself.
      if (wanted) {
        const pattern = `%${wanted.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        select = select.where(sql<boolean>`lower(room.name) like ${pattern} escape '\\'`);
      }
      const rows = await select
        .orderBy(sql`lower(room.name)`)
        .orderBy("room.slug")
        .limit(limit)
        .execute();
      return rows.map((row) => ({
        id: row.id,
        slug: row.slug,
        name: row.name,
        kind: row.kind as RoomKind,
        topic: row.topic,
        memberCount: Number(row.member_count ?? 0),
        member: Boolean(row.member),
      }));
    },
    async join(roomId, userId) {
      // A ban (issue 14) keeps the person out, whoever adds them: the
      // insert's own condition, so a ban a moment ago is never undone. The
      // creator joining their new room (still empty) is its first moderator.
      await sql`insert into room_member (room_id, user_id, joined_at, role)
        select ${roomId}, ${userId}, ${now()},
          case when exists (select 1 from room where id = ${roomId} and created_by = ${userId})
            and not exists (select 1 from room_member where room_id = ${roomId})
          then 'moderator' else 'member' end
        where not exists (select 1 from room_ban where room_id = ${roomId} and user_id = ${userId})
        on conflict (room_id, user_id) do nothing`.execute(db);
    },
    async leave(roomId, userId) {
      const result = await db
        .deleteFrom("room_member")
        .where("room_id", "=", roomId)
        .where("user_id", "=", userId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async isMember(roomId, userId) {
      const row = await db
        .selectFrom("room_member")
        .select("room_id")
        .where("room_id", "=", roomId)
        .where("user_id", "=", userId)
        .executeTakeFirst();
      return row !== undefined;
    },
    async members(roomId) {
      return db
        .selectFrom("room_member")
        .innerJoin("user", "user.id", "room_member.user_id")
        .select(["user.id", "user.name", "user.handle", "user.bot"])
        .where("room_member.room_id", "=", roomId)
        .orderBy("user.name")
        .execute()
        .then((rows) => rows.map(wireUser));
    },
    async membersPage(roomId, { afterId, limit }) {
      let query = db
        .selectFrom("room_member")
        .innerJoin("user", "user.id", "room_member.user_id")
        .select([
          "user.id",
          "user.name",
          "user.handle",
          "user.bot",
          "room_member.role",
          "room_member.mod_muted",
        ])
        .where("room_member.room_id", "=", roomId);
      if (afterId !== undefined) {
        // Keyset paging on (name, id): a member who joins meanwhile is
        // never skipped or shown twice, as an offset would do.
        const after = await db
          .selectFrom("user")
          .select(["name", "id"])
          .where("id", "=", afterId)
          .executeTakeFirst();
        if (!after) return [];
        query = query.where((eb) =>
          eb.or([
            eb("user.name", ">", after.name),
            eb.and([eb("user.name", "=", after.name), eb("user.id", ">", after.id)]),
          ]),
        );
      }
      const rows = await query.orderBy("user.name").orderBy("user.id").limit(limit).execute();
      return rows.map((row) => ({
        ...wireUser(row),
        ...(row.role === "moderator" && { role: "moderator" as const }),
        ...(Number(row.mod_muted) === 1 && { modMuted: true as const }),
      }));
    },
    async memberCount(roomId) {
      const row = await db
        .selectFrom("room_member")
        .select((eb) => eb.fn.countAll<number | string>().as("count"))
        .where("room_id", "=", roomId)
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },
    async summariesOf(userId) {
      return summaries(db, userId);
    },
    async summaryOf(roomId, userId) {
      return (await summaries(db, userId, roomId))[0];
    },
    async markRead(roomId, userId, seq) {
      // Clamped to the room's last seq: a marker past it would make the
      // next messages look read (and 2^53-1 would stick for good). last_seq
      // only grows, so clamping to a value read just now is safe.
      const room = await db
        .selectFrom("room")
        .select("last_seq")
        .where("id", "=", roomId)
        .executeTakeFirst();
      const target = Math.min(seq, Number(room?.last_seq ?? 0));
      await db
        .updateTable("room_member")
        .set({ last_read_seq: target })
        .where("room_id", "=", roomId)
        .where("user_id", "=", userId)
        .where("last_read_seq", "<", target)
        .execute();
      const row = await db
        .selectFrom("room_member")
        .select("last_read_seq")
        .where("room_id", "=", roomId)
        .where("user_id", "=", userId)
        .executeTakeFirst();
      return Number(row?.last_read_seq ?? 0);
    },
  };
  return store;
}

async function summaries(
  db: Kysely<Database>,
  userId: string,
  roomId?: string,
): Promise<RoomSummary[]> {
  // Hand-written rather than built: every connect reads this, and Kysely's
  // query builder cost about 300 µs of CPU per call here, several times
  // the query itself. A DM is named after the other person (looked up for
  // DMs only); `mentioned`: a mention of the user after their read marker.
  const oneRoom = roomId === undefined ? sql`` : sql`and room.id = ${roomId}`;
  const { rows } = await sql<SummaryRow>`select room.id, room.slug, room.name, room.kind,
      room.is_default, room.created_by, room.topic, room.announcement_only, room.archived_at,
      room.last_seq, me.last_read_seq,
      me.notify_level, me.muted, me.role, me.mod_muted,
      case when room.kind = 'dm' then (select u.name from room_member other
        join "user" u on u.id = other.user_id
        where other.room_id = room.id and other.user_id != ${userId} limit 1) end as other_name,
      exists (select 1 from message_mention mm where mm.room_id = room.id
        and mm.user_id = ${userId} and mm.seq > me.last_read_seq) as mentioned
    from room_member me join room on room.id = me.room_id
    where me.user_id = ${userId} ${oneRoom}
    order by room.slug`.execute(db);
  const threadOnly = await threadOnlyAfterRead(db, userId, roomId);
  return rows.map((row) => ({
    ...toWireRoom(row),
    name: row.kind === "dm" ? (row.other_name ?? "Direct message") : row.name,
    lastSeq: Number(row.last_seq),
    lastReadSeq: Number(row.last_read_seq),
    mentioned: Boolean(row.mentioned),
    isDefault: Number(row.is_default) === 1,
    threadOnlySeqs: threadOnly.get(row.id) ?? [],
    ...roomSettingsOf(row),
    ...summaryNotify(row.notify_level, Number(row.muted) === 1),
    ...(row.role === "moderator" && { role: "moderator" as const }),
    ...(Number(row.mod_muted) === 1 && { modMuted: true as const }),
  }));
}

/** A member's notify prefs for a summary, only when not the defaults: most frames stay as small. */
function summaryNotify(level: string | null, muted: boolean): { notify?: RoomNotify } {
  const own = (notifyLevels as readonly (string | null)[]).includes(level)
    ? (level as NotifyLevel)
    : null;
  return own === null && !muted ? {} : { notify: { level: own, muted } };
}

type SummaryRow = RoomRow & {
  last_seq: number | string;
  last_read_seq: number | string;
  other_name: string | null;
  mentioned: unknown;
  notify_level: string | null;
  muted: number | string;
  role: string;
  mod_muted: number | string;
};

/** Thread-only replies a summary lists at most (more count as unread). */
const THREAD_ONLY_LISTED = 1000;

/**
 * Per room, the seqs after the user's read marker of replies kept out of
 * the main log: they take a seq, so unread (lastSeq - lastReadSeq) skips
 * them (client/unread.ts). The partial index message_thread_only (0008)
 * holds only such replies.
 */
async function threadOnlyAfterRead(
  db: Kysely<Database>,
  userId: string,
  roomId?: string,
): Promise<Map<string, number[]>> {
  // Hand-written for the same reason as summaries (every connect reads it).
  const oneRoom = roomId === undefined ? sql`` : sql`and m.room_id = ${roomId}`;
  const { rows } = await sql<{ room_id: string; seq: number | string }>`select m.room_id, m.seq
    from message m join room_member me on me.room_id = m.room_id and me.user_id = ${userId}
    where m.thread_root_id is not null and m.also_in_room = 0 and m.seq > me.last_read_seq
    ${oneRoom}
    order by m.seq limit ${THREAD_ONLY_LISTED}`.execute(db);
  const byRoom = new Map<string, number[]>();
  for (const row of rows) {
    const seqs = byRoom.get(row.room_id) ?? [];
    seqs.push(Number(row.seq));
    byRoom.set(row.room_id, seqs);
  }
  return byRoom;
}

/** A user row as frames carry it: the handle left out when there is none (bare test stores). */
function wireUser(row: {
  id: string;
  name: string;
  handle: string | null;
  bot?: number | null;
}): WireUser {
  const user: WireUser = row.handle
    ? { id: row.id, name: row.name, handle: row.handle }
    : { id: row.id, name: row.name };
  // A bot account (issue 15) carries the flag wherever it is listed.
  return Number(row.bot) === 1 ? { ...user, bot: true } : user;
}

/** Users by name, case-insensitively (names are not unique), and their blocks. */
export function createUserDirectory(
  db: Kysely<Database>,
  now: () => number = Date.now,
): UserDirectory {
  return {
    changeProfile: (userId, profile) => changeProfile(db, userId, profile),
    async findByName(name, limit) {
      const rows = await db
        .selectFrom("user")
        .select(["id", "name", "handle"])
        .where(sql`lower(name)`, "=", name.trim().toLowerCase())
        .orderBy("id")
        .limit(limit)
        .execute();
      return rows.map(wireUser);
    },
    async findById(id) {
      const row = await db
        .selectFrom("user")
        .select(["id", "name", "handle"])
        .where("id", "=", id)
        .executeTakeFirst();
      return row && wireUser(row);
    },
    async findByHandle(handle) {
      // lower(handle): the expression the unique index is on, so it serves this lookup.
      const row = await db
        .selectFrom("user")
        .select(["id", "name", "handle"])
        .where(sql`lower(handle)`, "=", handle.trim().toLowerCase())
        .executeTakeFirst();
      return row && wireUser(row);
    },
    async searchPeople(query, limit) {
      const wanted = query.prefix.trim().toLowerCase();
      if (!wanted || limit < 1) return [];
      // substr rather than LIKE: no wildcard in a query can widen the match.
      // The same rule as core/people-search personMatches.
      const starts = (column: "name" | "handle" | "email") =>
        sql<SqlBool>`substr(lower(${sql.ref(column)}), 1, ${wanted.length}) = ${wanted}`;
      const rows = await db
        .selectFrom("user")
        .select(["id", "name", "handle"])
        .where((eb) => {
          const anyOf = [starts("handle")];
          if (!query.handleOnly) {
            anyOf.push(starts("name"));
            if (wanted.length >= EMAIL_PREFIX_MIN) anyOf.push(starts("email"));
          }
          return eb.or(anyOf);
        })
        // The person whose handle was typed in full comes first.
        .orderBy(sql`case when lower(handle) = ${wanted} then 0 else 1 end`)
        .orderBy(sql`lower(name)`)
        .orderBy("id")
        .limit(limit)
        .execute();
      return rows.map(wireUser);
    },
    async block(blocker, blocked) {
      await db
        .insertInto("user_block")
        .values({ blocker_id: blocker, blocked_id: blocked, created_at: now() })
        .onConflict((oc) => oc.columns(["blocker_id", "blocked_id"]).doNothing())
        .execute();
    },
    async unblock(blocker, blocked) {
      const result = await db
        .deleteFrom("user_block")
        .where("blocker_id", "=", blocker)
        .where("blocked_id", "=", blocked)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async isBlocked(blocker, blocked) {
      const row = await db
        .selectFrom("user_block")
        .select("blocker_id")
        .where("blocker_id", "=", blocker)
        .where("blocked_id", "=", blocked)
        .executeTakeFirst();
      return row !== undefined;
    },
    async blockedBy(blocker) {
      const rows = await db
        .selectFrom("user_block")
        .select("blocked_id")
        .where("blocker_id", "=", blocker)
        .orderBy("created_at")
        .orderBy("blocked_id")
        .execute();
      return rows.map((row) => row.blocked_id);
    },
  };
}
