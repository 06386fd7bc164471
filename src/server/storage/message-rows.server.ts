import { type Kysely, type RawBuilder, type Selectable, sql } from "kysely";
import {
  linkPreviewSchema,
  messageSchema,
  REACTIONS,
  type WireFile,
  type WireMessage,
} from "../../protocol/frames";
import { attachmentsOf } from "./file-rows.server";
import type { Database } from "./schema.server";

// Named, not `message.*`: on PostgreSQL the table also holds the `search`
// tsvector, which no reader needs on the wire.
const messageColumns = [
  "message.id",
  "message.room_id",
  "message.seq",
  "message.author_id",
  "message.client_id",
  "message.text",
  "message.created_at",
  "message.edited_at",
  "message.deleted_at",
  "message.rev",
  "message.thread_root_id",
  "message.also_in_room",
  "message.reply_count",
  "message.last_reply_at",
  "message.reply_participants",
  "message.pinned_at",
  "message.pinned_by",
  "message.preview",
  "message.deleted_by",
  "message.via",
] as const;

type WireColumn = (typeof messageColumns)[number] extends `message.${infer C}` ? C : never;

/** Columns a writer that knows it stored a plain, new message may leave out. */
type OptionalColumn =
  | "preview"
  | "via"
  | "deleted_by"
  | "thread_root_id"
  | "also_in_room"
  | "reply_count"
  | "last_reply_at"
  | "reply_participants";

/**
 * The columns a wire message is made of, with its author's name. The
 * thread and preview columns may be left out by a writer that knows it
 * stored a plain, new message (the send path).
 */
export type MessageRow = Pick<
  Selectable<Database["message"]>,
  Exclude<WireColumn, OptionalColumn>
> &
  Partial<Pick<Selectable<Database["message"]>, OptionalColumn>> & {
    author_name: string | null;
    /** 1 when the author is a bot (migration 0020); absent or 0 for a person. */
    author_bot?: number | null;
  };

/**
 * The same columns for hand-written SQL, on the table's alias (`m.id, ...`),
 * so such a query cannot miss a column the wire message is made of.
 */
export function messageColumnsOf(alias: string): RawBuilder<unknown> {
  return sql.raw(messageColumns.map((c) => c.replace("message.", `${alias}.`)).join(", "));
}

/** Selects messages with their author's name. */
export function selectMessages(db: Kysely<Database>) {
  return db
    .selectFrom("message")
    .leftJoin("user", "user.id", "message.author_id")
    .select(messageColumns)
    .select(["user.name as author_name", "user.bot as author_bot"]);
}

/** Turns rows into wire messages, loading their reactions in one query and their files in another. */
export async function toWireMessages(
  db: Kysely<Database>,
  rows: MessageRow[],
): Promise<WireMessage[]> {
  const reactions = new Map<string, Map<string, string[]>>();
  if (rows.length > 0) {
    const found = await db
      .selectFrom("reaction")
      .select(["message_id", "emoji", "user_id"])
      .where(
        "message_id",
        "in",
        rows.map((row) => row.id),
      )
      .orderBy("created_at")
      .orderBy("user_id")
      .execute();
    for (const { message_id, emoji, user_id } of found) {
      let byEmoji = reactions.get(message_id);
      if (!byEmoji) {
        byEmoji = new Map();
        reactions.set(message_id, byEmoji);
      }
      byEmoji.set(emoji, [...(byEmoji.get(emoji) ?? []), user_id]);
    }
  }
  // A deleted message's files were deleted with it; none to look for.
  const files = await attachmentsOf(
    db,
    rows.filter((row) => row.deleted_at === null).map((row) => row.id),
  );
  return rows.map((row) => {
    const byEmoji = reactions.get(row.id);
    const grouped = [...(byEmoji ?? [])].map(([emoji, userIds]) => ({ emoji, userIds }));
    // The palette's order keeps each reaction's place steady as counts change.
    grouped.sort((a, b) => paletteIndex(a.emoji) - paletteIndex(b.emoji));
    return toWire(row, grouped, files.get(row.id));
  });
}

/**
 * One row as a wire message; a deleted message keeps its seq but not its
 * text, reactions or files. `files` is absent when the message has none.
 */
export function toWire(
  row: MessageRow,
  reactions: WireMessage["reactions"] = [],
  files: WireFile[] = [],
): WireMessage {
  const deleted = row.deleted_at !== null;
  return {
    id: row.id,
    roomId: row.room_id,
    seq: Number(row.seq),
    author: {
      id: row.author_id,
      name: row.author_name ?? "unknown",
      ...(Number(row.author_bot) === 1 && { bot: true as const }),
    },
    text: deleted ? "" : row.text,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    editedAt: row.edited_at === null ? null : new Date(Number(row.edited_at)).toISOString(),
    deleted,
    rev: Number(row.rev),
    reactions: deleted ? [] : reactions,
    ...threadFields(row),
    // A deleted message is no longer pinned, whatever its row still says.
    // (`==`: a reader selecting its own columns may leave the pin out.)
    pinnedAt:
      deleted || row.pinned_at == null ? null : new Date(Number(row.pinned_at)).toISOString(),
    pinnedBy: deleted || row.pinned_at == null ? null : row.pinned_by,
    ...(deleted || files.length === 0 ? {} : { files }),
    ...(deleted ? {} : previewField(row.preview)),
    // Whoever deleted it when not its author: a moderator (or an admin).
    ...(deleted && row.deleted_by != null ? { deletedBy: "moderator" as const } : {}),
    ...(deleted ? {} : viaField(row.via)),
  };
}

/** Who an incoming webhook's message is from (JSON), when it is one; anything unreadable means none. */
function viaField(json: string | null | undefined): Pick<WireMessage, "via"> {
  if (!json) return {};
  try {
    const parsed = messageSchema.shape.via.safeParse(JSON.parse(json));
    return parsed.success && parsed.data ? { via: parsed.data } : {};
  } catch {
    return {};
  }
}

/** The stored preview (JSON), when there is one; "removed" and anything unreadable mean none. */
function previewField(json: string | null | undefined): Pick<WireMessage, "preview"> {
  if (!json || json === "removed") return {};
  try {
    const parsed = linkPreviewSchema.safeParse(JSON.parse(json));
    return parsed.success ? { preview: parsed.data } : {};
  } catch {
    return {};
  }
}

/** The thread fields of a wire message: present only on replies and on roots with replies. */
function threadFields(row: MessageRow): Partial<WireMessage> {
  if (row.thread_root_id) {
    return { threadRootId: row.thread_root_id, alsoInRoom: Number(row.also_in_room) === 1 };
  }
  const replyCount = Number(row.reply_count ?? 0);
  if (replyCount === 0) return {};
  const lastReplyAt =
    row.last_reply_at === null || row.last_reply_at === undefined
      ? null
      : new Date(Number(row.last_reply_at)).toISOString();
  return {
    thread: { replyCount, lastReplyAt, participants: participantsOf(row.reply_participants) },
  };
}

/** The repliers kept on a root (JSON user ids); anything unreadable counts as none. */
export function participantsOf(json: string | null | undefined): string[] {
  if (!json) return [];
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === "string") : [];
  } catch {
    return [];
  }
}

const paletteIndex = (emoji: string) => {
  const index = (REACTIONS as readonly string[]).indexOf(emoji);
  return index === -1 ? REACTIONS.length : index;
};
