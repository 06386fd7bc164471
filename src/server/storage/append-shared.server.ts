import type { Kysely } from "kysely";
import type { AppendInput } from "../../ports";
import type { WireMessage } from "../../protocol/frames";
import { toWire } from "./message-rows.server";
import type { Database } from "./schema.server";

/**
 * What a driver's append did. A duplicate is only named here: the store
 * reads the original (with its reactions) after the transaction, off the
 * hot path.
 */
export type AppendOutcome =
  | { kind: "stored"; message: WireMessage }
  | { kind: "duplicate" }
  | { kind: "refused"; reason: PostRefusalReason };

/**
 * Why a post was refused: no room, not a member, or (issue 14) the room is
 * archived or announcement-only and the author moderates neither it nor
 * the server, or a moderator muted the author in the room.
 */
export type PostRefusalReason = "forbidden" | "not_found" | "archived" | "announcement" | "muted";

/** A driver's append: resolves after the transaction holding it committed. */
export type Appender = (input: AppendInput) => Promise<AppendOutcome>;

/** Mentioned members other than the author, each once. */
export function mentionedIds({ mentions = [], author }: AppendInput): string[] {
  return [...new Set(mentions)].filter((id) => id !== author.id);
}

/** The wire form of a message this append just stored. */
export function storedMessage(
  input: AppendInput,
  id: string,
  seq: number,
  createdAt: number,
): WireMessage {
  return toWire({
    id,
    room_id: input.roomId,
    seq,
    author_id: input.author.id,
    author_name: input.author.name,
    author_bot: input.author.bot ? 1 : 0,
    client_id: input.clientId,
    text: input.text,
    created_at: createdAt,
    edited_at: null,
    deleted_at: null,
    rev: 0,
    pinned_at: null,
    pinned_by: null,
    via: viaJson(input),
  });
}

/** message.via as stored: an incoming webhook's name and overrides as JSON, else null. */
export function viaJson(input: Pick<AppendInput, "via">): string | null {
  return input.via ? JSON.stringify(input.via) : null;
}

/**
 * Why the gated seq bump touched no row, from three facts read in the same
 * transaction. Membership is asked first: someone who left is refused even
 * when retrying an id they used while a member.
 */
export function explainNoBump(
  facts: {
    room: boolean;
    member: boolean;
    sent: boolean;
    /** A moderator muted the author here (the gate's `mod_muted = 0`). */
    muted?: boolean;
    /** The room half (post-gate.server.ts), when read. */
    post?: { archived: boolean; announcement: boolean; moderates: boolean };
  },
  input: AppendInput,
): AppendOutcome {
  if (!facts.member) return { kind: "refused", reason: facts.room ? "forbidden" : "not_found" };
  if (facts.sent) return { kind: "duplicate" };
  if (facts.post?.archived) return { kind: "refused", reason: "archived" };
  if (facts.post?.announcement && !facts.post.moderates) {
    return { kind: "refused", reason: "announcement" };
  }
  if (facts.muted) return { kind: "refused", reason: "muted" };
  // Unreachable while messages are never deleted: the bump's conditions all hold.
  throw new Error(`room ${input.roomId}: seq bump matched no row`);
}

/**
 * The author's standing for an append, read inside its transaction (the
 * Kysely paths: sends with files, replies): a member of the room, and
 * whether they already used this client id there (a retry).
 */
export async function senderFacts(
  trx: Kysely<Database>,
  { roomId, author, clientId }: Pick<AppendInput, "roomId" | "author" | "clientId">,
): Promise<{ member: boolean; sent: boolean; muted: boolean }> {
  const member = await trx
    .selectFrom("room_member")
    .select(["user_id", "mod_muted"])
    .where("room_id", "=", roomId)
    .where("user_id", "=", author.id)
    .executeTakeFirst();
  const sent = await trx
    .selectFrom("message")
    .select("id")
    .where("room_id", "=", roomId)
    .where("author_id", "=", author.id)
    .where("client_id", "=", clientId)
    .executeTakeFirst();
  return {
    member: member !== undefined,
    sent: sent !== undefined,
    muted: Number(member?.mod_muted ?? 0) === 1,
  };
}

/**
 * The rows a stored message brings along on the Kysely paths (sends with
 * files, replies shown in the room): its mentions, and the author's read
 * marker moved to it (writing in a room means having read it up to here).
 */
export async function recordMentionsAndRead(
  trx: Kysely<Database>,
  input: AppendInput,
  seq: number,
): Promise<void> {
  const { roomId, author } = input;
  for (const userId of mentionedIds(input)) {
    await trx
      .insertInto("message_mention")
      .values({ room_id: roomId, seq, user_id: userId })
      .execute();
  }
  await trx
    .updateTable("room_member")
    .set({ last_read_seq: seq })
    .where("room_id", "=", roomId)
    .where("user_id", "=", author.id)
    .where("last_read_seq", "<", seq)
    .execute();
}
