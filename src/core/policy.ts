/**
 * Who may do what: every permission rule of Parley, in one place.
 *
 * Pure functions over facts the stores return (the room, the actor's
 * membership and role, a message's author, blocks). Each answers ALLOW or
 * a typed refusal (an ErrorCode and a message); the caller loads the facts,
 * asks, and only then writes. Nothing here touches a store, so every rule
 * is unit-tested as a table (test/unit/policy.test.ts).
 *
 * The send hot path is the one place a rule also lives in SQL: the
 * member-gated append (MessageStore.appendIfMember) implements exactly
 * mayPost inside its transaction; test/contract/stores.contract.ts shows
 * the two agree.
 */
import type { ErrorCode, RoomKind } from "../protocol/frames";

/** Roles inside a room: its moderators (the creator first) and everyone else. */
export type Role = "member" | "moderator";

/** Roles on the server (user.role): owners and admins moderate every room. */
export type ServerRole = "owner" | "admin" | "member" | "guest";

/**
 * The actor's standing in one room: a member with their room role and
 * whether a moderator muted them there, or not a member (and maybe banned,
 * which keeps them out even of a public room).
 */
export type Membership =
  | { member: true; role: Role; modMuted?: boolean }
  | { member: false; banned?: boolean };

/** The facts of a room policy decides on; `undefined` where it is asked means "no such room". */
export type RoomFacts = {
  kind: RoomKind;
  /**
   * The room everyone belongs to ("general"): nobody leaves it (mayLeave).
   * New users join it by opening it: sign-up lands on it, and mayJoin lets
   * anyone join a public room.
   */
  isDefault?: boolean;
  name: string;
  /** Who created the room (null for seeded rooms): its moderator until roles exist. */
  createdBy?: string | null;
  /** Only moderators (and admins) post (issue 14, mayPost). */
  announcementOnly?: boolean;
  /** Archived: read-only for everyone, out of the room list (issue 14, mayPost). */
  archived?: boolean;
};

/** Rooms with more members than this keep @here, @channel and @all for moderators. */
export const ROOM_WIDE_MENTION_MEMBERS = 50;

/** The facts of a message policy decides on. */
export type MessageFacts = { authorId: string };

export type Refusal = { ok: false; code: ErrorCode; message: string };
export type Decision = { ok: true } | Refusal;

export const ALLOW: Decision = Object.freeze({ ok: true });

const refuse = (code: ErrorCode, message: string): Refusal => ({ ok: false, code, message });

/** The membership a store's yes/no answers stand for (every member has the member role). */
export function membershipOf(isMember: boolean): Membership {
  return isMember ? { member: true, role: "member" } : { member: false };
}

/**
 * A member may act in a room; anyone else is refused, as `not_found` when
 * the room does not exist and `forbidden` when it does (a non-member knows
 * the id already, so the difference reveals nothing new).
 */
function memberOnly(room: RoomFacts | undefined, membership: Membership): Decision {
  if (membership.member) return ALLOW;
  return room
    ? refuse("forbidden", "you are not a member of this room")
    : refuse("not_found", "no such room");
}

/**
 * Reading a room: history, subscribing (live events and replays), fetching
 * a gap, moving the read marker, and search results. Members only.
 */
export function mayView(room: RoomFacts | undefined, membership: Membership): Decision {
  return memberOnly(room, membership);
}

/** Typing indicators: what a member may post, they may say they are typing. */
export function mayType(room: RoomFacts | undefined, membership: Membership): Decision {
  return memberOnly(room, membership);
}

/**
 * Posting a message: members only; nobody in an archived room, and in an
 * announcement-only room only those who moderate it (`moderates`: the
 * room's moderators and the server's admins, see moderatesRoom). The SQL
 * gate of appendIfMember implements exactly this rule for the send path.
 */
