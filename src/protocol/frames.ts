import { z } from "zod";
import { isReactionEmoji, MAX_REACTION_UNITS } from "./reaction-emoji";
import { graphemeLength } from "./text-length";

/**
 * Wire protocol version; `ready` announces it, client frames may state it.
 * 2: any client frame may carry a `ref`, answered by exactly one `ok`, `ack`
 * or `error` with that ref.
 */
export const PROTOCOL_VERSION = 2;

/** Limits shared by the client (to refuse early) and the server (to enforce). */
export const MAX_MESSAGE_CHARS = 4000;
export const MAX_FRAME_BYTES = 64 * 1024;
/** Messages per history/replay page. */
export const REPLAY_PAGE = 500;
/**
 * Messages one `fetch` returns at most (two pages); its last `history` frame
 * then says `more` and the client fetches again from where it ended.
 */
export const FETCH_LIMIT = 2 * REPLAY_PAGE;
/** Saved message ids a `ready` carries at most, and saved messages the Saved page lists. */
export const SAVED_IDS_LIMIT = 500;
/** The quick reactions, one click away; any other emoji comes from the picker (reaction-emoji.ts). */
export const REACTIONS = ["👍", "❤️", "😂", "🎉", "😮", "😢"] as const;

const id = z.string().min(1).max(64);

/** What the `moderate` frame does to a member (core/policy mayModerate). */
export const moderationActions = [
  "remove",
  "ban",
  "unban",
  "mute",
  "unmute",
  "make_moderator",
  "make_member",
] as const;
const seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/**
 * A code-unit backstop behind MAX_MESSAGE_CHARS (one grapheme can hold any
 * number of code units); the 64 KiB frame cap stays the outer bound.
 */
export const MAX_MESSAGE_UNITS = 4 * MAX_MESSAGE_CHARS;

// Cc (C0, DEL, C1) except tab and newline; CR and CRLF become newlines first.
const CONTROL = /[^\P{Cc}\t\n]/u;

/**
 * The form message text is relayed and stored in: lone surrogates replaced
 * by U+FFFD (as storage would do), CRLF and CR as LF, trimmed. Applied
 * before relaying, so what members see live equals what history returns.
 */
export function normalizeMessageText(text: string): string {
  return text.toWellFormed().replace(/\r\n?/g, "\n").trim();
}

/**
 * Why normalised message text is refused, or null: empty, a control
 * character (NUL and friends; tab and newline are fine), or over
 * MAX_MESSAGE_CHARS graphemes (what people see as characters) or
 * MAX_MESSAGE_UNITS code units. The composer asks the same question.
 */
export function messageTextIssue(text: string): "empty" | "control" | "too_large" | null {
  if (text.length === 0) return "empty";
  if (CONTROL.test(text)) return "control";
  if (text.length > MAX_MESSAGE_UNITS || graphemeLength(text) > MAX_MESSAGE_CHARS)
    return "too_large";
  return null;
}

/** Message text: normalised (see normalizeMessageText), then checked (messageTextIssue). */
export const messageText = z
  .string()
  .transform(normalizeMessageText)
  .superRefine((text, ctx) => {
    const issue = messageTextIssue(text);
    if (!issue) return;
    const message =
      issue === "control"
        ? "message text contains a control character (only tab and newline are allowed)"
        : issue;
    ctx.addIssue({ code: "custom", message });
  });

/**
 * Message text that may be empty: a message of files alone (the frame's
 * own check refuses empty text without files). Same normalising and limits.
 */
export const messageTextOrEmpty = z
  .string()
  .transform(normalizeMessageText)
  .superRefine((text, ctx) => {
    const issue = messageTextIssue(text);
    if (!issue || issue === "empty") return;
    const message =
      issue === "control"
        ? "message text contains a control character (only tab and newline are allowed)"
        : issue;
    ctx.addIssue({ code: "custom", message });
  });

