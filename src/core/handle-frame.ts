import type { Storage } from "../ports";
import type { ErrorCode, RoomFrame, ServerFrame, WireUser } from "../protocol/frames";
import { resolveMentions } from "./mentions";
import { fetchRange } from "./replay";

/**
 * What the edge must do after a frame, in order: the core decides, the ws
 * layer performs (it owns sockets and subscriptions).
 */
export type Effect =
  | { kind: "reply"; frame: ServerFrame }
  /** To every socket subscribed to the room, except the sending socket when `exceptSelf`. */
  | { kind: "publish"; roomId: string; frame: ServerFrame; exceptSelf: boolean }
  /** To every socket of one user (their other tabs and devices too). */
  | { kind: "user"; userId: string; frame: ServerFrame }
  /** Subscribe this socket, replaying what it missed, then announce members. */
  | { kind: "subscribe"; roomId: string; afterSeq?: number; afterRev?: number }
  /**
   * Send this socket the messages in (afterSeq, untilSeq] (gap filling);
   * `more` when the range asked for was cut at FETCH_LIMIT.
   */
  | { kind: "fetch"; roomId: string; afterSeq: number; untilSeq: number; more: boolean }
  /** Subscribe every socket of a user to a room they just joined. */
  | { kind: "attach"; userId: string; roomId: string }
  /** Unsubscribe every socket of a user from a room they left. */
  | { kind: "detach"; userId: string; roomId: string }
  /** Tell the room's online members its member list changed. */
  | { kind: "members"; roomId: string };

export type FrameDeps = Pick<Storage, "rooms" | "messages" | "users" | "limits">;

const error = (code: ErrorCode, message: string, clientId?: string): Effect[] => [
  { kind: "reply", frame: { type: "error", code, message, clientId } },
];

/** The answer to a frame for a room the user is not in, or that does not exist. */
const refused = (reason: "forbidden" | "not_found", clientId?: string): Effect[] =>
  reason === "forbidden"
    ? error("forbidden", "you are not a member of this room", clientId)
    : error("not_found", "no such room", clientId);

/**
 * The one person an invite names: by id, or by a name exactly one person
 * has. Several people with the name is a refusal, never a guess (an
 * attacker can sign up with anybody's name).
 */
async function invitee(
  frame: Extract<RoomFrame, { type: "invite" }>,
  deps: FrameDeps,
): Promise<{ ok: true; person: WireUser } | { ok: false; effects: Effect[] }> {
  if (frame.userId !== undefined) {
    const person = await deps.users.findById(frame.userId);
    return person
      ? { ok: true, person }
      : { ok: false, effects: error("not_found", "no such person") };
  }
  if (frame.userName === undefined) {
    return { ok: false, effects: error("bad_frame", "say whom to invite (userId)") };
  }
  const found = await deps.users.findByName(frame.userName, 2);
  const [person] = found;
  if (!person) {
    return { ok: false, effects: error("not_found", `nobody is called "${frame.userName}"`) };
  }
  if (found.length > 1) {
    return {
      ok: false,
      effects: error(
        "bad_frame",
        `more than one person is called "${frame.userName}": pick the one you mean from the list`,
      ),
    };
  }
  return { ok: true, person };
}

/** Stores a member's message; acks it, publishes it and moves the author's read marker. */
async function send(
  frame: Extract<RoomFrame, { type: "send" }>,
  user: WireUser,
  deps: FrameDeps,
): Promise<Effect[]> {
  const { roomId, clientId } = frame;
  // Reading the member list before the membership check is harmless: a
  // refused send returns nothing of it.
  const members = frame.text.includes("@") ? await deps.rooms.members(roomId) : [];
  const result = await deps.messages.appendIfMember({
    roomId,
    author: user,
    clientId,
    text: frame.text,
    mentions: resolveMentions(frame.text, members),
  });
  if (!result.ok) return refused(result.reason, clientId);
  const { message, duplicate } = result;
  const effects: Effect[] = [{ kind: "reply", frame: { type: "ack", clientId, message } }];
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
  }
  return effects;
}

