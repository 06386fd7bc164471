import { mentionedNames, roomWideMention } from "../core/mentions";
import {
  type ClientFrame,
  DEFAULT_NOTIFY_SETTINGS,
  type ErrorCode,
  type moderationActions,
  type NotifySettings,
  type RoomNotify,
  type RoomSummary,
  type RoomUpdate,
  type ServerFrame,
  type ServerRole,
  type ThreadState,
  type WireFile,
  type WireMember,
  type WireMessage,
  type WireUser,
} from "../protocol/frames";
import type { OutboxStorage, PendingSend } from "./outbox";
import { PinBoard } from "./pin-board";
import { RoomLog } from "./room-log";
import type { ChatSocket, ConnectionStatus } from "./socket";
import { isThreadOnly, withThreadOnlySeq } from "./thread-unread";

/** What a moderator does to a member (the `moderate` frame). */
export type ModerationAction = (typeof moderationActions)[number];

import { ThreadTracker, type ThreadView } from "./threads";

/** What a room page renders. */
export type RoomView = {
  messages: WireMessage[];
  pending: PendingSend[];
  members: WireMember[];
  /** How many members the room has (more than `members` holds in a paged room). */
  memberCount: number;
  /** A large room's list has more pages: `loadMoreMembers` asks for the next. */
  moreMembers: boolean;
  typing: WireUser[];
  /** Catching up after a (re)connect. */
  replaying: boolean;
  /** The room's pinned messages, newest pin first. */
  pinned: WireMessage[];
  /**
   * The `@handle`s of this user's last send here that named nobody in the
   * room (the ack said so): the composer offers "Invite them?".
   */
  unresolved: readonly string[];
};

const NO_HANDLES: readonly string[] = [];
const NO_ROOM_NOTIFY: RoomNotify = { level: null, muted: false };

/** What the offline cache keeps of a client (see ChatClient.snapshot). */
export type ClientSnapshot = {
  rooms: RoomSummary[];
  /** Per room id: its newest messages in seq order. */
  messages: Record<string, WireMessage[]>;
};

type Tracked = {
  log: RoomLog;
  members: WireMember[];
  /** Paged member list (issue 16): the count, whether pages remain, and the last member paged. */
  memberCount?: number;
  membersMore: boolean;
  membersAfter?: string;
  loadingMembers: boolean;
  typing: Map<string, { user: WireUser; until: number }>;
  replaying: boolean;
  fetching: boolean;
  /** The hole being fetched: after `from`, before `before` (the server pages it). */
  gap: { from: number; before: number } | null;
  /** The server answered this connection's subscribe (`subscribed`). */
  subscribed: boolean;
  /** Pinned messages: room state, fed by every message heard of. */
  pins: PinBoard;
};

/** Errors after which resending the same frame cannot succeed. */
const permanent = new Set<ErrorCode>(["bad_frame", "forbidden", "not_found", "too_large"]);
/** Sends in flight at once, in order (see #pump). */
export const SEND_WINDOW = 4;
/** How long to wait before resending after a retryable refusal that names no time. */
const RETRY_MS = 2_000;

/** Why an action did not happen: the server's refusal, or a socket that closed first. */
export class ActionRefused extends Error {
  constructor(
    readonly code: ErrorCode | "disconnected",
    message: string,
    /** For rate_limited: when the server says a retry can succeed. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "ActionRefused";
  }
}

/** A send's promise (settles on its ack or a permanent refusal), with its clientId. */
export type Sent = Promise<WireMessage> & { clientId: string };

/** A refusal that answered no action of ours (typing, fetch, a frame without ref). */
export type Refusal = { code: ErrorCode; message: string };

type Waiter<T> = { resolve: (value: T) => void; reject: (error: ActionRefused) => void };
type RoomAction = Exclude<ClientFrame, { type: "send" | "ping" | "fetch" }>;

/** A promise whose rejection is not "unhandled" when the caller ignores it. */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}
export const TYPING_TTL_MS = 5_000;
const TYPING_THROTTLE_MS = 2_500;

/**
 * The client side of Parley's delivery guarantees, free of React and the
 * DOM: keeps each open room's log in seq order, resumes after every
 * reconnect from the last seq it holds, fills gaps in the live stream,
 * and keeps unacknowledged sends in an outbox, resent in order.
 */
export class ChatClient {
  user: WireUser | null = null;
  /** The user's server role from the last `ready` (issue 14); null until then. */
  serverRole: ServerRole | null = null;
  readonly #rooms = new Map<string, RoomSummary>();
  readonly #tracked = new Map<string, Tracked>();
  /** Per room: the handles the last acked send mentioned that are not members. */
  readonly #unresolved = new Map<string, readonly string[]>();
  readonly #listeners = new Set<() => void>();
  readonly #lastTyping = new Map<string, number>();
  #pending: PendingSend[];
  #version = 0;
  #views = new Map<string, { version: number; view: RoomView }>();
  #threadViews = new Map<
    string,
    { version: number; view: ThreadView & { pending: PendingSend[] } }
  >();
  #roomsView: { version: number; rooms: RoomSummary[] } = { version: -1, rooms: [] };
  #stops: (() => void)[] = [];
  readonly #refusalListeners = new Set<(refusal: Refusal) => void>();
  /** Actions awaiting their answer on this connection, by ref. */
  readonly #answers = new Map<string, Waiter<void>>();
  /** Sends awaiting their ack (or a permanent refusal), by clientId, across connections. */
  readonly #sends = new Map<string, Waiter<WireMessage> & { promise: Promise<WireMessage> }>();
  /** Sends in flight on this connection: clientId to the ref of the attempt. */
  readonly #inFlight = new Map<string, string>();
  /** After a retryable refusal: nothing is sent until the timer resends in order. */
  #paused: ReturnType<typeof setTimeout> | undefined;
  #refs = 0;
  /** Open threads and followed threads' unread (src/client/threads.ts). */
  readonly #threads = new ThreadTracker();
  /** Ids of the user's saved messages: from each `ready`, then every `saved`. */
  #saved: ReadonlySet<string> = new Set();
  /** Notification settings (issue 13): from each `ready`, then every `notify_settings`. */
  #notifySettings: NotifySettings = DEFAULT_NOTIFY_SETTINGS;

