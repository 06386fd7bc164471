import type { Kysely } from "kysely";
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  type ExportCounts,
  type ExportLine,
  type MessageLine,
  type RoomLine,
  type UserLine,
} from "../../core/export-format";
import type { Database } from "../storage/schema.server";

/** What to export: the whole server, one room (admin console), or one user's own (self-export). */
export type ExportScope =
  | { kind: "server" }
  | { kind: "room"; roomId: string }
  | { kind: "self"; userId: string };

// PostgreSQL's bigint arrives as a string, SQLite's as a number.
const num = (value: unknown): number => Number(value);
const numOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);
/** better-auth's `date` columns: an ISO string (SQLite), a Date (PostgreSQL) or ms. */
const dateMs = (value: unknown): number => {
  const at = value instanceof Date ? value.getTime() : new Date(value as string | number).getTime();
  return Number.isFinite(at) ? at : 0;
};

// Messages are read a page at a time so a large room never sits in memory whole.
const PAGE = 500;

/**
 * The export's lines, in the order docs/export-format.md gives: header,
 * users, rooms, members, then each room's messages by seq, then `end` with
 * the counts. A generator, so the caller writes each line as it comes.
 */
export async function* exportLines(
  db: Kysely<Database>,
  scope: ExportScope,
  now = Date.now(),
): AsyncGenerator<ExportLine> {
  const counts: ExportCounts = { users: 0, rooms: 0, members: 0, messages: 0 };
  yield {
    type: "header",
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now,
    scope: scope.kind,
  };
  const rooms = await roomsOf(db, scope);
  const roomIds = rooms.map((room) => room.id);
  for (const user of await usersOf(db, scope, roomIds)) {
    counts.users++;
    yield user;
  }
  for (const room of rooms) {
    counts.rooms++;
    yield room;
  }
  if (scope.kind !== "self") {
    for (const roomId of roomIds) {
      const members = await db
        .selectFrom("room_member")
        .selectAll()
        .where("room_id", "=", roomId)
        .orderBy("user_id")
        .execute();
      for (const m of members) {
        counts.members++;
        yield {
          type: "member",
          roomId: m.room_id,
          userId: m.user_id,
          joinedAt: num(m.joined_at),
          role: m.role,
          lastReadSeq: num(m.last_read_seq),
          muted: num(m.muted) === 1,
          modMuted: num(m.mod_muted) === 1,
          notifyLevel: m.notify_level,
        };
      }
    }
  }
  for (const roomId of roomIds) {
    let after = 0;
    for (;;) {
      let query = db
        .selectFrom("message")
        .selectAll()
        .where("room_id", "=", roomId)
        .where("seq", ">", after)
        .orderBy("seq")
        .limit(PAGE);
      if (scope.kind === "self") query = query.where("author_id", "=", scope.userId);
      const rows = await query.execute();
      if (rows.length === 0) break;
      for (const line of await messageLines(db, rows, scope)) {
        counts.messages++;
        yield line;
      }
      after = num(rows[rows.length - 1]?.seq);
      if (rows.length < PAGE) break;
    }
  }
  yield { type: "end", counts };
}

/** The export as one JSONL string per line (with its newline), for files and HTTP bodies. */
export async function* exportJsonl(
  db: Kysely<Database>,
  scope: ExportScope,
  now = Date.now(),
): AsyncGenerator<string> {
  for await (const line of exportLines(db, scope, now)) yield `${JSON.stringify(line)}\n`;
}

async function roomsOf(db: Kysely<Database>, scope: ExportScope): Promise<RoomLine[]> {
  let query = db.selectFrom("room").selectAll().orderBy("created_at").orderBy("id");
  if (scope.kind === "room") query = query.where("id", "=", scope.roomId);
  if (scope.kind === "self") {
    // Only the rooms the user wrote in: the context of their own messages.
    query = query.where("id", "in", (sub) =>
      sub.selectFrom("message").select("room_id").where("author_id", "=", scope.userId),
    );
  }
  const rows = await query.execute();
  return rows.map((r) => ({
    type: "room",
    id: r.id,
    slug: r.slug,
    name: r.name,
    kind: r.kind as RoomLine["kind"],
    dmKey: r.dm_key,
    createdBy: r.created_by,
    createdAt: num(r.created_at),
    topic: r.topic,
    isDefault: num(r.is_default) === 1,
    announcementOnly: num(r.announcement_only) === 1,
    archivedAt: numOrNull(r.archived_at),
    retentionDays: numOrNull(r.retention_days),
    lastSeq: num(r.last_seq),
    lastRev: num(r.last_rev),
  }));
}