export function mayPost(
  room: RoomFacts | undefined,
  membership: Membership,
  moderates = false,
): Decision {
  const asMember = memberOnly(room, membership);
  if (!asMember.ok) return asMember;
  const takes = roomTakesPosts(room, moderates);
  if (!takes.ok) return takes;
  if (membership.member && membership.modMuted) return MOD_MUTED;
  return ALLOW;
}

/** The refusal a member a moderator muted gets on every post (and the composer shows). */
export const MOD_MUTED_MESSAGE = "A moderator muted you in this room.";
const MOD_MUTED: Refusal = Object.freeze({
  ok: false as const,
  code: "forbidden" as const,
  message: MOD_MUTED_MESSAGE,
});

/**
 * Mentioning a whole room (@here, @channel, @all): any member of a room of
 * at most ROOM_WIDE_MENTION_MEMBERS members; in a larger room only its
 * moderators, which until roles exist means the room's creator.
 */
export function mayMentionRoom(
  room: RoomFacts | undefined,
  membership: Membership,
  memberCount: number,
  actorId: string,
): Decision {
  const asMember = memberOnly(room, membership);
  if (!asMember.ok) return asMember;
  if (memberCount <= ROOM_WIDE_MENTION_MEMBERS) return ALLOW;
  if (membership.member && membership.role === "moderator") return ALLOW;
  if (room?.createdBy != null && room.createdBy === actorId) return ALLOW;
  return refuse(
    "forbidden",
    `only the room's moderators may use @here, @channel or @all in rooms of more than ${ROOM_WIDE_MENTION_MEMBERS} members`,
  );
}

/** The refusal of a change to a message that is gone (or never was in this room). */
const noMessage = refuse("not_found", "no such message");
const notYou = refuse("bad_frame", "That is you.");
const noPerson = refuse("not_found", "No such person.");

/**
 * The room half of mayEdit, mayDelete and mayReact: asked before the store
 * reads the message (which it does inside the change's transaction), so a
 * non-member learns nothing about the room's messages.
 */
export function mayTouchMessages(room: RoomFacts | undefined, membership: Membership): Decision {
  return memberOnly(room, membership);
}

/** Changing (editing) a message: a member, and its author. */
export function mayEdit(
  room: RoomFacts | undefined,
  membership: Membership,
  message: MessageFacts | undefined,
  actorId: string,
): Decision {
  const asMember = mayTouchMessages(room, membership);
  if (!asMember.ok) return asMember;
  if (!message) return noMessage;
  if (message.authorId !== actorId) {
    return refuse("forbidden", "you can only change your own messages");
  }
  return ALLOW;
}

/**
 * Deleting a message: its author, as editing; besides, a room's moderators
 * and the server's admins delete anyone's message (shown as "Message
 * deleted by a moderator"). Still a member's act: an admin deletes in a
 * room they are in.
 */
export function mayDelete(
  room: RoomFacts | undefined,
  membership: Membership,
  message: MessageFacts | undefined,
  actorId: string,
  serverRole: ServerRole = "member",
): Decision {
  const asMember = mayTouchMessages(room, membership);
  if (!asMember.ok) return asMember;
  if (!message) return noMessage;
  if (message.authorId === actorId || moderates(room, membership, serverRole)) return ALLOW;
  return refuse("forbidden", "you can only delete your own messages");
}

/** Whether a server role is an administrator's (owners are admins too). */
export function isAdmin(serverRole: ServerRole | undefined): boolean {
  return serverRole === "owner" || serverRole === "admin";
}

/** Whether the actor moderates this room: an admin anywhere, a moderator in their room (never a DM). */
function moderates(
  room: RoomFacts | undefined,
  membership: Membership,
  serverRole: ServerRole | undefined,
): boolean {
  if (!room || room.kind === "dm") return false;
  return isAdmin(serverRole) || (membership.member && membership.role === "moderator");
}

/**
 * Removing a message's link preview: its author only, as editing (the
 * preview is part of what they posted), on a message still there.
 */
