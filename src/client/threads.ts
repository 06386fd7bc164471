import type { ThreadState, WireMessage } from "../protocol/frames";
import { RoomLog } from "./room-log";
import {
  type ThreadCounter,
  threadUnread,
  totalThreadUnread,
  withReply,
  withState,
} from "./thread-unread";

/** What the thread panel renders. */
export type ThreadView = {
  /** The root, once the server has sent it (or the room's log had it). */
  root: WireMessage | undefined;
  /** Replies in seq order. */
  replies: WireMessage[];
  /** The first page has not arrived yet. */
  loading: boolean;
  following: boolean;
  unread: number;
};

type OpenThread = { roomId: string; root: WireMessage | undefined; log: RoomLog; loaded: boolean };

const EMPTY: ThreadView = {
  root: undefined,
  replies: [],
  loading: true,
  following: false,
  unread: 0,
};

/**
 * The client's threads, free of React and the socket: the open threads'
 * roots and replies (fed by pages and by the room's live messages, which
 * carry `threadRootId`), and a counter per followed thread.
 */
export class ThreadTracker {
  readonly #counters = new Map<string, ThreadCounter>();
  readonly #open = new Map<string, OpenThread>();
  #views = new Map<string, { version: number; view: ThreadView }>();
  #followed: { version: number; list: ThreadState[]; unread: number } = {
    version: -1,
    list: [],
    unread: 0,
  };

  /** A fresh connection: the server's followed threads replace what we counted. */
  reset(states: readonly ThreadState[]): void {
    const before = new Map(this.#counters);
    this.#counters.clear();
    for (const state of states)
      this.#counters.set(state.rootId, withState(before.get(state.rootId), state));
  }

  /** The user's state in a thread changed (from any device): a new baseline. */
  state(state: ThreadState): void {
    this.#counters.set(state.rootId, withState(this.#counters.get(state.rootId), state));
  }

  /** Starts holding a thread (the panel opened); `root` is the room log's copy, if any. */
  open(roomId: string, rootId: string, root: WireMessage | undefined): void {
    if (this.#open.has(rootId)) return;
    this.#open.set(rootId, { roomId, root, log: new RoomLog(), loaded: false });
  }

  close(rootId: string): void {
    this.#open.delete(rootId);
  }

  /** The open threads and where to resume each from (the newest reply held). */
  opened(): { roomId: string; rootId: string; afterSeq: number }[] {
    return [...this.#open].map(([rootId, open]) => ({
      roomId: open.roomId,
      rootId,
      afterSeq: open.log.list().at(-1)?.seq ?? 0,
    }));
  }

  /** A page from the server: the root as it is now, and replies. */
  page(
    root: WireMessage,
    replies: readonly WireMessage[],
    state: ThreadState,
    more: boolean,
  ): void {
    const open = this.#open.get(root.id);
    if (open) {
      if (!open.root || root.rev >= open.root.rev) open.root = root;
      open.log.merge(replies);
      if (!more) open.loaded = true;
    }
    this.state(state);
  }

  /** Messages of a room, live or replayed: replies go to their open thread and counter, roots refresh. */
  messages(messages: readonly WireMessage[], myId: string | undefined): void {
    for (const message of messages) {
      const open = this.#open.get(message.id);
      if (open && (!open.root || message.rev >= open.root.rev)) open.root = message;
      const rootId = message.threadRootId;
      if (rootId === undefined) continue;
      this.#open.get(rootId)?.log.merge([message]);
      if (myId === undefined) continue;
      const counted = withReply(this.#counters.get(rootId), message, myId);
      if (counted) this.#counters.set(rootId, counted);
    }
  }

  /** The followed thread's state, if any. */
  stateOf(rootId: string): ThreadState | undefined {
    return this.#counters.get(rootId)?.state;
  }

  unreadOf(rootId: string): number {
    return threadUnread(this.#counters.get(rootId));
  }

  /** The newest reply held in an open thread. */
  latestSeq(rootId: string): number {
    return this.#open.get(rootId)?.log.list().at(-1)?.seq ?? 0;
  }

  /** A stable snapshot of an open thread for `version` (a new object only after a change). */
  view(rootId: string, version: number): ThreadView {
    const cached = this.#views.get(rootId);
    if (cached && cached.version === version) return cached.view;
    const open = this.#open.get(rootId);
    const state = this.#counters.get(rootId)?.state;
    const view: ThreadView = open
      ? {
          root: open.root,
          replies: open.log.list(),
          loading: !open.loaded,
          following: state?.following ?? false,
          unread: this.unreadOf(rootId),
        }
      : EMPTY;
    this.#views.set(rootId, { version, view });
    return view;
  }

  /** The followed threads' states and their unread total, stable per `version`. */
  followed(version: number): { list: ThreadState[]; unread: number } {
    if (this.#followed.version !== version) {
      const counters = [...this.#counters.values()].filter((c) => c.state.following);
      this.#followed = {
        version,
        list: counters.map((c) => ({ ...c.state, unread: threadUnread(c) })),
        unread: totalThreadUnread(counters),
      };
    }
    return this.#followed;
  }
}
