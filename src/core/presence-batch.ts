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
 * Splits a tick's changes into deliveries: each socket gets exactly one
 * frame with every change about someone it shares a room with, and sockets
 * that are in the same changed rooms share one frame (encoded once). Each
 * change lists only the rooms of its delivery, so a client can add a new
 * member to the right member lists and no socket learns of other rooms.
 */
export function deliveries<S>(
  changes: readonly PresenceChange[],
  sinksOf: (roomId: string) => Iterable<S>,
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
  // Which changed rooms each socket is in, in a fixed order (the key).
  const roomsOfSink = new Map<S, string[]>();
  for (const roomId of byRoom.keys()) {
    for (const sink of sinksOf(roomId)) {
      const rooms = roomsOfSink.get(sink);
      if (rooms) rooms.push(roomId);
      else roomsOfSink.set(sink, [roomId]);
    }
  }
  const groups = new Map<string, { rooms: string[]; sinks: S[] }>();
  for (const [sink, rooms] of roomsOfSink) {
    const key = rooms.join("\u0000");
    const group = groups.get(key);
    if (group) group.sinks.push(sink);
    else groups.set(key, { rooms, sinks: [sink] });
  }
  const result: PresenceDelivery<S>[] = [];
  for (const { rooms, sinks } of groups.values()) {
    const shared = new Map<number, string[]>();
    for (const roomId of rooms) {
      for (const index of byRoom.get(roomId) ?? []) {
        const list = shared.get(index);
        if (list) list.push(roomId);
        else shared.set(index, [roomId]);
      }
    }
    const carried: PresenceChange[] = [];
    for (const [index, inRooms] of [...shared].sort((a, b) => a[0] - b[0])) {
      const change = changes[index];
      if (change) carried.push({ user: change.user, online: change.online, rooms: inRooms });
    }
    result.push({ sinks, changes: carried });
  }
  return result;
}