export function mayRemovePreview(
  room: RoomFacts | undefined,
  membership: Membership,
  message: MessageFacts | undefined,
  actorId: string,
): Decision {
  const asMember = mayTouchMessages(room, membership);
  if (!asMember.ok) return asMember;
  if (!message) return noMessage;
  if (message.authorId !== actorId) {
    return refuse("forbidden", "only its author can remove a message's link preview");
  }
  return ALLOW;
}

/** Reacting to (or taking back a reaction on) a message: any member, on any message. */
export function mayReact(
  room: RoomFacts | undefined,
  membership: Membership,
  message: MessageFacts | undefined,
): Decision {
  const asMember = mayTouchMessages(room, membership);
  if (!asMember.ok) return asMember;
  return message ? ALLOW : noMessage;
}

/**
 * Pinning (or unpinning) a message: any member, on any message still
 * there. Pins are room state everyone sees; "moderators only" would be one
 * line here, since the role is in Membership.
 */
export function mayPin(
  room: RoomFacts | undefined,
  membership: Membership,
  message: MessageFacts | undefined,
): Decision {
  const asMember = mayTouchMessages(room, membership);
  if (!asMember.ok) return asMember;
  return message ? ALLOW : noMessage;
}

/**
 * Saving a message for oneself (or unsaving it): whoever can see it, that
 * is a member of its room. Saved messages are private, so nothing else
 * is asked.
 */
export function maySave(room: RoomFacts | undefined, membership: Membership): Decision {
  return mayView(room, membership);
}

/**
 * Inviting into a room: a member of a room that is not a DM (a DM stays
 * between its two people). Who is invited is decided by mayInvitePerson.
 */
export function mayInvite(room: RoomFacts | undefined, membership: Membership): Decision {
  const asMember = memberOnly(room, membership);
  if (!asMember.ok) return asMember;
  if (room?.kind === "dm") return refuse("forbidden", "direct messages stay between two people");
  return ALLOW;
}

/** Inviting one person: refused when they blocked the inviter, or are banned from the room. */
export function mayInvitePerson(invitee: {
  name: string;
  blocksActor: boolean;
  banned?: boolean;
}): Decision {
  if (invitee.blocksActor) {
    return refuse("forbidden", `${invitee.name} does not accept invites from you`);
  }
  if (invitee.banned) return refuse("forbidden", `${invitee.name} is banned from this room`);
  return ALLOW;
}

/** Leaving a room: a member, of any room but the default one (everyone stays there). */
export function mayLeave(room: RoomFacts | undefined, membership: Membership): Decision {
  const asMember = memberOnly(room, membership);
  if (!asMember.ok) return asMember;
  if (room?.isDefault) return refuse("forbidden", `everyone stays in ${room.name}`);
  return ALLOW;
}

/**
 * Joining a room by oneself (opening its page, the "Join room" button):
 * any public room; a private room or DM only for its members (who are in
 * already). A room one may not join is refused as `not_found`, so its
 * existence is never confirmed.
 */
export function mayJoin(
  room: RoomFacts | undefined,
  membership: Membership,
  serverRole?: ServerRole,
): Decision {
  if (room && membership.member) return ALLOW;
  // A ban holds even for a public room (and reads as not found elsewhere).
  const banned = !membership.member && membership.banned === true;
  // Guests see only the rooms they were invited to; an archived room takes no one new.
  if (room?.kind === "public" && !banned && serverRole !== "guest" && !room.archived) {
    return ALLOW;
  }
  return refuse("not_found", "no such room");
}

/**
 * Opening (or reopening) a direct message with another person: not with
 * oneself, not with nobody, and not across a block either way. The
 * messages are sentences: only the DM form shows them.
 */
