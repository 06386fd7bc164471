import type { PeopleQuery } from "./core/people-search";
import type {
  Decision,
  FileFacts,
  Membership,
  MessageFacts,
  ModerationAction,
  Refusal,
  Role,
  RoomStanding,
  RootFacts,
  ServerRole,
} from "./core/policy";
import type { ProfileStatus } from "./core/profile-details";
import type { CheckedRoomSettings } from "./core/room-settings";
import type { SearchQuery } from "./core/search-query";
import type {
  LinkPreview,
  NotifyLevel,
  NotifySettings,
  RoomKind,
  RoomNotify,
  RoomSummary,
  RoomUpdate,
  ThreadState,
  WireMember,
  WireMessage,
  WireRoom,
  WireUser,
} from "./protocol/frames";

/**
 * A room as stored: its wire fields, plus whether it is the default room
 * that everyone belongs to ("general"; core/policy decides on it).
 */
export type Room = WireRoom & {
  isDefault: boolean;
  /** Who created it (null for seeded rooms); its moderator until roles exist (core/policy). */
  createdBy?: string | null;
  /** Issue 14, each only when set: the topic, only moderators post, archived (read-only). */
  topic?: string;
  announcementOnly?: boolean;
  archived?: boolean;
};

/** A public room as the directory ("Browse rooms") lists it for one user. */
export type DirectoryRoom = WireRoom & {
  topic: string | null;
  memberCount: number;
  /** Whether the asking user belongs to it ("Open") or not ("Join"). */
  member: boolean;
};

/** Rooms, who belongs to them, and each member's read marker. */
export interface RoomStore {
  /**
   * Creates a room; throws RoomTakenError when its slug exists, and
   * RoomLookalikeError when a public room's name has the same skeleton
   * (core/rooms roomSkeleton: it looks the same). Only public rooms keep a
   * skeleton, so a private room's name is never compared, never confirmed.
   */
  createRoom(input: {
    name: string;
    slug: string;
    createdBy: string | null;
    kind?: Exclude<RoomKind, "dm">;
  }): Promise<Room>;
  /**
   * Creates the public room if no room has that slug (the default room when
   * `isDefault`); returns it either way, attribute as stored.
   */
  ensureRoom(input: { name: string; slug: string; isDefault?: boolean }): Promise<Room>;
  /** The direct-message room of two users, created (with both as members) on first use. */
  openDm(a: WireUser, b: WireUser): Promise<Room>;
  /** The direct-message room of two users if it exists (never creates one). */
  dmBetween(a: string, b: string): Promise<Room | undefined>;
  getRoomBySlug(slug: string): Promise<Room | undefined>;
  getRoom(id: string): Promise<Room | undefined>;
  /** Public rooms plus the private rooms and DMs the user belongs to. */
  listVisible(userId: string): Promise<Room[]>;
  /**
   * Public rooms whose name contains `query` (case-insensitive; all when
   * empty), by name, at most `limit`, each with its member count and
   * whether `userId` belongs. Never private rooms or DMs.
   */
  directory(userId: string, query: string, limit: number): Promise<DirectoryRoom[]>;
  /** Adds the user to the room; a no-op when already a member. */
  join(roomId: string, userId: string): Promise<void>;
  /** Removes the user from the room; false when they were not a member. */
  leave(roomId: string, userId: string): Promise<boolean>;
  isMember(roomId: string, userId: string): Promise<boolean>;
  members(roomId: string): Promise<WireUser[]>;
  /**
   * At most `limit` members by name (then id), after the member `afterId`
   * when given: the pages of a large room's member list (issue 16).
   */
  membersPage(
    roomId: string,
    page: { afterId?: string; limit: number },
  ): Promise<Omit<WireMember, "online">[]>;
  /** How many members the room has. */
  memberCount(roomId: string): Promise<number>;
  /** The user's rooms with unread state; DM names are the other person's name. */
  summariesOf(userId: string): Promise<RoomSummary[]>;
  summaryOf(roomId: string, userId: string): Promise<RoomSummary | undefined>;
  /** Moves the read marker forward (never back); returns the marker now stored. */
  markRead(roomId: string, userId: string, seq: number): Promise<number>;
}