/** Files one message may carry at most. */
export const MAX_FILES_PER_MESSAGE = 10;

/**
 * Uploaded files a send or an edit attaches (ids from POST /api/files), in
 * the order they show. The store claims them in the message's transaction.
 */
export const fileIds = z.array(id).min(1).max(MAX_FILES_PER_MESSAGE);

/** A reaction: exactly one emoji the picker offers (see protocol/reaction-emoji.ts). */
export const reactionEmoji = z
  .string()
  .max(MAX_REACTION_UNITS, "not one emoji")
  .refine(
    isReactionEmoji,
    "not one emoji (one emoji from the picker; text, two emoji and unknown ones are refused)",
  );

const version = z.literal(PROTOCOL_VERSION).optional();
/**
 * A client's name for one frame: the server answers a frame that carries
 * one with exactly one `ok`, `ack` (a send) or `error` carrying it back.
 */
export const frameRef = z.string().min(1).max(64);
const frame = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), v: version, ref: frameRef.optional(), ...shape });

export const sendFrame = frame("send", {
  roomId: id,
  /** Client-generated id: a retried send is recognised and acked once. */
  clientId: id,
  /** May be empty only when the message carries files. */
  text: messageTextOrEmpty,
  /** Uploaded files this message carries (claimed in its transaction). */
  fileIds: fileIds.optional(),
  /**
   * The clientId of this author's send before it in the room, while the
   * client has not seen that one acked: the server refuses this send
   * (out_of_order) unless that one is the last it stored from this socket,
   * so one author's messages are stored in the order they were sent.
   */
  after: id.optional(),
  /** A reply in the thread of this message (a root: never itself a reply). */
  threadRootId: id.optional(),
  /** With threadRootId: the reply also shows in the room's main log ("Also send to room"). */
  alsoToRoom: z.boolean().optional(),
}).superRefine(refuseEmptyWithoutFiles);

/** Text may be empty only on a message that carries files. */
function refuseEmptyWithoutFiles(
  value: { text: string; fileIds?: readonly string[] | undefined },
  ctx: z.RefinementCtx,
) {
  if (value.text.length === 0 && !value.fileIds?.length)
    ctx.addIssue({ code: "custom", message: "empty", path: ["text"] });
}

/**
 * Rooms with at most this many members send their whole member list in
 * `subscribed` and `members`; larger ones send the first MEMBERS_PAGE and a
 * count, and the client asks for more (`members`) as the panel needs them,
 * so a join costs each member O(1), not O(N) (issue 16).
 */
export const MEMBERS_INLINE_MAX = 1000;
/** Members per page of a large room's list. */
export const MEMBERS_PAGE = 100;

/** Followed threads a `ready` lists at most (newest reply first). */
export const FOLLOWED_IN_READY = 200;
/** Replies per `thread_history` frame at most; the client asks again after the last. */
export const THREAD_PAGE = 100;

/**
 * How much of a room a member is notified about (issue 13): every message,
 * only messages that mention them (and every message of a DM), or none.
 */
export const notifyLevels = ["all", "mentions", "nothing"] as const;
export type NotifyLevel = (typeof notifyLevels)[number];
export const notifyLevel = z.enum(notifyLevels);

/** One member's notification preferences for one room; `level` null follows their default. */
export const roomNotifySchema = z.object({ level: notifyLevel.nullable(), muted: z.boolean() });
export type RoomNotify = z.infer<typeof roomNotifySchema>;

/** A user's notification settings, the same on every device. */
export const notifySettingsSchema = z.object({
  /** The level of rooms whose own level is unset (DMs are "all" unless set). */
  defaultLevel: notifyLevel,
  /** Missed-message email for unread mentions and DMs. */
  email: z.boolean(),
  /** Notifications show the message's text (else only room and author). */
  showText: z.boolean(),
});
export type NotifySettings = z.infer<typeof notifySettingsSchema>;
export const DEFAULT_NOTIFY_SETTINGS: NotifySettings = {
  defaultLevel: "mentions",
  email: true,
  showText: true,
};