export function mayOpenDm(facts: {
  actorId: string;
  otherId: string;
  other: { id: string; name: string } | undefined;
  otherBlocksActor: boolean;
  actorBlocksOther: boolean;
  /** The actor's server role: a guest messages only people they share a room with. */
  actorRole?: ServerRole;
  /** The two share a room (asked only of guests). */
  sharesRoom?: boolean;
}): Decision {
  const { other } = facts;
  if (facts.otherId === facts.actorId) return notYou;
  if (!other) return noPerson;
  if (facts.actorRole === "guest" && !facts.sharesRoom) {
    return refuse("forbidden", "Guests can only message people who share a room with them.");
  }
  if (facts.otherBlocksActor) {
    return refuse("forbidden", `${other.name} does not accept direct messages from you.`);
  }
  if (facts.actorBlocksOther) {
    return refuse("forbidden", `You blocked ${other.name}: unblock them first.`);
  }
  return ALLOW;
}

/** Blocking (or unblocking) a person: anyone but oneself, who exists (unblocking needs no look-up). */
export function mayBlock(facts: {
  actorId: string;
  otherId: string;
  other?: { id: string; name: string } | undefined;
  checkExists: boolean;
}): Decision {
  if (facts.otherId === facts.actorId) return notYou;
  if (facts.checkExists && !facts.other) return noPerson;
  return ALLOW;
}

/**
 * Creating a room: any signed-in user may create a public or a private
 * room (the name rules are core/rooms checkRoomName, the hourly limit is
 * the server's). DMs are never created by name: they are opened
 * (mayOpenDm).
 */
export function mayCreateRoom(kind: RoomKind, serverRole?: ServerRole): Decision {
  if (kind === "dm")
    return refuse("bad_frame", "direct messages are opened with a person, not created");
  if (serverRole === "guest") return refuse("forbidden", "Guests cannot create rooms.");
  return ALLOW;
}

/**
 * The facts of a thread's root policy decides on: undefined when there is
 * no such message in the room.
 */
export type RootFacts = { authorId: string; deleted: boolean; isReply: boolean };

/**
 * Replying in a thread: a member (as posting), to a message of this room
 * that is not deleted and is not itself a reply (threads are one level
 * deep, as in Slack).
 */
export function mayReplyInThread(
  room: RoomFacts | undefined,
  membership: Membership,
  root: RootFacts | undefined,
  moderates = false,
): Decision {
  // A reply is a post: archived, announcement-only and muted gate it as mayPost.
  const asPoster = mayPost(room, membership, moderates);
  if (!asPoster.ok) return asPoster;
  if (!root) return refuse("not_found", "no such message to reply to");
  if (root.deleted) return refuse("not_found", "that message was deleted: it takes no replies");
  if (root.isReply) return refuse("bad_frame", "a reply cannot start a thread of its own");
  return ALLOW;
}

/** Reading a thread (its replies, its read marker): whoever may view the room. */
export function mayViewThread(room: RoomFacts | undefined, membership: Membership): Decision {
  return memberOnly(room, membership);
}

/** Following or unfollowing a thread: a member, of a message that is a thread root. */
export function mayFollow(
  room: RoomFacts | undefined,
  membership: Membership,
  root: RootFacts | undefined,
): Decision {
  const asMember = memberOnly(room, membership);
  if (!asMember.ok) return asMember;
  if (!root) return refuse("not_found", "no such thread");
  if (root.isReply) return refuse("bad_frame", "a reply is not a thread: follow its root");
  return ALLOW;
}

/**
 * The facts of an uploaded file a message would attach: who uploaded it,
 * whether another message already holds it, and what it is for ("attachment"
 * for an upload, "preview" for a link preview's image, which only the
 * server attaches). Undefined where asked: no such file (never uploaded, or
 * swept as an unclaimed upload).
 */
export type FileFacts = { uploaderId: string; attached: boolean; purpose: string };

/**
 * Attaching a file to a message (a send, a reply or an edit): only its
 * uploader, only an upload (not a preview image), and only while no other
 * message holds it, so a file belongs to one message, of its uploader's.
 * The claim's SQL gate (server/storage/file-claims.server.ts) implements
 * exactly this rule inside the message's transaction; this words why a
 * claim failed, and the contract suite shows the two agree.
 */