/** Looks people up by name (invites, mentions), and who blocked whom. */
export interface UserDirectory {
  /**
   * Up to `limit` users whose name is `name`, case-insensitively, by id.
   * Names are not unique: a caller that needs one person refuses more than one.
   */
  findByName(name: string, limit: number): Promise<WireUser[]>;
  findById(id: string): Promise<WireUser | undefined>;
  /** The one user with this handle (stored form: lower case), if any. */
  findByHandle(handle: string): Promise<WireUser | undefined>;
  /**
   * The people picker's search (core/people-search personMatches): up to
   * `limit` users whose handle, name or (from EMAIL_PREFIX_MIN characters)
   * email starts with the prefix, case-insensitively; handles only when
   * `handleOnly`. An exact handle first, then by name and id. The answer
   * never carries the email.
   */
  searchPeople(query: PeopleQuery, limit: number): Promise<WireUser[]>;
  /** `blocker` blocks `blocked` (idempotent): no DMs or invites from them. */
  block(blocker: string, blocked: string): Promise<void>;
  /** Takes a block back; false when there was none. */
  unblock(blocker: string, blocked: string): Promise<boolean>;
  /** True when `blocker` has blocked `blocked`. */
  isBlocked(blocker: string, blocked: string): Promise<boolean>;
  /** The ids `blocker` has blocked, oldest first. */
  blockedBy(blocker: string): Promise<string[]>;
  /**
   * Sets the user's name and handle (checked, stored form) and rewrites
   * their old `@handle` in the messages that mention them, in one
   * transaction; a handle someone else holds (any case) is "taken".
   */
  changeProfile(userId: string, profile: { name: string; handle: string }): Promise<ProfileChange>;
}

/** What a profile change did: the user as now stored, or why nothing changed. */
export type ProfileChange =
  | { ok: true; user: WireUser; previous: WireUser; rewritten: number }
  | { ok: false; reason: "taken" | "missing" };

/**
 * Who is online now, on any instance (the presence leases as the edge sees
 * them); the send action asks it whom `@here` mentions.
 */
export interface OnlineMembers {
  onlineAmong(userIds: readonly string[]): Promise<Set<string>>;
}

/** Per-user action limits the core consults (invites); the server keeps the counters. */
export interface ActionLimits {
  /** Spends one of the user's tokens for `action`: 0 when allowed, else ms until one is free. */
  take(action: "invite", userId: string): number;
}

export type AppendInput = {
  roomId: string;
  author: WireUser;
  clientId: string;
  text: string;
  /** Ids of the members the text mentions. */
  mentions?: string[];
  /**
   * An incoming webhook's post (issue 15): its name and the sender's
   * overrides, stored in message.via.
   */
  via?: WireMessage["via"];
};

/** What appendIfMember answers: the stored (or earlier) message, or why it was refused. */
export type SendResult =
  | { ok: true; message: WireMessage; duplicate: boolean }
  /**
   * archived / announcement: the room takes no post from this author;
   * muted: a moderator muted them in the room (issue 14, mayPost words each).
   */
  | { ok: false; reason: "forbidden" | "not_found" | "archived" | "announcement" | "muted" };

/**
 * The policy question a claim asks of a file it could not claim
 * (core/policy mayAttach), on the file's facts (undefined: no such file).
 * The claim's own SQL gate decides; the check only words the refusal.
 */
export type AttachCheck = (file: FileFacts | undefined) => Decision;

/** Files a send, reply or edit attaches, in order, and the rule that words a failed claim. */
export type AttachInput = { fileIds: readonly string[]; check: AttachCheck };

/** What appendWithFiles answers: as appendIfMember, or the refusal of a file it could not claim. */
export type SendWithFilesResult = SendResult | { ok: false; reason: "refused"; refusal: Refusal };