/** Applies one decoded client frame for `user`: authorises it, then decides its effects. */
export async function handleFrame(
  frame: RoomFrame,
  user: WireUser,
  deps: FrameDeps,
): Promise<Effect[]> {
  // A send is the hot path: its membership check is folded into the
  // transaction that stores it (MessageStore.appendIfMember), saving a query.
  if (frame.type === "send") return send(frame, user, deps);
  // Every frame names a room, and membership is checked on every frame, not
  // only when subscribing: a removed member loses access at once.
  if (!(await deps.rooms.isMember(frame.roomId, user.id))) {
    const exists = (await deps.rooms.getRoom(frame.roomId)) !== undefined;
    return refused(exists ? "forbidden" : "not_found");
  }
  const { roomId } = frame;
  switch (frame.type) {
    case "subscribe":
      return [{ kind: "subscribe", roomId, afterSeq: frame.afterSeq, afterRev: frame.afterRev }];
    case "fetch": {
      // One fetch is bounded (FETCH_LIMIT messages); the client pages on.
      const { afterSeq, beforeSeq } = frame;
      const { lastSeq } = await deps.messages.position(roomId);
      const { untilSeq, more } = fetchRange(afterSeq, beforeSeq, lastSeq);
      return [{ kind: "fetch", roomId, afterSeq, untilSeq, more }];
    }
    case "typing":
      return [
        { kind: "publish", roomId, frame: { type: "typing", roomId, user }, exceptSelf: true },
      ];
    case "read": {
      const seq = await deps.rooms.markRead(roomId, user.id, frame.seq);
      return [{ kind: "user", userId: user.id, frame: { type: "read", roomId, seq } }];
    }
    case "edit":
    case "delete":
    case "react": {
      const { messages } = deps;
      const result =
        frame.type === "edit"
          ? await messages.edit(roomId, frame.messageId, user.id, frame.text)
          : frame.type === "delete"
            ? await messages.remove(roomId, frame.messageId, user.id)
            : await messages.toggleReaction(roomId, frame.messageId, user.id, frame.emoji);
      if (!result.ok) {
        return result.reason === "forbidden"
          ? error("forbidden", "you can only change your own messages")
          : error("not_found", "no such message");
      }
      const updated: ServerFrame = { type: "updated", message: result.message };
      return [{ kind: "publish", roomId, frame: updated, exceptSelf: false }];
    }
    case "invite": {
      const room = await deps.rooms.getRoom(roomId);
      if (room?.kind === "dm") return error("forbidden", "direct messages stay between two people");
      const found = await invitee(frame, deps);
      if (!found.ok) return found.effects;
      const { person } = found;
      if (await deps.rooms.isMember(roomId, person.id)) return [];
      if (await deps.users.isBlocked(person.id, user.id)) {
        return error("forbidden", `${person.name} does not accept invites from you`);
      }
      const wait = deps.limits?.take("invite", user.id) ?? 0;
      if (wait > 0) {
        const minutes = Math.ceil(wait / 60_000);
        return [
          {
            kind: "reply",
            frame: {
              type: "error",
              code: "rate_limited",
              message: `too many invites: try again in ${minutes} min`,
              retryAfterMs: wait,
            },
          },
        ];
      }
      await deps.rooms.join(roomId, person.id);
      const summary = await deps.rooms.summaryOf(roomId, person.id);
      const effects: Effect[] = [{ kind: "attach", userId: person.id, roomId }];
      if (summary)
        effects.push({
          kind: "user",
          userId: person.id,
          frame: { type: "room_added", room: summary },
        });
      effects.push({ kind: "members", roomId });
      return effects;
    }
    case "leave": {
      const room = await deps.rooms.getRoom(roomId);
      if (room?.slug === "general") return error("forbidden", "everyone stays in general");
      await deps.rooms.leave(roomId, user.id);
      return [
        { kind: "detach", userId: user.id, roomId },
        { kind: "user", userId: user.id, frame: { type: "room_removed", roomId } },
        { kind: "members", roomId },
      ];
    }
  }
}