export function mayAttach(file: FileFacts | undefined, actorId: string): Decision {
  if (!file) {
    return refuse(
      "not_found",
      "a file of this message was not found (its upload may have expired)",
    );
  }
  if (file.uploaderId !== actorId || file.purpose !== "attachment" || file.attached) {
    return refuse(
      "forbidden",
      "a file of this message is not yours to attach or is already attached",
    );
  }
  return ALLOW;
}

/** A message's file list: each file once (the frame caps how many). */
export function mayAttachList(fileIds: readonly string[]): Decision {
  return new Set(fileIds).size === fileIds.length
    ? ALLOW
    : refuse("bad_frame", "a file is attached to this message twice");
}

/** What a moderator does to a member (the `moderate` frame's actions). */
export type ModerationAction =
  | "remove"
  | "ban"
  | "unban"
  | "mute"
  | "unmute"
  | "make_moderator"
  | "make_member";

/**
 * The facts a moderation decision needs: the actor (their server role,
 * read fresh from the database, and their standing in the room) and the
 * target (undefined when there is no such person).
 */
export type ModerationFacts = {
  actorId: string;
  actorRole: ServerRole;
  actor: Membership;
  targetId: string;
  target: { name: string; serverRole: ServerRole; standing: Membership } | undefined;
};

/**
 * Moderating a member: an admin in any room, a room's moderator in their
 * room; never in a DM (it has no moderators), never on oneself; a
 * moderator cannot act on an admin or the owner, and only the owner acts
 * on the owner. Removing, muting and room roles need the target to be a
 * member; a ban or unban may name anyone (a ban keeps them out). In the
 * default room nobody is removed or banned (everyone belongs there), but a
 * member may be muted.
 */
export function mayModerate(
  room: RoomFacts | undefined,
  action: ModerationAction,
  facts: ModerationFacts,
): Decision {
  if (!room) return refuse("not_found", "no such room");
  if (room.kind === "dm") return refuse("forbidden", "direct messages have no moderators");
  const admin = isAdmin(facts.actorRole);
  if (!admin) {
    const asMember = memberOnly(room, facts.actor);
    if (!asMember.ok) return asMember;
    if (!moderates(room, facts.actor, facts.actorRole)) {
      return refuse("forbidden", "only the room's moderators can do that");
    }
  }
  if (facts.targetId === facts.actorId) return notYou;
  const { target } = facts;
  if (!target) return noPerson;
  if (target.serverRole === "owner" && facts.actorRole !== "owner") {
    return refuse("forbidden", `${target.name} owns this server`);
  }
  if (isAdmin(target.serverRole) && !admin) {
    return refuse("forbidden", `${target.name} is an admin: a moderator cannot act on them`);
  }
  if ((action === "remove" || action === "ban") && room.isDefault) {
    return refuse("forbidden", `everyone stays in ${room.name}: mute instead`);
  }
  if (action === "ban" || action === "unban") return ALLOW;
  if (!target.standing.member) {
    return refuse("not_found", `${target.name} is not a member of this room`);
  }
  return ALLOW;
}

// ---------------------------------------------------------------------------
// Room administration and guests (issue 14)

/** Reads a stored role; anything unknown counts as the least trusted role a user has (guest). */
export function serverRoleOf(value: unknown): ServerRole {
  return value === "owner" || value === "admin" || value === "member" ? value : "guest";
}

/**
 * The actor's standing for administering a room, read fresh from the
 * database on every decision: their server role and their role in the
 * room (null when not a member).
 */
export type RoomStanding = { serverRole: ServerRole; roomRole: "moderator" | "member" | null };

/** Moderates the room: a server admin anywhere, or the room's moderator. */
export function moderatesRoom(standing: RoomStanding): boolean {
  return isAdmin(standing.serverRole) || standing.roomRole === "moderator";
}