/**
 * What a change to a message answers: the changed message, `not_found`
 * when it is gone (or never was in the room), or the policy's refusal.
 * `forgotten`: blob keys of files the change removed (rows deleted in its
 * transaction), for the caller to delete from the BlobStore after commit.
 */
export type ChangeResult =
  | { ok: true; message: WireMessage; forgotten?: string[] }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "refused"; refusal: Refusal };

/**
 * The policy question a change asks (core/policy mayEdit, mayDelete): the
 * store reads the message's facts inside the change's transaction, asks,
 * and applies only on allow. The store itself decides nothing.
 */
export type ChangeCheck = (facts: MessageFacts) => Decision;

/** A link preview's image as stored (a blob already put), for its `file` row of purpose "preview". */
export type PreviewImage = {
  id: string;
  /** The message's author (the file counts as theirs). */
  uploaderId: string;
  name: string;
  size: number;
  contentType: string;
  blobKey: string;
  width: number;
  height: number;
};

/** What removing a preview answers: the message, and the blobs to delete after commit. */
export type RemovePreviewResult =
  | { ok: true; message: WireMessage; blobKeys: string[] }
  | Exclude<ChangeResult, { ok: true }>;

/** The messages of every room, each with a gap-free per-room `seq`. */
export interface MessageStore {
  /**
   * Stores a member's message, assigning the room's next seq in the same
   * transaction, and moves the author's read marker to it. Resolves only
   * after commit. Membership is checked inside that transaction (nothing
   * cached), so whoever left, on any instance, is refused from then on:
   * `not_found` when there is no such room, `forbidden` when the author is
   * not a member. A clientId the author used before in the room returns the
   * original with `duplicate` (client ids are scoped to their author).
   */
  appendIfMember(input: AppendInput): Promise<SendResult>;
  /**
   * appendIfMember for a message that carries files, off the hot path: one
   * transaction gated the same way (member, unused client id; a duplicate
   * answers the original and claims nothing) that also claims each file in
   * order (the author's own unclaimed upload, purpose "attachment"). Any
   * file that does not claim rolls everything back: nothing is stored, the
   * seq does not move, and `files.check` words the refusal.
   */
  appendWithFiles(input: AppendInput, files: AttachInput): Promise<SendWithFilesResult>;
  /** Up to `limit` messages in ascending seq, the newest ones before `beforeSeq` (or overall). */
  history(roomId: string, options: { beforeSeq?: number; limit: number }): Promise<WireMessage[]>;
  /** Messages with afterSeq < seq (< beforeSeq) in ascending order, at most `limit`. */
  after(
    roomId: string,
    afterSeq: number,
    limit: number,
    beforeSeq?: number,
  ): Promise<WireMessage[]>;
  /** Messages changed (edited, deleted, reacted) at a room revision after `afterRev`. */
  changedSince(roomId: string, afterRev: number, limit: number): Promise<WireMessage[]>;
  /** The room's current last seq and last revision. */
  position(roomId: string): Promise<{ lastSeq: number; lastRev: number }>;
  /**
   * Replaces a message's text, when `check` allows it on the message's
   * facts. With `files`, the message's attachments become exactly that
   * list, in its order, in the same transaction: new ones are claimed as
   * appendWithFiles does (a failed claim refuses the whole edit), dropped
   * ones are deleted and their blob keys answered as `forgotten`.
   */
  edit(
    roomId: string,
    messageId: string,
    text: string,
    check: ChangeCheck,
    files?: AttachInput,
  ): Promise<ChangeResult>;
  /**
   * Deletes a message (its seq stays, its text goes), when `check` allows
   * it; its files (attachments and preview images) go with it, their blob
   * keys answered as `forgotten`.
   */
  remove(
    roomId: string,
    messageId: string,
    check: ChangeCheck,
    /**
     * Who deletes it: when not its author (a moderator or an admin), the
     * row keeps `deleted_by` and a "message.delete" audit row is written
     * in the same transaction.
     */
    actorId?: string,
  ): Promise<ChangeResult>;
  /**
   * Pins the message for its room (`pinned`), stamping when and by whom, or
   * unpins it; a change like an edit (it bumps the room revision), asked of
   * `check` (core/policy mayPin) inside its transaction.
   */
  pin(
    roomId: string,
    messageId: string,
    pinned: boolean,
    userId: string,
    check: ChangeCheck,
  ): Promise<ChangeResult>;
  /** The room's pinned messages that are not deleted, newest pin first, at most `limit`. */
  pinned(roomId: string, limit: number): Promise<WireMessage[]>;
  /** Adds the user's reaction, or takes it back when present. */
  toggleReaction(
    roomId: string,
    messageId: string,
    userId: string,
    emoji: string,
  ): Promise<ChangeResult>;
  /**
   * Attaches the server's link preview (and its image's file row) as a
   * change (a room revision), only while the message is not deleted and has
   * no preview yet (never over one its author removed); undefined otherwise,
   * when nothing was written.
   */
  attachPreview(
    roomId: string,
    messageId: string,
    preview: LinkPreview,
    image?: PreviewImage,
  ): Promise<WireMessage | undefined>;
  /**
   * Marks the message's preview removed (a change, asked of `check`), so none
   * is attached later either, and deletes its image's file row; the blobs
   * are the caller's to delete after commit.
   */
  removePreview(
    roomId: string,
    messageId: string,
    check: ChangeCheck,
  ): Promise<RemovePreviewResult>;
}