  constructor(
    readonly socket: ChatSocket,
    readonly outbox: OutboxStorage,
    readonly now: () => number = Date.now,
  ) {
    this.#pending = outbox.load().filter((p) => p && typeof p.clientId === "string");
  }

  start(): void {
    this.#stops.push(this.socket.onFrame((frame) => this.#handle(frame)));
    this.#stops.push(
      this.socket.onStatus((status) => {
        if (status !== "connected") this.#disconnected();
        this.#emit();
      }),
    );
    this.socket.start();
  }

  stop(): void {
    for (const stop of this.#stops.splice(0)) stop();
    this.socket.stop();
    this.#disconnected();
  }

  /** Hears refusals that answered none of our actions (the page shows them). */
  onRefusal(listener: (refusal: Refusal) => void): () => void {
    this.#refusalListeners.add(listener);
    return () => this.#refusalListeners.delete(listener);
  }

  get status(): ConnectionStatus {
    return this.socket.status;
  }

  /** Re-renders on every change; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /**
   * Starts (or keeps) a room's log from a page the server rendered. When
   * connected, subscribes: the promise settles on that subscribe's answer
   * (at once when there was nothing to send).
   */
  open(
    roomId: string,
    page: readonly WireMessage[],
    lastSeq = 0,
    summary?: RoomSummary,
    /** The room's pinned messages as the page was rendered (read after `page`). */
    pinned: readonly WireMessage[] = [],
  ): Promise<void> {
    let subscribed: Promise<void> = Promise.resolve();
    // A room joined after the socket connected is not in `ready`'s list yet.
    if (summary && !this.#rooms.has(roomId)) this.#rooms.set(roomId, summary);
    let tracked = this.#tracked.get(roomId);
    if (!tracked) {
      tracked = {
        log: new RoomLog(),
        members: [],
        membersMore: false,
        loadingMembers: false,
        typing: new Map(),
        replaying: false,
        fetching: false,
        gap: null,
        subscribed: false,
        pins: new PinBoard(),
      };
      this.#tracked.set(roomId, tracked);
      tracked.log.seed(page, lastSeq);
      if (this.socket.isOpen && this.user) subscribed = this.#resume(roomId, tracked);
    } else {
      tracked.log.merge(page);
    }
    tracked.pins.merge(page);
    tracked.pins.merge(pinned);
    this.#emit();
    return subscribed;
  }

  /** Adds an older page (infinite scroll). */
  addOlder(roomId: string, page: readonly WireMessage[]): void {
    const tracked = this.#tracked.get(roomId);
    if (!tracked) return;
    const pins = tracked.pins.merge(page);
    if (tracked.log.merge(page) || pins) this.#emit();
  }

  /**
   * Queues a message. It goes out in order behind the sends before it (see
   * #pump) and stays in the outbox until acked, across reconnects and
   * reloads. The promise resolves with the stored message, or rejects when
   * the server refuses it for good (it then shows as failed); a socket that
   * closes first does not reject it: it is sent again.
   */
  send(
    roomId: string,
    text: string,
    thread?: { rootId: string; alsoToRoom: boolean },
    /** Uploaded files it carries (text may then be empty). */
    files: readonly WireFile[] = [],
  ): Sent {
    const clientId = crypto.randomUUID();
    // The message ends the typing; typing again announces itself at once.
    this.#lastTyping.delete(roomId);
    const stored = this.#awaitSend(clientId);
    const reply = thread && { threadRootId: thread.rootId, alsoToRoom: thread.alsoToRoom };
    const attached = files.length > 0 ? { files: [...files] } : undefined;
    this.#setPending([
      ...this.#pending,
      { clientId, roomId, text, failed: null, ...reply, ...attached },
    ]);
    this.#pump();
    return Object.assign(stored, { clientId });
  }