const archivedRefusal = refuse("forbidden", "This room is archived: it is read-only.");
const announcementRefusal = refuse("forbidden", "Only moderators can post in this room.");

/** The room half of mayPost past membership: archived takes nothing, announcement-only moderators only. */
function roomTakesPosts(room: RoomFacts | undefined, moderates: boolean): Decision {
  if (room?.archived) return archivedRefusal;
  if (room?.announcementOnly && !moderates) return announcementRefusal;
  return ALLOW;
}

/**
 * Administering a room (the "Room settings" dialog, archive): admins and
 * the room's moderators, of a room that exists and is not a DM (a DM has
 * no settings). Someone who may not learns nothing new: a room they are
 * not in and do not moderate reads as `forbidden` (they know its id) or
 * `not_found`.
 */
function mayAdministerRoom(room: RoomFacts | undefined, standing: RoomStanding): Decision {
  if (!room) return refuse("not_found", "no such room");
  if (room.kind === "dm") return refuse("forbidden", "direct messages have no room settings");
  if (!moderatesRoom(standing)) {
    return refuse("forbidden", "Only the room's moderators and admins can change its settings.");
  }
  return ALLOW;
}

/**
 * Renaming a room, setting its topic, making it announcement-only: the
 * room's moderators and admins (not in a DM). An archived room is
 * read-only: unarchive it first.
 */
export function mayChangeRoomSettings(
  room: RoomFacts | undefined,
  standing: RoomStanding,
): Decision {
  const allowed = mayAdministerRoom(room, standing);
  if (!allowed.ok) return allowed;
  if (room?.archived) return refuse("forbidden", "This room is archived: unarchive it first.");
  return ALLOW;
}

/**
 * Archiving or unarchiving a room: the room's moderators and admins (not a
 * DM, not the default room everyone is in).
 */
export function mayArchive(room: RoomFacts | undefined, standing: RoomStanding): Decision {
  const allowed = mayAdministerRoom(room, standing);
  if (!allowed.ok) return allowed;
  if (room?.isDefault)
    return refuse("forbidden", `${room.name} is where everyone is: it cannot be archived.`);
  return ALLOW;
}

// ---------------------------------------------------------------------------
// Webhooks (issue 15)

/**
 * A room's outgoing webhooks (create, list, revoke, read its deliveries):
 * the room's moderators and admins, as its settings (not a DM: a DM's
 * messages leave the server only if both people say so).
 */
export function mayManageRoomWebhooks(
  room: RoomFacts | undefined,
  standing: RoomStanding,
): Decision {
  if (!room) return refuse("not_found", "no such room");
  if (room.kind === "dm") return refuse("forbidden", "direct messages have no webhooks");
  if (!moderatesRoom(standing)) {
    return refuse("forbidden", "Only the room's moderators and admins can manage its webhooks.");
  }
  return ALLOW;
}

/** Server-wide outgoing webhooks (every room's events) and the log of all deliveries: admins. */
export function mayManageServerWebhooks(serverRole: ServerRole | undefined): Decision {
  return isAdmin(serverRole)
    ? ALLOW
    : refuse("forbidden", "Only admins can manage server-wide webhooks.");
}

/**
 * A room's incoming webhooks: as its outgoing ones (listed, made and
 * revoked by the room's moderators and admins, not in a DM). An archived
 * room takes no posts, so no new webhook either; its webhooks can still be
 * listed and revoked.
 */
export function mayManageIncomingWebhooks(
  room: RoomFacts | undefined,
  standing: RoomStanding,
  action: "list" | "create" | "revoke",
): Decision {
  const allowed = mayManageRoomWebhooks(room, standing);
  if (!allowed.ok) return allowed;
  if (action === "create" && room?.archived) {
    return refuse("forbidden", "This room is archived: unarchive it first.");
  }
  return ALLOW;
}