/** A reply to store: a send naming its thread's root. */
export type ReplyInput = AppendInput & {
  threadRootId: string;
  /** Also shown in the room's main log ("Also send to room"). */
  alsoInRoom: boolean;
  /** Files the reply carries, claimed in its transaction (as appendWithFiles). */
  files?: AttachInput;
};

/**
 * The policy question a reply asks (core/policy mayReplyInThread): the
 * store reads membership and the root inside the reply's transaction.
 */
export type ReplyCheck = (facts: {
  member: boolean;
  /** A moderator muted the author in the room. */
  modMuted?: boolean;
  root: RootFacts | undefined;
  /** The room half of the post gate (issue 14): archived, announcement-only, the author moderates. */
  post?: { archived: boolean; announcement: boolean; moderates: boolean };
}) => Decision;

/** What a reply answers: the reply and its root's new state, or why not. */
export type ReplyResult =
  | { ok: true; message: WireMessage; root: WireMessage; duplicate: boolean }
  | { ok: false; reason: "no_room" }
  | { ok: false; reason: "refused"; refusal: Refusal };

/** A page of one thread: its root, then replies in seq order. */
export type ThreadPage = { root: WireMessage; replies: WireMessage[]; more: boolean };

/** A thread a user follows, as the Threads page lists it. */
export type FollowedThread = { state: ThreadState; root: WireMessage; room: WireRoom };

/** Threads: replies (room messages naming a root), follows and thread read markers. */
export interface ThreadStore {
  /**
   * Stores a reply in one transaction: the room's next seq (members only,
   * asked of `check` with the root's facts), the root's summary (count,
   * last reply time, participants) and the root's rev; the replier follows
   * and has read up to it, the root's author and the mentioned start
   * following. A clientId used before answers the original as `duplicate`.
   */
  reply(input: ReplyInput, check: ReplyCheck): Promise<ReplyResult>;
  /** The root's facts, undefined when no such message is in the room. */
  rootFacts(roomId: string, rootId: string): Promise<RootFacts | undefined>;
  /** The root and up to `limit` replies after `afterSeq` (undefined: no such root). */
  page(
    roomId: string,
    rootId: string,
    afterSeq: number,
    limit: number,
  ): Promise<ThreadPage | undefined>;
  /** The user's state in a thread (not following, marker 0, when never followed). */
  state(roomId: string, rootId: string, userId: string): Promise<ThreadState>;
  /** Follows or unfollows by hand; returns the new state. */
  follow(roomId: string, rootId: string, userId: string, following: boolean): Promise<ThreadState>;
  /** Moves the thread read marker forward (never back), clamped to the newest reply. */
  markRead(roomId: string, rootId: string, userId: string, seq: number): Promise<ThreadState>;
  /** The states of the threads the user follows in rooms they are a member of, newest reply first. */
  followedStates(userId: string, limit: number): Promise<ThreadState[]>;
  /** The followed threads with their roots and rooms, newest reply first (the Threads page). */
  followed(userId: string, limit: number): Promise<FollowedThread[]>;
}

