import type { WireUser } from "../protocol/frames";

/**
 * A user's presence as one tick sends it: their state at the end of the
 * tick and the rooms it concerns (every room they are a member of, for a
 * connect or disconnect; one room, for a subscribe).
 */
export type PresenceChange = { user: WireUser; online: boolean; rooms: string[] };

type Pending = {
  user: WireUser;
  /**
   * The state before the tick, when a real transition opened it; undefined
   * when the tick opened with a mere "is here" (a subscribe), which says
   * nothing about before and so is never collapsed away.
   */
  before: boolean | undefined;
  online: boolean;
  rooms: Set<string>;
};

/**
 * The presence changes of one tick (issue 16): connecting N users to a room
 * used to cost every member one frame per arrival, N^2/2 in all. Changes
 * wait here until the tick ends, one entry per user holding their latest
 * state, so a tick costs each socket at most one frame however many
 * arrived; a user who came and went within the tick ends where they began
 * and is not announced at all.
 */
export class PresenceBatch {
  readonly #pending = new Map<string, Pending>();

  /**
   * Notes a change. `transition`: the user really came online or went
   * offline (their first or last socket); false for a subscribe's "is
   * here". Returns true when the batch was empty (the tick must be started).
   */
  add(user: WireUser, online: boolean, rooms: Iterable<string>, transition = true): boolean {
    const wasEmpty = this.#pending.size === 0;
    let entry = this.#pending.get(user.id);
    if (!entry) {
      entry = { user, before: transition ? !online : undefined, online, rooms: new Set() };
      this.#pending.set(user.id, entry);
    }
    entry.user = user;
    entry.online = online;
    for (const roomId of rooms) entry.rooms.add(roomId);
    return wasEmpty;
  }

  get size(): number {
    return this.#pending.size;
  }

  /**
   * A member list showing this user's state of the moment was just read
   * (a subscribe). A user who went and came back within the tick would be
   * announced to nobody, leaving that reader with the state in between; so
   * a pending change of theirs is no longer collapsed: the tick's end
   * sends their final state, as for an "is here".
   */
  seen(userId: string): void {
    const entry = this.#pending.get(userId);
    if (entry) entry.before = undefined;
  }

  /** Empties the batch: every user whose state differs from before the tick, with their rooms. */
  take(): PresenceChange[] {
    const changes: PresenceChange[] = [];
    for (const { user, before, online, rooms } of this.#pending.values()) {
      if (before === online || rooms.size === 0) continue;
      changes.push({ user, online, rooms: [...rooms] });
    }
    this.#pending.clear();
    return changes;
  }
}

/** One frame's worth of a tick: the sockets that get it and the changes it carries. */
export type PresenceDelivery<S> = { sinks: S[]; changes: PresenceChange[] };

/**
 * Whom a socket's member list of a large room holds (issue 16): the pages
 * of it the socket was sent, each a set shared by every socket sent the
 * same page. Undefined for a room whose whole list the socket holds.
 */
export type KnownMembers<S> = (
  sink: S,
  roomId: string,
) => readonly ReadonlySet<string>[] | undefined;

/**
 * Splits a tick's changes into deliveries: each socket gets exactly one
 * frame with every change about someone it shares a room with, and sockets
 * that are in the same changed rooms share one frame (encoded once). Each
 * change lists only the rooms of its delivery, so a client can add a new
 * member to the right member lists and no socket learns of other rooms.
 *
 * With `known`, a large room's changes reach a socket only for the members
 * on the pages it holds: a socket shows nobody else of that room, so a
 * storm of 10,000 reconnects costs it the changes of one page, not 10,000
 * (sockets holding the same pages still share one frame). A socket whose
 * tick carries nothing gets no frame.
 */
export function deliveries<S>(
  changes: readonly PresenceChange[],
  sinksOf: (roomId: string) => Iterable<S>,
  known?: KnownMembers<S>,
): PresenceDelivery<S>[] {
  const byRoom = new Map<string, number[]>();
  changes.forEach((change, index) => {
    for (const roomId of change.rooms) {
      let list = byRoom.get(roomId);
      if (!list) {
        list = [];
        byRoom.set(roomId, list);
      }
      list.push(index);
    }
  });
  // Each page set's number, for the grouping key.
  const setIds = new Map<ReadonlySet<string>, number>();
  const setId = (set: ReadonlySet<string>) => {
    let id = setIds.get(set);
    if (id === undefined) {
      id = setIds.size;
      setIds.set(set, id);
    }
    return id;
  };
  // Which changed rooms each socket is in (with the pages it holds of a
  // large one), in a fixed order, and the key of that.
  type Seen = {
    rooms: string[];
    pages: (readonly ReadonlySet<string>[] | undefined)[];
    key: string;
  };
  const seenBySink = new Map<S, Seen>();
  for (const roomId of byRoom.keys()) {
    for (const sink of sinksOf(roomId)) {
      const pages = known?.(sink, roomId);
      const part = pages ? `${roomId}\u0001${pages.map(setId).join(",")}` : roomId;
      const seen = seenBySink.get(sink);
      if (seen) {
        seen.rooms.push(roomId);
        seen.pages.push(pages);
        seen.key += `\u0000${part}`;
      } else seenBySink.set(sink, { rooms: [roomId], pages: [pages], key: part });
    }
  }
  const groups = new Map<string, { seen: Seen; sinks: S[] }>();
  for (const [sink, seen] of seenBySink) {
    const group = groups.get(seen.key);
    if (group) group.sinks.push(sink);
    else groups.set(seen.key, { seen, sinks: [sink] });
  }
  const result: PresenceDelivery<S>[] = [];
  for (const { seen, sinks } of groups.values()) {
    const shared = new Map<number, string[]>();
    seen.rooms.forEach((roomId, r) => {
      const pages = seen.pages[r];
      for (const index of byRoom.get(roomId) ?? []) {
        const userId = changes[index]?.user.id ?? "";
        if (pages && !pages.some((page) => page.has(userId))) continue;
        const list = shared.get(index);
        if (list) list.push(roomId);
        else shared.set(index, [roomId]);
      }
    });
    if (shared.size === 0) continue;
    const carried: PresenceChange[] = [];
    for (const [index, inRooms] of [...shared].sort((a, b) => a[0] - b[0])) {
      const change = changes[index];
      if (change) carried.push({ user: change.user, online: change.online, rooms: inRooms });
    }
    result.push({ sinks, changes: carried });
  }
  return result;
}
