import type { AppendInput } from "../../ports";
import type { RoomFrame, WireMessage, WireUser } from "../../protocol/frames";
import { resolveMentions, roomWideMention, unresolvedMentions } from "../mentions";
import {
  type Decision,
  mayMentionRoom,
  mayPost,
  membershipOf,
  type Refusal,
  ROOM_WIDE_MENTION_MEMBERS,
  type RoomFacts,
} from "../policy";
import { attaching, isRefusal } from "./attach";
import { previewOf } from "./preview";
import { reply } from "./reply";
import { type Effect, type FrameDeps, refusalReply, roomFacts } from "./shared";

/**
 * The refusal mayPost gives on the facts a refused member-gated append
 * reports: no such room, a room the author is not a member of, or (issue
 * 14) an archived room, or an announcement-only one the author does not
 * moderate (the room's other facts do not enter mayPost).
 */
export function postRefusal(
  reason: "forbidden" | "not_found" | "muted" | "archived" | "announcement",
): Decision {
  if (reason === "not_found") return mayPost(undefined, membershipOf(false));
  const someRoom: RoomFacts = {
    kind: "public",
    name: "",
    archived: reason === "archived",
    announcementOnly: reason === "announcement",
  };
  if (reason === "muted") {
    return mayPost(someRoom, { member: true, role: "member", modMuted: true });
  }
  return mayPost(someRoom, membershipOf(reason !== "forbidden"));
}

/**
 * Stores a member's message; acks it, publishes it and moves the author's
 * read marker. The hot path: mayPost (members only) is enforced by the SQL
 * gate of MessageStore.appendIfMember, inside the transaction that stores
 * the message, saving a query and a race; the contract suite shows that
 * gate and mayPost agree. `via` is an incoming webhook's (handleFrame's
 * origin, never the frame's): stored with the message, in the same insert.
 */
export async function send(
  frame: Extract<RoomFrame, { type: "send" }>,
  user: WireUser,
  deps: FrameDeps,
  via?: WireMessage["via"],
): Promise<Effect[]> {
  const { roomId, clientId } = frame;
  // A reply takes the slower path of its own (the thread's summary changes with it).
  if (frame.threadRootId !== undefined)
    return reply({ ...frame, threadRootId: frame.threadRootId }, user, deps);
  // Reading the member list before the membership check is harmless: a
  // refused send returns nothing of it.
  const members = frame.text.includes("@") ? await deps.rooms.members(roomId) : [];
  const mentions = await whomItMentions(frame.text, members, roomId, user, deps);
  if (!Array.isArray(mentions)) return refusalReply(mentions, clientId);
  const files = attaching(frame.fileIds, user.id);
  if (isRefusal(files)) return refusalReply(files, clientId);
  const input: AppendInput = { roomId, author: user, clientId, text: frame.text, mentions };
  if (via) input.via = via;
  const result = files
    ? await deps.messages.appendWithFiles(input, files)
    : await deps.messages.appendIfMember(input);
  if (!result.ok && result.reason === "refused") return refusalReply(result.refusal, clientId);
  if (!result.ok) {
    const refused = postRefusal(result.reason);
    if (!refused.ok) return refusalReply(refused, clientId);
    throw new Error(`mayPost allowed what the append refused (${result.reason})`);
  }
  const { message, duplicate } = result;
  const unresolved = unresolvedMentions(frame.text, members);
  const ack = { type: "ack" as const, clientId, message };
  const effects: Effect[] = [
    { kind: "reply", frame: unresolved.length > 0 ? { ...ack, unresolved } : ack },
  ];
  // A retry was published the first time; anyone who missed it
  // recovers it by seq, so it is not published twice.
  if (!duplicate) {
    effects.push({
      kind: "publish",
      roomId,
      frame: { type: "message", message },
      exceptSelf: true,
    });
    effects.push({
      kind: "user",
      userId: user.id,
      frame: { type: "read", roomId, seq: message.seq },
    });
    effects.push(...previewOf(message));
    effects.push({ kind: "notify", op: "stored", roomId, message, mentions });
  }
  return effects;
}

/**
 * The members a text mentions: by handle, plus everyone for @channel / @all
 * or the members online now for @here (asked of the presence port), once
 * mayMentionRoom allows it (only in a large room are the room's facts read).
 */
async function whomItMentions(
  text: string,
  members: readonly WireUser[],
  roomId: string,
  user: WireUser,
  deps: FrameDeps,
): Promise<string[] | Refusal> {
  const named = resolveMentions(text, members);
  const wide = roomWideMention(text);
  if (!wide) return named;
  if (members.length > ROOM_WIDE_MENTION_MEMBERS) {
    const { room, membership } = await roomFacts(deps, roomId, user.id);
    const allowed = mayMentionRoom(room, membership, members.length, user.id);
    if (!allowed.ok) return allowed;
  }
  const ids = members.map((m) => m.id);
  const reached = wide === "everyone" ? ids : [...((await deps.presence?.onlineAmong(ids)) ?? [])];
  return [...new Set([...named, ...reached])];
}