export type SearchHit = { message: WireMessage; room: WireRoom };

/** A saved message, its room, and when it was saved (ISO 8601). */
export type SavedHit = SearchHit & { savedAt: string };

/** Messages each user saved for later: private to the user. */
export interface SavedMessages {
  /**
   * Saves the room's message for the user (idempotent), or unsaves it;
   * saving answers `not_found` when the message is not in the room or is
   * deleted. The caller has checked the user may see the room.
   */
  save(
    userId: string,
    roomId: string,
    messageId: string,
    saved: boolean,
  ): Promise<"ok" | "not_found">;
  /**
   * The user's saved messages, newest saved first, at most `limit`, leaving
   * out deleted messages and rooms the user no longer belongs to.
   */
  list(userId: string, limit: number): Promise<SavedHit[]>;
  /** The ids of what `list` would show (newest saved first, at most `limit`). */
  ids(userId: string, limit: number): Promise<string[]>;
}

/**
 * Search over the rooms a user belongs to (core/search-query parses what
 * was typed): with words, best matches first; operators alone, newest first.
 * Filters only ever narrow; an empty query finds nothing.
 */
export interface SearchIndex {
  search(userId: string, query: SearchQuery, limit: number): Promise<SearchHit[]>;
}

/** Thrown by createRoom when another room already has the slug. */
export class RoomTakenError extends Error {
  override name = "RoomTakenError";
}

/** Thrown by createRoom when a public room's name looks the same (same skeleton). */
export class RoomLookalikeError extends Error {
  override name = "RoomLookalikeError";
  constructor(readonly existing: string) {
    super(`a room named "${existing}" looks the same`);
  }
}

/** True for a RoomLookalikeError from any copy of this module (see isRoomTaken). */
export function isRoomLookalike(error: unknown): error is RoomLookalikeError {
  return error instanceof Error && error.name === "RoomLookalikeError";
}

/**
 * True for a RoomTakenError from any copy of this module: Nitro bundles
 * server routes and server functions apart, so `instanceof` can miss.
 */
export function isRoomTaken(error: unknown): boolean {
  return error instanceof Error && error.name === "RoomTakenError";
}

/**
 * A member who may hear of a new message (issue 13), with what decides it:
 * the level that applies to them in that room (core/notify effectiveLevel
 * applied already), their mute, read marker and settings.
 */
export type NotifyAudienceMember = {
  userId: string;
  level: NotifyLevel;
  muted: boolean;
  lastReadSeq: number;
  /** Missed-message email on. */
  email: boolean;
  /** Notifications may show the message's text. */
  showText: boolean;
};

/**
 * Notification preferences (issue 13): per member per room (level, mute),
 * per user (settings), and whom a new message may concern.
 */
export interface NotifyStore {
  /** The user's settings; DEFAULT_NOTIFY_SETTINGS until they save some. */
  settings(userId: string): Promise<NotifySettings>;
  /** Replaces the user's settings (all three fields at once). */
  setSettings(userId: string, settings: NotifySettings): Promise<void>;
  /**
   * Sets a member's level (null follows their default) and mute for a room.
   * Undefined when they are not a member: no row is created.
   */
  setRoom(roomId: string, userId: string, prefs: RoomNotify): Promise<RoomNotify | undefined>;
  /**
   * The room's members, but the author, who may hear of a message in it:
   * those it mentions, every member of a DM, and those whose level in the
   * room is "all" (their own or their default). It may return members the
   * decision then drops (muted, "nothing"): the decision stays in one
   * place, core/notify decideNotify. By index, O(mentioned + level-"all"
   * members): a 10,000-member room where nobody chose "all" costs the
   * mentioned only.
   */
  audience(
    roomId: string,
    authorId: string,
    mentionIds: readonly string[],
  ): Promise<NotifyAudienceMember[]>;
}