  /** Sends a failed message again; the promise settles like send's. */
  retry(clientId: string): Promise<WireMessage> {
    const item = this.#pending.find((p) => p.clientId === clientId);
    if (!item) return quiet(Promise.reject(new ActionRefused("not_found", "no such message")));
    const stored = this.#awaitSend(clientId);
    this.#setPending(
      this.#pending.map((p) => (p.clientId === clientId ? { ...p, failed: null } : p)),
    );
    this.#pump();
    return stored;
  }

  discard(clientId: string): void {
    this.#inFlight.delete(clientId);
    this.#setPending(this.#pending.filter((p) => p.clientId !== clientId));
    this.#pump();
  }

  /** Tells the room we are typing, at most every couple of seconds. */
  typing(roomId: string): void {
    const last = this.#lastTyping.get(roomId) ?? 0;
    if (this.now() - last < TYPING_THROTTLE_MS) return;
    this.#lastTyping.set(roomId, this.now());
    // Sent by the page as the person types: a refusal (the rate) is not shown.
    void this.#request({ type: "typing", roomId });
  }

  /** Marks everything we hold in the room as read (resolves at once when nothing is new). */
  markRead(roomId: string): Promise<void> {
    const summary = this.#rooms.get(roomId);
    const latest = this.#tracked.get(roomId)?.log.list().at(-1)?.seq ?? 0;
    if (!summary || latest <= summary.lastReadSeq) return Promise.resolve();
    this.#rooms.set(roomId, { ...summary, lastReadSeq: latest, mentioned: false });
    // Sent by the page, not the person: a refusal (the rate) is not shown,
    // the marker moves again with the next read.
    const answered = this.#request({ type: "read", roomId, seq: latest });
    this.#emit();
    return answered;
  }

  edit(roomId: string, messageId: string, text: string): Promise<void> {
    return this.#request({ type: "edit", roomId, messageId, text });
  }

  remove(roomId: string, messageId: string): Promise<void> {
    return this.#request({ type: "delete", roomId, messageId });
  }

  /** Toggles the reader's reaction (one emoji: protocol/reaction-emoji.ts) on a message. */
  react(roomId: string, messageId: string, emoji: string): Promise<void> {
    return this.#request({ type: "react", roomId, messageId, emoji });
  }

  /** Pins a message for everyone in the room, or unpins it; settles on the server's answer. */
  pin(roomId: string, messageId: string, pinned: boolean): Promise<void> {
    return this.#request({ type: "pin", roomId, messageId, pinned });
  }

  /** Removes the link preview of one's own message (everyone then sees it gone). */
  removePreview(roomId: string, messageId: string): Promise<void> {
    return this.#request({ type: "remove_preview", roomId, messageId });
  }

  /** Saves a message for oneself (every tab of the user hears it), or unsaves it. */
  save(roomId: string, messageId: string, saved: boolean): Promise<void> {
    return this.#request({ type: "save", roomId, messageId, saved });
  }

  /** The user's saved message ids (a new set after each change, for selectors). */
  savedIds(): ReadonlySet<string> {
    return this.#saved;
  }

  /** Invites the person with this id (picked in the invite picker: never a bare name). */
  invite(roomId: string, userId: string): Promise<void> {
    return this.#request({ type: "invite", roomId, userId });
  }

  /**
   * Invites the person with this handle (the "Invite them?" offer after a
   * mention of a non-member); once done the handle leaves the offer.
   */
  async inviteByHandle(roomId: string, handle: string): Promise<void> {
    await this.#request({ type: "invite", roomId, userHandle: handle });
    this.#dropUnresolved(roomId, (h) => h === handle);
  }

  /** Puts the "Invite them?" offer away (all of it, or one handle). */
  dismissUnresolved(roomId: string, handle?: string): void {
    this.#dropUnresolved(roomId, (h) => handle === undefined || h === handle);
  }

  #dropUnresolved(roomId: string, drop: (handle: string) => boolean) {
    const left = (this.#unresolved.get(roomId) ?? []).filter((h) => !drop(h));
    if (left.length > 0) this.#unresolved.set(roomId, left);
    else this.#unresolved.delete(roomId);
    this.#emit();
  }

  /**
   * Asks for the next page of a large room's member list (the members panel
   * does, when shown); a no-op when there is none or one is on its way.
   */
  async loadMoreMembers(roomId: string): Promise<void> {
    const tracked = this.#tracked.get(roomId);
    const afterId = tracked?.membersAfter;
    if (!tracked?.membersMore || tracked.loadingMembers || !afterId) return;
    tracked.loadingMembers = true;
    try {
      await this.#request({ type: "members", roomId, afterId });
    } finally {
      tracked.loadingMembers = false;
    }
  }

  /**
   * A moderator's (or admin's) action on a member of the room: remove, ban,
   * unban, mute, unmute, or a room role change; settles on the answer.
   */
  moderate(roomId: string, userId: string, action: ModerationAction): Promise<void> {
    return this.#request({ type: "moderate", roomId, userId, action });
  }

  /** Leaves a room; resolves once the server has done it. */
  leave(roomId: string): Promise<void> {
    return this.#request({ type: "leave", roomId });
  }

  /**
   * Opens a thread: holds its root and replies (live ones included) until
   * closed; settles when the server has answered the first page (later
   * pages follow by themselves). Reconnects resume it after the newest reply.
   */
  openThread(roomId: string, rootId: string): Promise<void> {
    const root = this.#tracked
      .get(roomId)
      ?.log.list()
      .find((m) => m.id === rootId);
    this.#threads.open(roomId, rootId, root);
    this.#emit();
    return this.#request({ type: "thread", roomId, rootId, afterSeq: 0 });
  }

  closeThread(rootId: string): void {
    this.#threads.close(rootId);
    this.#emit();
  }

  /** A stable snapshot of an open thread. */
  threadView(rootId: string): ThreadView & { pending: PendingSend[] } {
    const view = this.#threads.view(rootId, this.#version);
    const cached = this.#threadViews.get(rootId);
    if (cached && cached.version === this.#version) return cached.view;
    const pending = this.#pending.filter((p) => p.threadRootId === rootId);
    const withPending = { ...view, pending };
    this.#threadViews.set(rootId, { version: this.#version, view: withPending });
    return withPending;
  }

  /** The followed threads (state, unread) and their unread total: the "Threads" link. */
  followedThreads(): { list: ThreadState[]; unread: number } {
    return this.#threads.followed(this.#version);
  }

  /** Marks an open thread read up to its newest reply (at once when nothing is new). */
  markThreadRead(roomId: string, rootId: string): Promise<void> {
    const latest = this.#threads.latestSeq(rootId);
    const state = this.#threads.stateOf(rootId);
    if (!state?.following || latest <= state.lastReadSeq) return Promise.resolve();
    this.#threads.state({ ...state, lastReadSeq: latest, unread: 0, latestSeq: latest });
    this.#emit();
    // Sent by the page, as markRead: the marker moves again with the next read.
    return this.#request({ type: "thread_read", roomId, rootId, seq: latest });
  }

  /** "Follow thread" / "Unfollow thread"; resolves once the server has done it. */
  follow(roomId: string, rootId: string, following: boolean): Promise<void> {
    return this.#request({ type: "follow", roomId, rootId, following });
  }

  /** The user's notification settings, as last heard from the server. */
  notifySettings(): NotifySettings {
    return this.#notifySettings;
  }

  /** The user's own prefs for a room (level null: their default); the summary carries them. */
  roomNotify(roomId: string): RoomNotify {
    return this.#rooms.get(roomId)?.notify ?? NO_ROOM_NOTIFY;
  }

  /** Sets a room's level and mute; settles once the server stored it (every tab hears it). */
  setRoomNotify(roomId: string, prefs: RoomNotify): Promise<void> {
    return this.#request({ type: "notify_prefs", roomId, ...prefs });
  }

  /**
   * Changes a room's settings (issue 14: name, topic, announcement-only);
   * settles once the server stored them. Every member's tabs, this one
   * too, hear `room_updated`.
   */
  roomSettings(
    roomId: string,
    patch: { name?: string; topic?: string; announcementOnly?: boolean },
  ): Promise<void> {
    return this.#request({ type: "room_settings", roomId, ...patch });
  }

  /** Replaces the notification settings; settles once the server stored them. */
  setNotifySettings(settings: NotifySettings): Promise<void> {
    return this.#request({ type: "notify_settings", settings });
  }

  /** Takes the notification state a frame carries (issue 13). */
  #takeNotify(frame: ServerFrame): void {
    if (frame.type === "ready" && frame.notifySettings) this.#notifySettings = frame.notifySettings;
    else if (frame.type === "notify_settings") this.#notifySettings = frame.settings;
    else if (frame.type === "notify_prefs") {
      const summary = this.#rooms.get(frame.roomId);
      if (summary) this.#rooms.set(frame.roomId, { ...summary, notify: frame.notify });
    }
  }

  /** The user's rooms with unread state, as last heard from the server. */
  rooms(): RoomSummary[] {
    if (this.#roomsView.version !== this.#version) {
      this.#roomsView = { version: this.#version, rooms: [...this.#rooms.values()] };
    }
    return this.#roomsView.rooms;
  }

  roomSummary(roomId: string): RoomSummary | undefined {
    return this.#rooms.get(roomId);
  }

  /** A stable snapshot of one room (a new object only after a change). */
  roomView(roomId: string): RoomView {
    const cached = this.#views.get(roomId);
    if (cached && cached.version === this.#version) return cached.view;
    const tracked = this.#tracked.get(roomId);
    const now = this.now();
    const view: RoomView = {
      // Thread-only replies are in it too (they take a seq): MessageLog skips them.
      messages: tracked?.log.list() ?? [],
      // A reply waits in its thread, unless it also goes to the room.
      pending: this.#pending.filter(
        (p) => p.roomId === roomId && (p.threadRootId === undefined || p.alsoToRoom === true),
      ),
      members: tracked?.members ?? [],
      memberCount: tracked?.memberCount ?? tracked?.members.length ?? 0,
      moreMembers: tracked?.membersMore ?? false,
      typing: [...(tracked?.typing.values() ?? [])].filter((t) => t.until > now).map((t) => t.user),
      replaying: tracked?.replaying ?? false,
      pinned: tracked?.pins.list() ?? [],
      unresolved: this.#unresolved.get(roomId) ?? NO_HANDLES,
    };
    this.#views.set(roomId, { version: this.#version, view });
    return view;
  }

  // Offline cache (issue 13): what a reload without a server shows. These
  // two stay together; src/client/offline-cache.ts stores and loads them.

  /** The room list and each open room's newest `perRoom` messages, to keep for later. */
  snapshot(perRoom = 50): ClientSnapshot {
    const messages: Record<string, WireMessage[]> = {};
    for (const [roomId, tracked] of this.#tracked) {
      const list = tracked.log.list();
      if (list.length > 0) messages[roomId] = list.slice(-perRoom);
    }
    return { rooms: [...this.#rooms.values()], messages };
  }

  /**
   * Starts from a snapshot taken in an earlier page load, when the server
   * cannot be reached: only while no `ready` has given the live rooms (it
   * replaces them). A room already open (from an older cached page) gets
   * the cached messages merged in. Each seeded room resumes from its
   * newest cached seq once the socket is back.
   */
  seedFromCache(snapshot: ClientSnapshot): void {
    // `user` is set by `ready` alone; an open page's own room may be listed already.
    if (this.user) return;
    for (const room of snapshot.rooms)
      if (!this.#rooms.has(room.id)) this.#rooms.set(room.id, room);
    for (const [roomId, page] of Object.entries(snapshot.messages)) {
      if (!this.#rooms.has(roomId)) continue;
      const tracked = this.#tracked.get(roomId);
      if (tracked) tracked.log.merge(page);
      else void this.open(roomId, page);
    }
    this.#emit();
  }

  get pending(): readonly PendingSend[] {
    return this.#pending;
  }

  /**
   * Sends an action with a fresh ref; settles on its answer (`ok` or
   * `error` with that ref), or rejects when the socket closes first.
   */
  #request(frame: RoomAction): Promise<void> {
    const ref = `a${++this.#refs}`;
    return quiet(
      new Promise<void>((resolve, reject) => {
        if (!this.socket.send({ ...frame, ref })) {
          reject(new ActionRefused("disconnected", "not connected"));
          return;
        }
        this.#answers.set(ref, { resolve, reject });
      }),
    );
  }

  /**
   * Subscribes to a room, replaying from the last seq and revision held.
   * A resume refused for the rate (resumes cost more tokens than other
   * frames) is sent again once the server says the budget allows.
   */
  #resume(roomId: string, tracked: Tracked): Promise<void> {
    tracked.replaying = true;
    tracked.fetching = false;
    tracked.gap = null;
    tracked.subscribed = false;
    const frame = {
      type: "subscribe",
      roomId,
      afterSeq: tracked.log.contiguousTo,
      afterRev: tracked.log.lastRev,
    } as const;
    const answered = this.#request(frame).catch((error: ActionRefused) => {
      if (error.code !== "rate_limited") throw error;
      return new Promise<void>((resolve, reject) => {
        setTimeout(() => {
          const still = this.#tracked.get(roomId) === tracked && !tracked.subscribed;
          if (!still || !this.socket.isOpen || !this.user) return resolve();
          this.#resume(roomId, tracked).then(resolve, reject);
        }, error.retryAfterMs ?? RETRY_MS);
      });
    });
    return quiet(answered);
  }

  /** The promise of a send's outcome: one per clientId until it settles (a retry shares it). */
  #awaitSend(clientId: string): Promise<WireMessage> {
    const known = this.#sends.get(clientId);
    if (known) return known.promise;
    let waiter: Waiter<WireMessage> | undefined;
    const promise = quiet(
      new Promise<WireMessage>((resolve, reject) => {
        waiter = { resolve, reject };
      }),
    );
    if (waiter) this.#sends.set(clientId, { ...waiter, promise });
    return promise;
  }

  /**
   * Sends the outbox in order, at most SEND_WINDOW in flight. Each send
   * names the unacknowledged one before it in its room (`after`): the
   * server refuses it until that one is stored, so a refused send is never
   * overtaken by the ones behind it. Nothing goes out while paused after a
   * retryable refusal; then everything unacknowledged goes again, in order.
   */
  #pump() {
    if (this.#paused !== undefined || !this.user || !this.socket.isOpen) return;
    const before = new Map<string, string>();
    for (const item of this.#pending) {
      if (item.failed) continue;
      const after = before.get(item.roomId);
      before.set(item.roomId, item.clientId);
      if (this.#inFlight.has(item.clientId)) continue;
      if (this.#inFlight.size >= SEND_WINDOW) break;
      const ref = `s${++this.#refs}`;
      const frame = {
        type: "send",
        roomId: item.roomId,
        clientId: item.clientId,
        text: item.text,
        // The same ids on every attempt: the server claims them once, with the first store.
        ...(item.files?.length && { fileIds: item.files.map((f) => f.id) }),
        ...(item.threadRootId !== undefined && {
          threadRootId: item.threadRootId,
          alsoToRoom: item.alsoToRoom === true,
        }),
      };
      if (
        !this.socket.send({ ...frame, ref, ...(after !== undefined && { after }) } as ClientFrame)
      )
        return;
      this.#inFlight.set(item.clientId, ref);
    }
  }

  /** A send was refused for now: resend everything unacknowledged, in order, after the wait. */
  #pause(afterMs: number) {
    clearTimeout(this.#paused);
    // Answers to attempts already in flight no longer steer anything.
    this.#inFlight.clear();
    this.#paused = setTimeout(() => {
      this.#paused = undefined;
      this.#pump();
    }, afterMs);
  }

  /** The socket closed: actions not answered yet are refused; sends wait in the outbox. */
  #disconnected() {
    const answers = [...this.#answers.values()];
    this.#answers.clear();
    this.#inFlight.clear();
    clearTimeout(this.#paused);
    this.#paused = undefined;
    for (const waiter of answers)
      waiter.reject(new ActionRefused("disconnected", "the connection closed before an answer"));
  }

  /** Fetches the messages between what the log holds in order and `before`. */
  #fetchGap(roomId: string, tracked: Tracked, before: number) {
    const from = tracked.log.contiguousTo;
    tracked.fetching = true;
    tracked.gap = { from, before };
    this.socket.send({ type: "fetch", roomId, afterSeq: from, beforeSeq: before });
  }

  /** A whole member list, or a large room's first page with its count. */
  #setMembers(
    tracked: Tracked,
    frame: { members: WireMember[]; memberCount?: number; membersMore?: boolean },
  ) {
    tracked.members = frame.members;
    tracked.memberCount = frame.memberCount;
    tracked.membersMore = frame.membersMore ?? false;
    tracked.membersAfter = frame.members.at(-1)?.id;
  }

  #handle(frame: ServerFrame): void {
    switch (frame.type) {
      case "ready": {
        // A new connection: what the last one left unanswered never will be.
        this.#disconnected();
        this.user = frame.user;
        if (frame.serverRole) this.serverRole = frame.serverRole;
        this.#rooms.clear();
        for (const room of frame.rooms) this.#rooms.set(room.id, room);
        this.#threads.reset(frame.threads ?? []);
        if (frame.saved) this.#saved = new Set(frame.saved);
        this.#takeNotify(frame);
        for (const [roomId, tracked] of this.#tracked) void this.#resume(roomId, tracked);
        // Open threads resume after the newest reply they hold.
        for (const { roomId, rootId, afterSeq } of this.#threads.opened())
          void this.#request({ type: "thread", roomId, rootId, afterSeq });
        // Unacknowledged sends go again, in order, with their original ids:
        // the server acks a retry of a stored message with its first seq.
        this.#pump();
        break;
      }
      case "ok": {
        const waiter = this.#answers.get(frame.ref);
        this.#answers.delete(frame.ref);
        waiter?.resolve();
        break;
      }
      case "subscribed": {
        const tracked = this.#tracked.get(frame.roomId);
        if (tracked) {
          this.#setMembers(tracked, frame);
          tracked.subscribed = true;
        }
        this.#bumpLastSeq(frame.roomId, frame.lastSeq);
        break;
      }
      case "history": {
        this.#threads.messages(frame.messages, this.user?.id);
        const tracked = this.#tracked.get(frame.roomId);
        if (!tracked) return;
        tracked.log.merge(frame.messages);
        tracked.pins.merge(frame.messages);
        if (!frame.done) break;
        const { gap } = tracked;
        // A fetch is served in bounded parts: ask for the rest of the hole
        // from where this part ended, as long as each part makes progress.
        if (frame.more && tracked.fetching && gap && tracked.log.contiguousTo > gap.from) {
          this.#fetchGap(frame.roomId, tracked, gap.before);
          break;
        }
        tracked.replaying = false;
        tracked.fetching = false;
        tracked.gap = null;
        break;
      }
      case "message":
      case "ack": {
        const { message } = frame;
        if (frame.type === "ack") {
          const { clientId } = frame;
          this.#inFlight.delete(clientId);
          this.#setPending(this.#pending.filter((p) => p.clientId !== clientId));
          this.#sends.get(clientId)?.resolve(message);
          this.#sends.delete(clientId);
          this.#pump();
          if (frame.unresolved && frame.unresolved.length > 0) {
            this.#unresolved.set(message.roomId, frame.unresolved);
          }
        }
        this.#bumpLastSeq(message.roomId, message.seq);
        this.#noteThreadOnly(message);
        this.#threads.messages([message], this.user?.id);
        this.#noteMention(message);
        const tracked = this.#tracked.get(message.roomId);
        if (!tracked) break;
        if (tracked.log.revealsGap(message.seq) && !tracked.replaying && !tracked.fetching) {
          // A live frame went missing: fetch the hole from the database.
          this.#fetchGap(message.roomId, tracked, message.seq);
        }
        tracked.log.merge([message]);
        tracked.typing.delete(message.author.id);
        break;
      }
      case "updated": {
        const tracked = this.#tracked.get(frame.message.roomId);
        tracked?.log.merge([frame.message]);
        tracked?.pins.merge([frame.message]);
        this.#threads.messages([frame.message], this.user?.id);
        break;
      }
      case "thread_history": {
        const { root, replies, state, more } = frame;
        this.#threads.page(root, replies, state, more);
        // A long thread comes in pages: ask for the next while it is open.
        const last = replies.at(-1);
        if (more && last && this.#threads.opened().some((t) => t.rootId === root.id)) {
          void this.#request({
            type: "thread",
            roomId: frame.roomId,
            rootId: root.id,
            afterSeq: last.seq,
          });
        }
        break;
      }
      case "thread_state":
        this.#threads.state(frame.state);
        break;
      case "members": {
        const tracked = this.#tracked.get(frame.roomId);
        if (!tracked) {
          // Not a room this tab shows; its list still tells of a profile change (below).
        } else if (!frame.page) {
          this.#setMembers(tracked, frame);
        } else {
          // A page asked for: added to the list (a member heard of meanwhile is kept once).
          const known = new Set(tracked.members.map((m) => m.id));
          tracked.members = [...tracked.members, ...frame.members.filter((m) => !known.has(m.id))];
          tracked.membersMore = frame.page.more;
          tracked.membersAfter = frame.members.at(-1)?.id ?? tracked.membersAfter;
        }
        // A profile change reaches every tab of the user in a member list:
        // take the new name and handle (mention painting reads the handle).
        const me = this.user && frame.members.find((m) => m.id === this.user?.id);
        if (me && this.user && (me.name !== this.user.name || me.handle !== this.user.handle)) {
          this.user = me.handle
            ? { id: me.id, name: me.name, handle: me.handle }
            : { id: me.id, name: me.name };
        }
        break;
      }
      case "presence": {
        if (frame.roomId === undefined) {
          // About the user in every room: update wherever they are listed.
          const { id } = frame.user;
          for (const tracked of this.#tracked.values()) {
            if (!tracked.members.some((m) => m.id === id)) continue;
            tracked.members = tracked.members.map((m) =>
              m.id === id ? { ...m, online: frame.online } : m,
            );
          }
          break;
        }
        const tracked = this.#tracked.get(frame.roomId);
        if (!tracked) return;
        const known = tracked.members.some((m) => m.id === frame.user.id);
        tracked.members = known
          ? tracked.members.map((m) =>
              m.id === frame.user.id ? { ...m, online: frame.online } : m,
            )
          : [...tracked.members, { ...frame.user, online: frame.online }];
        break;
      }
      case "presence_batch": {
        // A tick's changes (newer servers): the user's latest state, and
        // the shared rooms whose member lists gain them when online.
        for (const { user, online, rooms } of frame.changes) {
          for (const [roomId, tracked] of this.#tracked) {
            const known = tracked.members.some((m) => m.id === user.id);
            if (known) {
              tracked.members = tracked.members.map((m) =>
                m.id === user.id ? { ...m, online } : m,
              );
            } else if (online && rooms.includes(roomId)) {
              tracked.members = [...tracked.members, { ...user, online }];
            }
          }
        }
        break;
      }
      case "typing": {
        const tracked = this.#tracked.get(frame.roomId);
        if (!tracked) return;
        tracked.typing.set(frame.user.id, { user: frame.user, until: this.now() + TYPING_TTL_MS });
        setTimeout(() => this.#emit(), TYPING_TTL_MS + 50);
        break;
      }
      case "read": {
        const summary = this.#rooms.get(frame.roomId);
        if (summary && frame.seq >= summary.lastReadSeq) {
          this.#rooms.set(frame.roomId, { ...summary, lastReadSeq: frame.seq, mentioned: false });
        }
        break;
      }
      case "saved": {
        const next = new Set(this.#saved);
        if (frame.saved) next.add(frame.messageId);
        else next.delete(frame.messageId);
        this.#saved = next;
        break;
      }
      case "room_added":
        this.#rooms.set(frame.room.id, frame.room);
        break;
      case "room_updated": {
        // A room's settings changed (issue 14): laid over this user's summary of it.
        const summary = this.#rooms.get(frame.room.id);
        if (summary) this.#rooms.set(frame.room.id, withRoomUpdate(summary, frame.room));
        break;
      }
      case "notify_prefs":
      case "notify_settings":
        this.#takeNotify(frame);
        break;
      case "room_removed": {
        const name = this.#rooms.get(frame.roomId)?.name;
        this.#rooms.delete(frame.roomId);
        this.#tracked.delete(frame.roomId);
        // A moderator's doing: the page tells the reader (a leave of their own says nothing).
        if (frame.reason && name !== undefined) {
          const verb = frame.reason === "banned" ? "banned" : "removed";
          this.#stray({ code: "forbidden", message: `You were ${verb} from ${name}.` });
        }
        break;
      }
      case "member_updated": {
        const { roomId, userId, role, modMuted } = frame;
        const standing = {
          ...(role === "moderator" && { role: "moderator" as const }),
          ...(modMuted && { modMuted: true as const }),
        };
        const tracked = this.#tracked.get(roomId);
        if (tracked) {
          tracked.members = tracked.members.map((m) => {
            if (m.id !== userId) return m;
            const { role: _role, modMuted: _muted, ...rest } = m;
            return { ...rest, ...standing };
          });
        }
        const summary = this.#rooms.get(roomId);
        if (summary && userId === this.user?.id) {
          const { role: _role, modMuted: _muted, ...rest } = summary;
          this.#rooms.set(roomId, { ...rest, ...standing });
        }
        break;
      }
      case "error": {
        const { clientId, code, message, ref, retryAfterMs } = frame;
        const waiter = ref === undefined ? undefined : this.#answers.get(ref);
        if (waiter && ref !== undefined) {
          this.#answers.delete(ref);
          waiter.reject(new ActionRefused(code, message, retryAfterMs));
          break;
        }
        if (!clientId) {
          // Answers none of our actions: the page shows it until dismissed.
          this.#stray({ code, message });
          break;
        }
        // An answer to an attempt given up already (see #pause) steers nothing.
        if (ref !== undefined && this.#inFlight.get(clientId) !== ref) break;
        this.#inFlight.delete(clientId);
        if (permanent.has(code)) {
          this.#setPending(
            this.#pending.map((p) => (p.clientId === clientId ? { ...p, failed: message } : p)),
          );
          this.#sends.get(clientId)?.reject(new ActionRefused(code, message));
          this.#sends.delete(clientId);
          this.#pump();
        } else {
          // The ones behind it wait, then all go again in order.
          this.#pause(retryAfterMs ?? RETRY_MS);
        }
        break;
      }
    }
    this.#emit();
  }

  #stray(refusal: Refusal) {
    for (const listener of this.#refusalListeners) listener(refusal);
  }

  #bumpLastSeq(roomId: string, seq: number) {
    const summary = this.#rooms.get(roomId);
    if (summary && seq > summary.lastSeq) this.#rooms.set(roomId, { ...summary, lastSeq: seq });
  }

  /** A thread-only reply takes a seq but is not room unread: list it on the summary. */
  #noteThreadOnly(message: WireMessage) {
    const summary = this.#rooms.get(message.roomId);
    if (summary) this.#rooms.set(message.roomId, withThreadOnlySeq(summary, message));
  }

  #noteMention(message: WireMessage) {
    const summary = this.#rooms.get(message.roomId);
    if (!summary || !this.user || message.author.id === this.user.id) return;
    if (message.seq <= summary.lastReadSeq || summary.mentioned) return;
    // A mention inside a thread is counted in the thread, not the room (as the server does).
    if (isThreadOnly(message)) return;
    // A live @here reaches only who is online, which this client is.
    const wide = roomWideMention(message.text) !== null;
    const mine = this.user.handle;
    if (wide || (mine !== undefined && mentionedNames(message.text).includes(mine))) {
      this.#rooms.set(message.roomId, { ...summary, mentioned: true });
    }
  }

  #setPending(next: PendingSend[]) {
    this.#pending = next;
    this.outbox.save(next);
    this.#emit();
  }

  #emit() {
    this.#version++;
    for (const listener of this.#listeners) listener();
  }
}

/** A room summary with a `room_updated` laid over it (issue 14). */
export function withRoomUpdate(summary: RoomSummary, room: RoomUpdate): RoomSummary {
  const { topic: _topic, announcementOnly: _only, archived: _archived, ...rest } = summary;
  return {
    ...rest,
    name: summary.kind === "dm" ? summary.name : room.name,
    slug: room.slug,
    ...(room.topic ? { topic: room.topic } : {}),
    ...(room.announcementOnly ? { announcementOnly: true } : {}),
    ...(room.archived ? { archived: true } : {}),
  };
}