/** Every frame a client may send, keyed by `type`. */
export const clientFrame = z.discriminatedUnion("type", [
  sendFrame,
  /**
   * Subscribe to a room's live events. With `afterSeq` the server first
   * replays every message after it (paged `history` frames), and with
   * `afterRev` every message edited, deleted or reacted to since then.
   */
  frame("subscribe", { roomId: id, afterSeq: seq.optional(), afterRev: seq.optional() }),
  /** Fetch a range of messages (gap filling): afterSeq < seq < beforeSeq. */
  frame("fetch", { roomId: id, afterSeq: seq, beforeSeq: seq.optional() }),
  frame("typing", { roomId: id }),
  frame("read", { roomId: id, seq }),
  /**
   * With `fileIds`, the message's files become exactly that list: files it
   * had and the list drops are deleted, new ones (the author's unclaimed
   * uploads) are claimed. Text may then be empty.
   */
  frame("edit", {
    roomId: id,
    messageId: id,
    text: messageTextOrEmpty,
    fileIds: z.array(id).max(MAX_FILES_PER_MESSAGE).optional(),
  }).superRefine((value, ctx) => {
    if (value.text.length === 0 && !value.fileIds?.length)
      ctx.addIssue({ code: "custom", message: "empty", path: ["text"] });
  }),
  frame("delete", { roomId: id, messageId: id }),
  frame("react", { roomId: id, messageId: id, emoji: reactionEmoji }),
  /**
   * Add a person to a private room: `userId` names them (from the picker).
   * `userName` is accepted only when exactly one person has that name;
   * when several do it is refused, never guessed. `userHandle` names one
   * person exactly (case-insensitive, a leading `@` allowed).
   */
  frame("invite", {
    roomId: id,
    userId: id.optional(),
    userHandle: z.string().trim().min(1).max(40).optional(),
    userName: z.string().trim().min(1).max(100).optional(),
  }),
  frame("leave", { roomId: id }),
  /**
   * Open a thread: answered by `thread_history` (the root, then up to
   * THREAD_PAGE replies after `afterSeq`, and this user's thread state).
   */
  frame("thread", { roomId: id, rootId: id, afterSeq: seq.optional() }),
  /** This user has read the thread up to `seq` (a reply's seq): every socket of theirs hears it. */
  frame("thread_read", { roomId: id, rootId: id, seq }),
  /** Follow ("Follow thread") or stop following a thread by hand. */
  frame("follow", { roomId: id, rootId: id, following: z.boolean() }),
  /**
   * Pin (`pinned: true`) or unpin a message of the room: room state, so the
   * change reaches every member as `updated` and replays by revision.
   */
  frame("pin", { roomId: id, messageId: id, pinned: z.boolean() }),
  /**
   * Save (`saved: true`) or unsave a message for oneself: private to the
   * user, told to all of their sockets as `saved`.
   */
  frame("save", { roomId: id, messageId: id, saved: z.boolean() }),
  /**
   * The author removes their message's link preview ("Remove preview"): the
   * room gets the message as `updated` without it, and none comes back.
   */
  frame("remove_preview", { roomId: id, messageId: id }),
  /**
   * Liveness check from the client (browsers cannot send ws pings); answered
   * by `pong`. It tells the client the server is there; it does not keep the
   * socket alive on the server, where only answers to ws pings count.
   */
  frame("ping", {}),
  /**
   * The next page of a large room's member list, after the member `afterId`
   * (the last one received): answered by `members` with `page`, then `ok`.
   */
  frame("members", { roomId: id, afterId: id }),
  /**
   * Set this user's notification level and mute for a room (issue 13):
   * stored per member, told to all of their sockets as `notify_prefs`.
   */
  frame("notify_prefs", { roomId: id, level: notifyLevel.nullable(), muted: z.boolean() }),
  /** Set this user's notification settings: told to all of their sockets as `notify_settings`. */
  frame("notify_settings", { settings: notifySettingsSchema }),
  /**
   * Change a room's settings (issue 14; its moderators and admins): a new
   * name (the room-name rules, core/rooms checkRoomName), a topic (empty
   * for none) or announcement-only, at least one of them. Every member on
   * every instance hears `room_updated`.
   */
  frame("room_settings", {
    roomId: id,
    name: z.string().max(500).optional(),
    topic: z.string().max(2000).optional(),
    announcementOnly: z.boolean().optional(),
  }).refine(
    (value) =>
      value.name !== undefined || value.topic !== undefined || value.announcementOnly !== undefined,
    { message: "room_settings changes nothing: name, topic or announcementOnly" },
  ),
  /**
   * This tab became visible or hidden (document.visibilityState). A user
   * with a visible tab on any instance gets no desktop or push notification.
   */
  frame("visibility", { visible: z.boolean() }),
  /**
   * A moderator (or an admin) acts on a member of the room: remove, ban or
   * unban, mute or unmute, or change their room role. Answered `ok` (with
   * a ref) or `error`; the room hears `member_updated` or `members`.
   */
  frame("moderate", { roomId: id, userId: id, action: z.enum(moderationActions) }),
]);
export type ClientFrame = z.infer<typeof clientFrame>;
export type SendFrame = z.infer<typeof sendFrame>;
/** Client frames that concern a room (all but ping and the user-wide ones below). */
export type RoomFrame = Exclude<ClientFrame, { type: "ping" | "visibility" | "notify_settings" }>;
/** Client frames about the user, not a room: actions the core handles too. */
export type UserFrame = Extract<ClientFrame, { type: "notify_settings" }>;
/** What handleFrame takes: every frame but the edge's own (ping, visibility). */
export type ActionFrame = RoomFrame | UserFrame;