/** The stores a server needs, plus a way to release them. */
/**
 * Room administration (issue 14): changes admins and a room's moderators
 * make to the room itself. Each writes its audit row (storage/audit.server.ts)
 * in the transaction that makes the change, so the two commit together or
 * not at all; the caller has asked the policy first and sends the events
 * after the promise resolves (after commit).
 */
export interface RoomAdminStore {
  /**
   * Archives the room (read-only, out of the room list, still searchable)
   * or brings it back. `changed` is false when it already was so (no audit
   * row then). DMs cannot be archived: `not_found` like a missing room.
   */
  setArchived(
    roomId: string,
    archived: boolean,
    actorId: string,
  ): Promise<{ ok: true; changed: boolean } | { ok: false; code: "not_found" }>;
  /**
   * Changes a room's settings (checked by core/room-settings): a rename
   * (the slug and look-alike skeleton follow as createRoom makes them; the
   * default room and private rooms keep their slug's shape), the topic
   * (null for none), announcement-only. One audit row per field that
   * changed (room.rename, room.topic, room.announcement), in the same
   * transaction; nothing changed writes none. A taken or look-alike name
   * is `taken` / `lookalike` and changes nothing.
   */
  setSettings(
    roomId: string,
    settings: CheckedRoomSettings,
    actorId: string,
  ): Promise<RoomSettingsResult>;
  /** The actor's standing for administering the room, read now (core/policy RoomStanding). */
  standing(roomId: string, userId: string): Promise<RoomStanding>;
  /** The user's server role, read now (a missing user or unknown role reads as guest). */
  serverRole(userId: string): Promise<ServerRole>;
  /** Whether two users are both members of some room that is not a DM (a guest's DM rule). */
  shareRoom(a: string, b: string): Promise<boolean>;
}

/** A profile as its card shows it (issue 14): the name, and what the person set beyond it. */
export type ProfileDetails = {
  id: string;
  name: string;
  handle: string | null;
  /** The server role: owner | admin | member | guest. */
  role: string;
  /** Only while it has not expired (read time decides). */
  status: ProfileStatus | null;
  timeZone: string | null;
  /** The avatar's version (part of its URL), null for initials. */
  avatar: string | null;
  /** A bot account (issue 15): its card shows the "bot" badge. */
  bot?: true;
};

/**
 * Status, time zone and avatar (issue 14, migration 0019): one row per
 * person who set any, read with the expiry applied so an expired status is
 * never handed out.
 */
export interface ProfileDetailsStore {
  /** The card of a user, undefined when there is none; `now` decides expiry. */
  details(userId: string, now: number): Promise<ProfileDetails | undefined>;
  /** Sets (or with null clears) the status and time zone together; false for no such user. */
  setDetails(
    userId: string,
    details: { status: ProfileStatus | null; timeZone: string | null },
  ): Promise<boolean>;
  /** Sets (or with null removes) the avatar's blob key; answers the key it replaced. */
  setAvatar(
    userId: string,
    key: string | null,
  ): Promise<{ ok: true; previous: string | null } | { ok: false }>;
  /** The avatar key of a user, null for none. */
  avatarKey(userId: string): Promise<string | null>;
  /** Avatar versions of those among `userIds` who have one. */
  avatarsOf(userIds: readonly string[]): Promise<Record<string, string>>;
}

/**
 * One person's standing in one room, with their server role, read fresh
 * from the database on every moderation decision (never a cached session).
 */
export type PersonStanding = { name: string; serverRole: ServerRole; membership: Membership };

/** What a moderation change did: `changed` is false when it was so already (no audit row then). */
export type ModerationOutcome = { changed: boolean; role: Role; modMuted: boolean };

