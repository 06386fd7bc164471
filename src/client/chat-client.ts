import { mentionedNames, mentionHandle } from "../core/mentions";
import type {
  ErrorCode,
  RoomSummary,
  ServerFrame,
  WireMember,
  WireMessage,
  WireUser,
} from "../protocol/frames";
import type { OutboxStorage, PendingSend } from "./outbox";
import { RoomLog } from "./room-log";
import type { ChatSocket, ConnectionStatus } from "./socket";

/** What a room page renders. */
export type RoomView = {
  messages: WireMessage[];
  pending: PendingSend[];
  members: WireMember[];
  typing: WireUser[];
  /** Catching up after a (re)connect. */
  replaying: boolean;
};

type Tracked = {
  log: RoomLog;
  members: WireMember[];
  typing: Map<string, { user: WireUser; until: number }>;
  replaying: boolean;
  fetching: boolean;
  /** The hole being fetched: after `from`, before `before` (the server pages it). */
  gap: { from: number; before: number } | null;
  /** The server answered this connection's subscribe (`subscribed`). */
  subscribed: boolean;
};

/** Errors after which resending the same frame cannot succeed. */
const permanent = new Set<ErrorCode>(["bad_frame", "forbidden", "not_found", "too_large"]);
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
  /** The last refusal not tied to a send (edit, invite, leave...), for the UI to show. */
  lastError: { code: ErrorCode; message: string; at: number } | null = null;
  readonly #rooms = new Map<string, RoomSummary>();
  readonly #tracked = new Map<string, Tracked>();
  readonly #listeners = new Set<() => void>();
  readonly #lastTyping = new Map<string, number>();
  #pending: PendingSend[];
  #version = 0;
  #views = new Map<string, { version: number; view: RoomView }>();
  #roomsView: { version: number; rooms: RoomSummary[] } = { version: -1, rooms: [] };
  #stops: (() => void)[] = [];

  constructor(
    readonly socket: ChatSocket,
    readonly outbox: OutboxStorage,
    readonly now: () => number = Date.now,
  ) {
    this.#pending = outbox.load().filter((p) => p && typeof p.clientId === "string");
  }

  start(): void {
    this.#stops.push(this.socket.onFrame((frame) => this.#handle(frame)));
    this.#stops.push(this.socket.onStatus(() => this.#emit()));
    this.socket.start();
  }

  stop(): void {
    for (const stop of this.#stops.splice(0)) stop();
    this.socket.stop();
  }

  get status(): ConnectionStatus {
    return this.socket.status;
  }

  /** Re-renders on every change; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** Starts (or keeps) a room's log from a page the server rendered. */
  open(roomId: string, page: readonly WireMessage[], lastSeq = 0, summary?: RoomSummary): void {
    // A room joined after the socket connected is not in `ready`'s list yet.
    if (summary && !this.#rooms.has(roomId)) this.#rooms.set(roomId, summary);
    let tracked = this.#tracked.get(roomId);
    if (!tracked) {
      tracked = {
        log: new RoomLog(),
        members: [],
        typing: new Map(),
        replaying: false,
        fetching: false,
        gap: null,
        subscribed: false,
      };
      this.#tracked.set(roomId, tracked);
      tracked.log.seed(page, lastSeq);
      if (this.socket.isOpen && this.user) this.#resume(roomId, tracked);
    } else {
      tracked.log.merge(page);
    }
    this.#emit();
  }

  /** Adds an older page (infinite scroll). */
  addOlder(roomId: string, page: readonly WireMessage[]): void {
    if (this.#tracked.get(roomId)?.log.merge(page)) this.#emit();
  }

  send(roomId: string, text: string): string {
    const clientId = crypto.randomUUID();
    // The message ends the typing; typing again announces itself at once.
    this.#lastTyping.delete(roomId);
    this.#setPending([...this.#pending, { clientId, roomId, text, failed: null }]);
    this.socket.send({ type: "send", roomId, clientId, text });
    return clientId;
  }

  retry(clientId: string): void {
    const item = this.#pending.find((p) => p.clientId === clientId);
    if (!item) return;
    this.#setPending(
      this.#pending.map((p) => (p.clientId === clientId ? { ...p, failed: null } : p)),
    );
    this.socket.send({ type: "send", roomId: item.roomId, clientId, text: item.text });
  }

  discard(clientId: string): void {
    this.#setPending(this.#pending.filter((p) => p.clientId !== clientId));
  }

  /** Tells the room we are typing, at most every couple of seconds. */
  typing(roomId: string): void {
    const last = this.#lastTyping.get(roomId) ?? 0;
    if (this.now() - last < TYPING_THROTTLE_MS) return;
    this.#lastTyping.set(roomId, this.now());
    this.socket.send({ type: "typing", roomId });
  }

  /** Marks everything we hold in the room as read. */
  markRead(roomId: string): void {
    const summary = this.#rooms.get(roomId);
    const latest = this.#tracked.get(roomId)?.log.list().at(-1)?.seq ?? 0;
    if (!summary || latest <= summary.lastReadSeq) return;
    this.#rooms.set(roomId, { ...summary, lastReadSeq: latest, mentioned: false });
    this.socket.send({ type: "read", roomId, seq: latest });
    this.#emit();
  }

  edit(roomId: string, messageId: string, text: string): void {
    this.socket.send({ type: "edit", roomId, messageId, text });
  }

  remove(roomId: string, messageId: string): void {
    this.socket.send({ type: "delete", roomId, messageId });
  }

  react(roomId: string, messageId: string, emoji: "👍" | "❤️" | "😂" | "🎉" | "😮" | "😢"): void {
    this.socket.send({ type: "react", roomId, messageId, emoji });
  }

  /** Invites the person with this id (picked in the invite picker: never a bare name). */
  invite(roomId: string, userId: string): void {
    this.socket.send({ type: "invite", roomId, userId });
  }

  leave(roomId: string): void {
    this.socket.send({ type: "leave", roomId });
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
      messages: tracked?.log.list() ?? [],
      pending: this.#pending.filter((p) => p.roomId === roomId),
      members: tracked?.members ?? [],
      typing: [...(tracked?.typing.values() ?? [])].filter((t) => t.until > now).map((t) => t.user),
      replaying: tracked?.replaying ?? false,
    };
    this.#views.set(roomId, { version: this.#version, view });
    return view;
  }

  /** The log of a room (fault tests compare it with the database). */
  log(roomId: string): WireMessage[] {
    return this.#tracked.get(roomId)?.log.list() ?? [];
  }

  /** Forgets the last refusal (the user closed its notice). */
  dismissError(): void {
    if (!this.lastError) return;
    this.lastError = null;
    this.#emit();
  }

  get pending(): readonly PendingSend[] {
    return this.#pending;
  }

  #resume(roomId: string, tracked: Tracked) {
    tracked.replaying = true;
    tracked.fetching = false;
    tracked.gap = null;
    tracked.subscribed = false;
    this.socket.send({
      type: "subscribe",
      roomId,
      afterSeq: tracked.log.contiguousTo,
      afterRev: tracked.log.lastRev,
    });
  }

  /**
   * After a rate-limited frame, subscribes again (later) to the rooms whose
   * subscribe has not been answered. True if there were any.
   */
  #retryResumes(afterMs: number): boolean {
    const waiting = [...this.#tracked].filter(([, t]) => t.replaying && !t.subscribed);
    if (waiting.length === 0) return false;
    setTimeout(() => {
      if (!this.socket.isOpen || !this.user) return;
      for (const [roomId, tracked] of waiting) {
        if (this.#tracked.get(roomId) === tracked && tracked.replaying && !tracked.subscribed)
          this.#resume(roomId, tracked);
      }
    }, afterMs);
    return true;
  }

  /** Fetches the messages between what the log holds in order and `before`. */
  #fetchGap(roomId: string, tracked: Tracked, before: number) {
    const from = tracked.log.contiguousTo;
    tracked.fetching = true;
    tracked.gap = { from, before };
    this.socket.send({ type: "fetch", roomId, afterSeq: from, beforeSeq: before });
  }

  #handle(frame: ServerFrame): void {
    switch (frame.type) {
      case "ready": {
        this.user = frame.user;
        this.#rooms.clear();
        for (const room of frame.rooms) this.#rooms.set(room.id, room);
        for (const [roomId, tracked] of this.#tracked) this.#resume(roomId, tracked);
        // Unacknowledged sends go again, in order, with their original ids:
        // the server acks a retry of a stored message with its first seq.
        for (const item of this.#pending) {
          if (!item.failed) {
            this.socket.send({
              type: "send",
              roomId: item.roomId,
              clientId: item.clientId,
              text: item.text,
            });
          }
        }
        break;
      }
      case "subscribed": {
        const tracked = this.#tracked.get(frame.roomId);
        if (tracked) {
          tracked.members = frame.members;
          tracked.subscribed = true;
        }
        this.#bumpLastSeq(frame.roomId, frame.lastSeq);
        break;
      }
      case "history": {
        const tracked = this.#tracked.get(frame.roomId);
        if (!tracked) return;
        tracked.log.merge(frame.messages);
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
        if (frame.type === "ack")
          this.#setPending(this.#pending.filter((p) => p.clientId !== frame.clientId));
        this.#bumpLastSeq(message.roomId, message.seq);
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
      case "updated":
        this.#tracked.get(frame.message.roomId)?.log.merge([frame.message]);
        break;
      case "members": {
        const tracked = this.#tracked.get(frame.roomId);
        if (tracked) tracked.members = frame.members;
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
      case "room_added":
        this.#rooms.set(frame.room.id, frame.room);
        break;
      case "room_removed":
        this.#rooms.delete(frame.roomId);
        this.#tracked.delete(frame.roomId);
        break;
      case "error": {
        const { clientId, code, message } = frame;
        if (!clientId) {
          // Resumes cost more tokens than other frames: one refused for the
          // rate is sent again once the budget allows, not shown.
          if (code === "rate_limited" && this.#retryResumes(frame.retryAfterMs ?? 2_000)) break;
          // Listeners must hear of it: the UI shows it until dismissed.
          this.lastError = { code, message, at: this.now() };
          break;
        }
        if (permanent.has(code)) {
          this.#setPending(
            this.#pending.map((p) => (p.clientId === clientId ? { ...p, failed: message } : p)),
          );
        } else {
          setTimeout(() => this.retry(clientId), frame.retryAfterMs ?? 2_000);
        }
        break;
      }
    }
    this.#emit();
  }

  #bumpLastSeq(roomId: string, seq: number) {
    const summary = this.#rooms.get(roomId);
    if (summary && seq > summary.lastSeq) this.#rooms.set(roomId, { ...summary, lastSeq: seq });
  }

  #noteMention(message: WireMessage) {
    const summary = this.#rooms.get(message.roomId);
    if (!summary || !this.user || message.author.id === this.user.id) return;
    if (message.seq <= summary.lastReadSeq || summary.mentioned) return;
    if (mentionedNames(message.text).includes(mentionHandle(this.user.name))) {
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