/**
 * A person as frames carry them. `handle` (issue 17) is their unique
 * `@handle`: member lists and the session always carry it; a message's
 * author may come without it.
 */
export const userSchema = z.object({
  id: z.string(),
  name: z.string(),
  handle: z.string().optional(),
  /** A bot account (issue 15): shown with a "bot" badge. */
  bot: z.literal(true).optional(),
});
export type WireUser = z.infer<typeof userSchema>;

export const roomKinds = ["public", "private", "dm"] as const;
export type RoomKind = (typeof roomKinds)[number];

export const roomSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  kind: z.enum(roomKinds),
});
export type WireRoom = z.infer<typeof roomSchema>;

/** A room as one member sees it in the room list. */
export const roomSummarySchema = roomSchema.extend({
  lastSeq: z.number().int(),
  lastReadSeq: z.number().int(),
  /** An unread message mentions this user. */
  mentioned: z.boolean(),
  /** The default room (general): everyone is in it and nobody may leave it. */
  isDefault: z.boolean(),
  /**
   * Seqs after the read marker that are thread replies kept out of the main
   * log: they take a seq but are not unread in the room (client/unread.ts).
   */
  threadOnlySeqs: z.array(z.number().int()).optional(),
  /** This member's notification preferences for the room; absent means the defaults. */
  notify: roomNotifySchema.optional(),
  /** The reader moderates this room (absent: an ordinary member). */
  role: z.literal("moderator").optional(),
  /** A moderator muted the reader here: they cannot post. */
  modMuted: z.literal(true).optional(),
  /** Issue 14, each absent when unset: the topic, only moderators post, archived (read-only). */
  topic: z.string().optional(),
  announcementOnly: z.boolean().optional(),
  archived: z.boolean().optional(),
});
export type RoomSummary = z.infer<typeof roomSummarySchema>;

/** A room's settings as `room_updated` carries them (issue 14). */
export const roomUpdateSchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  topic: z.string().nullable(),
  announcementOnly: z.boolean(),
  archived: z.boolean(),
});
export type RoomUpdate = z.infer<typeof roomUpdateSchema>;

