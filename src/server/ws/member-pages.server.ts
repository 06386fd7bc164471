/**
 * Which pages of a large room's member list each local socket holds
 * (issue 16), so a presence tick tells a socket only about the members it
 * shows (core/presence-batch `deliveries`, its `known`). A room over
 * MEMBERS_INLINE_MAX sends the first MEMBERS_PAGE members on subscribe and
 * the rest page by page as the panel asks; the client shows nobody else of
 * that room, so a change about anyone else is bytes it would drop.
 *
 * Memory: a page's ids are one Set shared by every socket sent the same
 * page (interned per room by content), so 5,000 sockets holding the first
 * page cost 5,000 references, not 500,000 ids; a socket's entry goes with
 * the socket (a WeakMap).
 *
 * Limit: a member list published to a room (after a join or a leave)
 * resets the local sockets to that page; another instance's sockets keep
 * the pages they held, which include the first page that list repeats.
 */
const INTERNED_PER_ROOM_MAX = 256;

/** What a socket holds of a large room it never asked the list of: nobody. */
const NOTHING: readonly ReadonlySet<string>[] = Object.freeze([]);

export function createMemberPages<P extends object>() {
  const held = new WeakMap<P, Map<string, ReadonlySet<string>[]>>();
  /** Rooms whose list was last read as paged (over MEMBERS_INLINE_MAX). */
  const large = new Set<string>();
  const interned = new Map<string, Map<string, ReadonlySet<string>>>();

  const intern = (roomId: string, ids: readonly string[]): ReadonlySet<string> => {
    let pages = interned.get(roomId);
    if (!pages) {
      pages = new Map();
      interned.set(roomId, pages);
    }
    const key = ids.join(",");
    let page = pages.get(key);
    if (!page) {
      // Sockets keep the sets they hold; forgetting the table only costs sharing.
      if (pages.size >= INTERNED_PER_ROOM_MAX) pages.clear();
      page = new Set(ids);
      pages.set(key, page);
    }
    return page;
  };

  const hold = (peer: P, roomId: string, page: ReadonlySet<string>, first: boolean) => {
    let rooms = held.get(peer);
    if (!rooms) {
      rooms = new Map();
      held.set(peer, rooms);
    }
    const pages = first ? undefined : rooms.get(roomId);
    if (pages?.includes(page)) return;
    rooms.set(roomId, pages ? [...pages, page] : [page]);
  };

  return {
    /**
     * `peer` was sent these members of a large room: `first` for a list
     * that replaces what it held (subscribed, a published list), else a
     * further page it adds.
     */
    sent(peer: P, roomId: string, ids: readonly string[], first: boolean): void {
      hold(peer, roomId, intern(roomId, ids), first);
    },
    /** A list published to the room: every one of `peers` now holds just that page. */
    sentToAll(peers: Iterable<P>, roomId: string, ids: readonly string[]): void {
      const page = intern(roomId, ids);
      for (const peer of peers) hold(peer, roomId, page, true);
    },
    /** The room's list was just read: paged (large) or whole. */
    sized(roomId: string, paged: boolean): void {
      if (paged) large.add(roomId);
      else if (large.delete(roomId)) interned.delete(roomId);
    },
    /**
     * The pages `peer` holds of a large room (none for a socket that is in
     * the room for its messages but never asked for the list); undefined
     * for a room whose whole list every socket is sent.
     */
    known(peer: P, roomId: string): readonly ReadonlySet<string>[] | undefined {
      if (!large.has(roomId)) return undefined;
      return held.get(peer)?.get(roomId) ?? NOTHING;
    },
  };
}

export type MemberPages<P extends object> = ReturnType<typeof createMemberPages<P>>;
