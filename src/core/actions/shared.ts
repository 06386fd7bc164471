import type { ModerationStore, OnlineMembers, RoomAdminStore, Storage } from "../../ports";
import type { ServerFrame, WireMessage } from "../../protocol/frames";
import {
  type Membership,
  membershipOf,
  type Refusal,
  type RoomFacts,
  type ServerRole,
} from "../policy";

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
  | { kind: "members"; roomId: string }
  /**
   * Delete these blobs from the BlobStore: the files of a message deleted
   * (or dropped by an edit), whose rows went in its transaction. After
   * commit, best effort: a failed delete is logged, never undoes the change.
   */
  | { kind: "forget_blobs"; keys: string[] }
  /**
   * Link previews, off the hot path (server/previews): `make` one for a
   * message just stored. (A removed preview's image goes by `forget_blobs`.)
   */
  | PreviewEffect
  | NotifyEffect;

/**
 * Notifications (issue 13), off the hot path (server/notify): after a
 * message is stored, whom to tell and how (`stored`); after a member read
 * a room up to `seq`, withdraw what was shown for it (`read`). The
 * instance that took the frame handles it, once; never relayed.
 */
export type NotifyEffect =
  | {
      kind: "notify";
      op: "stored";
      roomId: string;
      message: WireMessage;
      /** Ids of the members it mentions (handles and room-wide mentions, resolved). */
      mentions: string[];
    }
  | { kind: "notify"; op: "read"; userId: string; roomId: string; seq: number };

export type PreviewEffect = {
  kind: "preview";
  op: "make";
  roomId: string;
  messageId: string;
  authorId: string;
  url: string;
};

export type FrameDeps = Pick<
  Storage,
  "rooms" | "messages" | "users" | "limits" | "threads" | "saved" | "notify"
> & {
  /** Who is online (for @here); without it, @here mentions nobody. */
  presence?: OnlineMembers;
  /**
   * Room roles, moderators' mutes and bans (issue 14); without it (small
   * test fakes) everyone is an ordinary member and nobody moderates.
   */
  moderation?: ModerationStore;
  /** Room administration (issue 14: room_settings); without it such frames are refused. */
  roomAdmin?: RoomAdminStore;
};

/** A refusal as the one reply to a frame (sends name their clientId). */
export const refusalReply = (refusal: Refusal, clientId?: string): Effect[] => [
  {
    kind: "reply",
    frame: { type: "error", code: refusal.code, message: refusal.message, clientId },
  },
];

/**
 * What policy decides a frame on: the room (undefined when there is none),
 * the actor's standing in it, and their server role.
 */
export type Facts = { room: RoomFacts | undefined; membership: Membership; serverRole: ServerRole };

/**
 * Loads the facts of the actor in a room. Membership, room role and the
 * server role are read on every frame, never cached: a removed member
 * loses access at once, a demoted admin their authority.
 */
export async function roomFacts(deps: FrameDeps, roomId: string, userId: string): Promise<Facts> {
  if (deps.moderation) {
    const [standing, room] = await Promise.all([
      deps.moderation.standing(roomId, userId),
      deps.rooms.getRoom(roomId),
    ]);
    return {
      room,
      membership: standing?.membership ?? { member: false },
      serverRole: standing?.serverRole ?? "member",
    };
  }
  const [isMember, room] = await Promise.all([
    deps.rooms.isMember(roomId, userId),
    deps.rooms.getRoom(roomId),
  ]);
  return { room, membership: membershipOf(isMember), serverRole: "member" };
}