export const reactionSchema = z.object({ emoji: z.string(), userIds: z.array(z.string()) });

/**
 * A file a message carries, as the server stored it. `type` is sniffed from
 * the bytes, never the uploader's word. Served at fileUrl(file) to members of
 * the file's room only; images (`image`) have a thumbnail at thumbUrl(file).
 */
export const fileSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Bytes. */
  size: z.number().int().nonnegative(),
  /** The sniffed media type (application/octet-stream when unknown). */
  type: z.string(),
  /** PNG, JPEG, GIF or WebP: shown inline, with a thumbnail. */
  image: z.boolean(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
});
export type WireFile = z.infer<typeof fileSchema>;

/** Where a file is served (GET /files/<id>/<name>). */
export function fileUrl(file: Pick<WireFile, "id" | "name">): string {
  return `/files/${encodeURIComponent(file.id)}/${encodeURIComponent(file.name)}`;
}

/** An image's thumbnail (at most 400 px): the file's URL with `?thumb=1`. */
export function thumbUrl(file: Pick<WireFile, "id" | "name">): string {
  return `${fileUrl(file)}?thumb=1`;
}

/**
 * A link preview the server made for the first http(s) link of a message
 * (OpenGraph / Twitter card metadata). Its image, when any, was fetched and
 * stored by the server: a file of the message's room, served like any other.
 */
export const linkPreviewSchema = z.object({
  url: z.string(),
  title: z.string(),
  description: z.string().optional(),
  siteName: z.string().optional(),
  image: fileSchema.optional(),
});
export type LinkPreview = z.infer<typeof linkPreviewSchema>;

export const messageSchema = z.object({
  id: z.string(),
  roomId: z.string(),
  seq: z.number().int().positive(),
  author: userSchema,
  /** Empty once deleted. */
  text: z.string(),
  /** ISO 8601 time the server stored it. */
  createdAt: z.string(),
  editedAt: z.string().nullable(),
  deleted: z.boolean(),
  /** The room revision of its last edit, deletion or reaction (0 if none). */
  rev: z.number().int(),
  reactions: z.array(reactionSchema),
  /** On a reply: its thread's root message id. */
  threadRootId: z.string().optional(),
  /** On a reply: it also shows in the room's main log. */
  alsoInRoom: z.boolean().optional(),
  /** On a root with replies: the thread's summary (it changes the root's rev). */
  thread: z
    .object({
      replyCount: z.number().int(),
      /** ISO 8601 time of the newest reply. */
      lastReplyAt: z.string().nullable(),
      /** Up to 3 repliers' user ids, newest first. */
      participants: z.array(z.string()),
    })
    .optional(),
  /** ISO 8601 time it was pinned in its room, null when not pinned (or deleted). */
  pinnedAt: z.string().nullable(),
  /** The id of who pinned it, null when not pinned. */
  pinnedBy: z.string().nullable(),
  /** Files it carries, in order (absent when none; dropped once deleted). */
  files: z.array(fileSchema).optional(),
  /** The link preview, once the server made one (absent when none or removed). */
  preview: linkPreviewSchema.optional(),
  /** On a deleted message: a moderator (not its author) deleted it. */
  deletedBy: z.literal("moderator").optional(),
  /**
   * Posted by an incoming webhook (issue 15): its name, and the sender's
   * overrides (Slack's `username`, `icon_url`), shown as "<username> via
   * <webhook>". A custom slash command's room answer carries "/<name>" as
   * `webhook`, shown as "<author> via /<name>".
   */
  via: z
    .object({
      webhook: z.string(),
      username: z.string().optional(),
      iconUrl: z.string().optional(),
    })
    .optional(),
});
export type WireMessage = z.infer<typeof messageSchema>;

/**
 * One user's standing in one thread: whether they follow it, their thread
 * read marker, and the unread replies as of `latestSeq` (the thread's newest
 * reply when counted); later replies are counted by the client as they come.
 */