/** Member moderation (issue 14): each change and its audit row in one transaction. */
export interface ModerationStore {
  /** The person's standing in the room (membership, room role, mute, ban); undefined: no such person. */
  standing(roomId: string, userId: string): Promise<PersonStanding | undefined>;
  /**
   * Applies a moderation action to `userId` in the room, with its audit row
   * (actor, action, target, room) in the same transaction. Remove and ban
   * delete the membership (a ban also records the ban, so the person cannot
   * rejoin); unban lifts it; mute and unmute set the moderator's mute; the
   * role changes set the room role. A failing audit insert rolls it all back.
   */
  apply(
    roomId: string,
    userId: string,
    action: ModerationAction,
    actorId: string,
  ): Promise<ModerationOutcome>;
}
/** What setSettings answers: the room as now stored, or why nothing changed. */
export type RoomSettingsResult =
  | { ok: true; room: RoomUpdate; changed: boolean }
  | { ok: false; code: "not_found" }
  | { ok: false; code: "taken" }
  | { ok: false; code: "lookalike"; existing: string };

export interface Storage {
  rooms: RoomStore;
  messages: MessageStore;
  users: UserDirectory;
  search: SearchIndex;
  threads: ThreadStore;
  saved: SavedMessages;
  /** Uploaded files' rows (their bytes are in the BlobStore). */
  files: FileStore;
  /** Notification preferences and audiences (issue 13). */
  notify: NotifyStore;
  /** Archive and other room administration (issue 14), audited in the change's transaction. */
  roomAdmin: RoomAdminStore;
  /** Status, time zone and avatar (issue 14). */
  profiles: ProfileDetailsStore;
  /** Member moderation (issue 14): remove, ban, mute, room roles. */
  moderation: ModerationStore;
  /**
   * Per-user action limits that frame handling consults (invites per hour);
   * set by the runtime, absent in tests that need none.
   */
  limits?: ActionLimits;
  /** Resolves when the database answers a trivial query (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Who is online across every instance. Each instance holds a lease per user
 * it has sockets for; leases lapse unless renewed, so the users of an
 * instance that died drop out by themselves, and a user held by two
 * instances counts once. Times are passed in (ms since the epoch) so that
 * every driver runs on the caller's clock.
 */
export interface PresenceLeases {
  /** This instance now has a socket of the user (idempotent); the lease runs until `expiresAt`. */
  hold(userId: string, expiresAt: number): Promise<void>;
  /** Extends this instance's leases of these users (the heartbeat). */
  renew(userIds: readonly string[], expiresAt: number): Promise<void>;
  /** This instance's last socket of the user closed; true when no live lease of the user is left. */
  release(userId: string, now: number): Promise<boolean>;
  /** The users among these with a live lease on some instance. */
  onlineAmong(userIds: readonly string[], now: number): Promise<Set<string>>;
  /**
   * Users whose last lease lapsed by `now` (their instance stopped renewing),
   * removed as it reports them: each such user is reported to one caller only.
   */
  sweep(now: number): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Fan-out between server instances: a frame published for a room reaches
 * every other instance's subscriber. Best effort and at most once (no
 * replay, no ordering across publishers): clients recover anything it drops
 * by seq from the database.
 */
export interface Relay {
  /** Sends to every other instance; rejects when the relay is closed or its transport is down. */
  publish(roomId: string, data: string): Promise<void>;
  /**
   * Calls `onMessage` for every frame another instance publishes (never for
   * this relay's own: those carry `origin === id` and are dropped). Resolves
   * once deliveries can arrive.
   */
  subscribe(onMessage: (roomId: string, data: string, origin: string) => void): Promise<void>;
  /** Stops delivery and releases connections. */
  close(): Promise<void>;
  /** This instance's origin id, stamped on everything it publishes. */
  readonly id: string;
  /** False while the transport is down or the relay is closed (readiness). */
  readonly connected: boolean;
  /**
   * Calls `listener` each time the transport comes back after an outage,
   * when anything published meanwhile may have been lost; returns its removal.
   * In-process relays never lose a frame and never call it.
   */
  onRecovered(listener: () => void): () => void;
}

/** An inclusive byte range of a blob (HTTP Range semantics: `end` is the last byte). */
export type ByteRange = { start: number; end: number };

/** A blob being read: its bytes (all, or the range asked) and the whole blob's size. */
export type BlobRead = { body: ReadableStream<Uint8Array>; size: number };

/**
 * Where file bytes live, keyed by opaque keys Parley makes (letters, digits,
 * `-`, `_` and `/`, never from a user). Two drivers: the filesystem (the
 * default, under PARLEY_DATA_DIR/files) and S3-compatible object storage
 * (PARLEY_FILES_URL=s3://bucket), for several instances. One contract suite
 * (test/contract/blob-store.contract.ts) runs against both.
 *
 * Bytes are streamed in and out: no driver holds a whole blob in memory, so
 * a 100 MB upload costs the server a few buffers, not 100 MB. A blob is
 * written once and never changed (a new version is a new key), which is
 * what lets files be served with a strong ETag and long caching.
 */
export interface BlobStore {
  /** Where it keeps blobs, for the startup log (no credentials). */
  readonly where: string;
  /**
   * Stores `body` under `key`, streaming. Resolves after the blob is stored
   * whole (a reader never sees part of it) with its size in bytes; if `body`
   * throws (the upload was cut), nothing is left under the key.
   */
  put(
    key: string,
    body: AsyncIterable<Uint8Array>,
    info: { contentType: string },
  ): Promise<{ size: number }>;
  /**
   * The blob's bytes, or only `range` (clamped to the blob; an empty or
   * inverted range is the caller's to refuse), and the whole size;
   * undefined when no blob has the key.
   */
  get(key: string, range?: ByteRange): Promise<BlobRead | undefined>;
  /** The blob's size, or undefined when no blob has the key. */
  stat(key: string): Promise<{ size: number } | undefined>;
  /** Removes the blob; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Throws an Error whose message says what is wrong (folder not writable,
   * bucket unreachable or missing, credentials refused), at startup.
   */
  check(): Promise<void>;
}

/** A file row as stored (migration 0010): an upload, unclaimed until a message claims it. */
export type StoredFile = {
  id: string;
  uploaderId: string;
  name: string;
  size: number;
  /** Sniffed from the bytes at upload. */
  contentType: string;
  blobKey: string;
  /** Decoded images only: the thumbnail's blob. */
  thumbKey: string | null;
  width: number | null;
  height: number | null;
  createdAt: number;
  purpose: "attachment" | "preview";
  /** Set, with messageId, once a message claimed it. */
  roomId: string | null;
  messageId: string | null;
};

/** A new upload's row: stored blobs, no message yet. */
export type NewFile = Omit<StoredFile, "createdAt" | "roomId" | "messageId" | "purpose"> & {
  purpose?: StoredFile["purpose"];
};

/**
 * File rows (src/server/storage/file-store.server.ts). Claiming files for a
 * message happens in the message's own transaction, elsewhere; this store
 * writes new uploads, answers who may see one, and sweeps uploads nobody
 * claimed.
 */
export interface FileStore {
  /** Records an upload whose blobs are stored (unclaimed, stamped now). */
  create(file: NewFile): Promise<StoredFile>;
  get(id: string): Promise<StoredFile | undefined>;
  /** Bytes of every file this user uploaded, claimed or not (the quota). */
  storedBytes(userId: string): Promise<number>;
  /**
   * The file when this user may fetch it: a member of the room of the
   * message that claimed it (the message not deleted), or its uploader
   * while it is unclaimed. undefined for everyone and everything else.
   */
  visibleTo(id: string, userId: string): Promise<StoredFile | undefined>;
  /**
   * Deletes the rows of unclaimed uploads made before `before` (at most
   * `limit`), and returns them so the caller removes their blobs. A claim
   * racing the sweep either claims first (the row stays) or finds no row.
   */
  sweepUnclaimed(before: number, limit: number): Promise<StoredFile[]>;
}