async function usersOf(
  db: Kysely<Database>,
  scope: ExportScope,
  roomIds: string[],
): Promise<UserLine[]> {
  // Never password hashes, sessions or second factors: those live in other tables.
  let query = db
    .selectFrom("user")
    .select([
      "id",
      "name",
      "handle",
      "email",
      "role",
      "bot",
      "deactivated_at",
      (eb) => eb.ref("createdAt" as never).as("created_at"),
    ])
    .orderBy("id");
  if (scope.kind === "self") query = query.where("id", "=", scope.userId);
  if (scope.kind === "room") {
    // Everyone the room's lines name: its members and its authors.
    if (roomIds.length === 0) return [];
    query = query.where((eb) =>
      eb.or([
        eb(
          "id",
          "in",
          eb.selectFrom("room_member").select("user_id").where("room_id", "in", roomIds),
        ),
        eb(
          "id",
          "in",
          eb.selectFrom("message").select("author_id").where("room_id", "in", roomIds),
        ),
      ]),
    );
  }
  const rows = (await query.execute()) as Array<{
    id: string;
    name: string;
    handle: string | null;
    email: string | null;
    role: string;
    bot?: number;
    deactivated_at?: number | null;
    created_at: unknown;
  }>;
  const profile =
    scope.kind === "self"
      ? await db
          .selectFrom("user_profile")
          .select(["status_text", "status_emoji", "time_zone"])
          .where("user_id", "=", scope.userId)
          .executeTakeFirst()
      : undefined;
  return rows.map((u) => ({
    type: "user",
    id: u.id,
    name: u.name,
    handle: u.handle,
    email: u.email,
    role: u.role,
    bot: num(u.bot ?? 0) === 1,
    deactivatedAt: numOrNull(u.deactivated_at),
    createdAt: dateMs(u.created_at),
    ...(scope.kind === "self"
      ? {
          profile: profile
            ? {
                statusText: profile.status_text,
                statusEmoji: profile.status_emoji,
                timeZone: profile.time_zone,
              }
            : null,
        }
      : {}),
  }));
}

type MessageRow = Database["message"] & { rev: number; also_in_room: number; reply_count: number };

async function messageLines(
  db: Kysely<Database>,
  rows: ReadonlyArray<Record<string, unknown>>,
  scope: ExportScope,
): Promise<MessageLine[]> {
  const ids = rows.map((r) => String(r.id));
  let reactionQuery = db
    .selectFrom("reaction")
    .selectAll()
    .where("message_id", "in", ids)
    .orderBy("created_at")
    .orderBy("user_id")
    .orderBy("emoji");
  // A self-export holds the user's own data only: not who else reacted.
  if (scope.kind === "self") reactionQuery = reactionQuery.where("user_id", "=", scope.userId);
  const reactions = await reactionQuery.execute();
  const files = await db
    .selectFrom("file")
    .selectAll()
    .where("message_id", "in", ids)
    .where("purpose", "=", "attachment")
    .orderBy("position")
    .execute();
  const first = rows[0];
  const seqs = rows.map((r) => num(r.seq));
  const mentions =
    scope.kind === "self" || !first
      ? []
      : await db
          .selectFrom("message_mention")
          .selectAll()
          .where("room_id", "=", String(first.room_id))
          .where("seq", ">=", Math.min(...seqs))
          .where("seq", "<=", Math.max(...seqs))
          .orderBy("user_id")
          .execute();
  return rows.map((raw) => {
    const r = raw as unknown as MessageRow;
    const seq = num(r.seq);
    return {
      type: "message",
      id: r.id,
      roomId: r.room_id,
      seq,
      authorId: r.author_id,
      clientId: r.client_id,
      text: r.text,
      createdAt: num(r.created_at),
      editedAt: numOrNull(r.edited_at),
      deletedAt: numOrNull(r.deleted_at),
      deletedBy: r.deleted_by,
      rev: num(r.rev),
      threadRootId: r.thread_root_id,
      alsoInRoom: num(r.also_in_room) === 1,
      replyCount: num(r.reply_count),
      lastReplyAt: numOrNull(r.last_reply_at),
      replyParticipants: r.reply_participants
        ? (JSON.parse(r.reply_participants) as string[])
        : null,
      pinnedAt: numOrNull(r.pinned_at),
      pinnedBy: r.pinned_by,
      via: r.via ? (JSON.parse(r.via) as Record<string, unknown>) : null,
      mentions: mentions.filter((m) => num(m.seq) === seq).map((m) => m.user_id),
      reactions: reactions
        .filter((x) => x.message_id === r.id)
        .map((x) => ({ userId: x.user_id, emoji: x.emoji, createdAt: num(x.created_at) })),
      files: files
        .filter((f) => f.message_id === r.id)
        .map((f) => ({
          id: f.id,
          uploaderId: f.uploader_id,
          name: f.name,
          size: num(f.size),
          contentType: f.content_type,
          blobKey: f.blob_key,
          thumbKey: f.thumb_key,
          width: numOrNull(f.width),
          height: numOrNull(f.height),
          createdAt: num(f.created_at),
          position: num(f.position),
        })),
    };
  });
}