export const threadStateSchema = z.object({
  roomId: z.string(),
  rootId: z.string(),
  following: z.boolean(),
  lastReadSeq: z.number().int(),
  unread: z.number().int(),
  latestSeq: z.number().int(),
});
export type ThreadState = z.infer<typeof threadStateSchema>;

export const memberSchema = userSchema.extend({
  online: z.boolean(),
  /** A moderator of the room (absent: an ordinary member). */
  role: z.literal("moderator").optional(),
  /** A moderator muted them in the room. */
  modMuted: z.literal(true).optional(),
});
export type WireMember = z.infer<typeof memberSchema>;

export const errorCodes = [
  "bad_frame",
  "forbidden",
  "not_found",
  "too_large",
  "rate_limited",
  "internal",
  /** A send came before the one it names in `after` was stored: send that one first. */
  "out_of_order",
] as const;
export type ErrorCode = (typeof errorCodes)[number];

const serverOnly = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), ...shape });

/** The server roles (issue 14, core/admin-policy.ts), as `ready` carries the user's. */
export const serverRoles = ["owner", "admin", "member", "guest"] as const;
export type ServerRole = (typeof serverRoles)[number];

/** Every frame the server sends, keyed by `type`. */
export const serverFrame = z.discriminatedUnion("type", [
  serverOnly("ready", {
    v: z.literal(PROTOCOL_VERSION),
    user: userSchema,
    rooms: z.array(roomSummarySchema),
    /** The threads this user follows (thread unread on every device). */
    threads: z.array(threadStateSchema).optional(),
    /**
     * Ids of the user's saved messages (the newest SAVED_IDS_LIMIT), so
     * every tab agrees after each connect; absent on a resync's `ready`.
     */
    saved: z.array(z.string()).optional(),
    /** The user's notification settings (absent from older servers: the defaults). */
    notifySettings: notifySettingsSchema.optional(),
    /** The user's server role, read fresh at connect (issue 14): the UI shows "Admin" by it. */
    serverRole: z.enum(serverRoles).optional(),
  }),
  /** A send was stored (or had been): the answer to a send, with its ref. */
  /**
   * `unresolved`: the `@handle`s in the text that name nobody in the room
   * (the author is offered to invite them); absent when there are none.
   */
  serverOnly("ack", {
    clientId: z.string(),
    message: messageSchema,
    ref: z.string().optional(),
    unresolved: z.array(z.string()).optional(),
  }),
  /** The frame with this ref was done (any frame but a send, whose answer is `ack`). */
  serverOnly("ok", { ref: z.string() }),
  serverOnly("message", { message: messageSchema }),
  /** A message changed (edit, delete, reaction): its whole new state. */
  serverOnly("updated", { message: messageSchema }),
  /** A page of replayed or fetched messages; `done` ends a replay. */
  serverOnly("history", {
    roomId: z.string(),
    messages: z.array(messageSchema),
    done: z.boolean(),
    /**
     * On the `done` frame of a `fetch` cut at FETCH_LIMIT: more of the range
     * remains; fetch again after the last seq received.
     */
    more: z.boolean().optional(),
  }),
  serverOnly("subscribed", {
    roomId: z.string(),
    lastSeq: z.number().int(),
    lastRev: z.number().int(),
    members: z.array(memberSchema),
    /**
     * In a room over MEMBERS_INLINE_MAX members: `members` is only the first
     * page (by name), `memberCount` how many there are; ask for the rest.
     */
    memberCount: z.number().int().optional(),
    membersMore: z.boolean().optional(),
  }),
  /**
   * A room's member list: the whole of it (after a join or leave), or in a
   * large room its first page with `memberCount` and `membersMore`; with
   * `page`, the answer to a `members` request: the page after the one asked
   * for, to be added to what the client has.
   */
  serverOnly("members", {
    roomId: z.string(),
    members: z.array(memberSchema),
    memberCount: z.number().int().optional(),
    membersMore: z.boolean().optional(),
    page: z.object({ more: z.boolean() }).optional(),
  }),
  /**
   * A user came online or went offline. Without `roomId` it is about the
   * user wherever they are a member (one frame per change, however many
   * rooms are shared); with one, they are present in that room (a subscribe).
   */
  serverOnly("presence", {
    roomId: z.string().optional(),
    user: userSchema,
    online: z.boolean(),
  }),
  /**
   * A presence tick (issue 16): every change since the last one about people
   * this socket shares a room with, at most one such frame per socket per
   * tick (PARLEY_PRESENCE_TICK_MS). Each change is the user's state at the
   * end of the tick and the rooms shared with them (a member list may gain
   * them when they are online). Replaces `presence`, which older servers send.
   */
  serverOnly("presence_batch", {
    changes: z.array(
      z.object({ user: userSchema, online: z.boolean(), rooms: z.array(z.string()) }),
    ),
  }),
  serverOnly("typing", { roomId: z.string(), user: userSchema }),
  /** This user's read marker moved (from any of their devices). */
  serverOnly("read", { roomId: z.string(), seq: z.number().int() }),
  /** The answer to `thread`: its root, a page of replies in seq order, and the user's state. */
  serverOnly("thread_history", {
    roomId: z.string(),
    root: messageSchema,
    replies: z.array(messageSchema),
    /** More replies follow the last one: ask again after its seq. */
    more: z.boolean(),
    state: threadStateSchema,
  }),
  /** This user's state in a thread changed (read marker, follow), from any of their devices. */
  serverOnly("thread_state", { state: threadStateSchema }),
  /** This user saved or unsaved a message (from any of their devices). */
  serverOnly("saved", { roomId: z.string(), messageId: z.string(), saved: z.boolean() }),
  serverOnly("room_added", { room: roomSummarySchema }),
  /** The room left this user's list: they left, or a moderator removed or banned them (`reason`). */
  serverOnly("room_removed", {
    roomId: z.string(),
    reason: z.enum(["removed", "banned"]).optional(),
  }),
  /** A member's standing in the room changed (room role, moderator's mute): told to the room. */
  serverOnly("member_updated", {
    roomId: z.string(),
    userId: z.string(),
    role: z.enum(["moderator", "member"]),
    modMuted: z.boolean(),
  }),
  /**
   * A room's settings changed (issue 14): renamed (a new slug too), a topic,
   * announcement-only, archived or back. Sent to every member; the client
   * lays it over its summary of the room.
   */
  serverOnly("room_updated", { room: roomUpdateSchema }),
  serverOnly("pong", {}),
  /** This user's preferences for a room changed (from any of their devices). */
  serverOnly("notify_prefs", { roomId: z.string(), notify: roomNotifySchema }),
  /** This user's notification settings changed (from any of their devices). */
  serverOnly("notify_settings", { settings: notifySettingsSchema }),
  /**
   * Show a desktop notification for this message if this tab is hidden
   * (sent to every socket of a user who has no visible tab anywhere).
   * `tag` is the one Web Push uses too, so the two replace each other.
   */
  serverOnly("notify", {
    roomId: z.string(),
    messageId: z.string(),
    seq: z.number().int(),
    tag: z.string(),
    title: z.string(),
    /** The text, unless the user hides message text in notifications. */
    body: z.string().optional(),
    /** Where a click goes (the message's link, same origin). */
    url: z.string(),
  }),
  serverOnly("error", {
    code: z.enum(errorCodes),
    message: z.string(),
    /** Echoes the failed send's clientId so the client can mark it failed. */
    clientId: z.string().optional(),
    /** For rate_limited: when a retry can succeed. */
    retryAfterMs: z.number().int().optional(),
    /** The refused frame's ref, when it carried one. */
    ref: z.string().optional(),
  }),
]);
export type ServerFrame = z.infer<typeof serverFrame>;
