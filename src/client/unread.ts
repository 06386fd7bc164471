import type { RoomSummary } from "../protocol/frames";

/**
 * Messages of the main log after the read marker (never negative): every
 * seq after it, less the thread replies kept out of the main log.
 */
export function unreadCount(room: RoomSummary): number {
  const { lastSeq, lastReadSeq } = room;
  const skipped = (room.threadOnlySeqs ?? []).filter((s) => s > lastReadSeq && s <= lastSeq);
  return Math.max(0, lastSeq - lastReadSeq - skipped.length);
}

/**
 * A room link's accessible name: "general", "general, 3 unread" or
 * "general, 2 unread, mentioned". Tests and screen readers rely on the
 * exact wording.
 */
export function roomLinkLabel(room: RoomSummary): string {
  const unread = unreadCount(room);
  if (unread === 0) return room.name;
  return `${room.name}, ${unread} unread${room.mentioned ? ", mentioned" : ""}`;
}

/**
 * The rooms for the navigation: the loader's list (the rooms joined when
 * the page loaded, in its order) with each room's live summary laid over
 * it, plus rooms the socket learnt about since (joins, invites). Once the
 * socket is ready (`live` is never empty then: nobody leaves the default
 * room), it is the truth about membership: a loaded room it no longer has
 * was left (here or in another tab) and is dropped, except the room on
 * screen, which stays until the page moves on. A loaded room the socket
 * does not know yet keeps its loader summary; for the room on screen that
 * summary is stale at once (the reader is reading it), so it counts as read.
 */
export function navRooms(
  loaded: readonly RoomSummary[],
  live: readonly RoomSummary[],
  currentId: string,
): RoomSummary[] {
  const liveById = new Map(live.map((room) => [room.id, room]));
  const ready = live.length > 0;
  const merged: RoomSummary[] = [];
  for (const room of loaded) {
    const fresh = liveById.get(room.id);
    if (fresh) merged.push(fresh);
    else if (room.id !== currentId) {
      if (!ready) merged.push(room);
    } else merged.push(ready ? { ...room, lastReadSeq: room.lastSeq } : room);
  }
  const known = new Set(loaded.map((room) => room.id));
  for (const room of live) if (!known.has(room.id)) merged.push(room);
  // Archived rooms are out of the list (issue 14), but for the one on screen.
  return merged.filter((room) => !room.archived || room.id === currentId);
}
