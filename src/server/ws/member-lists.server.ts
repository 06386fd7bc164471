import type { RoomStore } from "../../ports";
import { MEMBERS_INLINE_MAX, MEMBERS_PAGE, type WireMember } from "../../protocol/frames";

/**
 * A room's member list as `subscribed` sends it (issue 16): the whole list
 * up to MEMBERS_INLINE_MAX members (one query reads one more to know),
 * else the first MEMBERS_PAGE and the count.
 *
 * Why a cache: the list is ordered by name across the member and user
 * tables, so reading a 10,000-member room's first page sorts 10,000 rows,
 * and a reconnect storm did that once per client: most of the server's
 * CPU per reconnect. A large room's first page is the same for everyone,
 * so it is read once per LARGE_LIST_TTL_MS and shared (a read in flight is
 * shared too); who is online is still looked up per call. A change this
 * instance makes (a join, a leave, a rename: the `members` effect) forgets
 * it at once; one made on another instance shows here within the TTL, as
 * it does in the list that instance publishes to the room meanwhile.
 * Small rooms are read every time, as before.
 */
export const LARGE_LIST_TTL_MS = 2_000;

export type MemberList = {
  shown: Omit<WireMember, "online">[];
  /** The room's member count when it is large (the list is one page); else undefined. */
  count?: number;
};

export function createMemberLists(
  rooms: Pick<RoomStore, "membersPage" | "memberCount">,
  now: () => number = Date.now,
) {
  const lists = new Map<string, { at: number; list: Promise<MemberList> }>();

  const read = async (roomId: string): Promise<MemberList> => {
    const rows = await rooms.membersPage(roomId, { limit: MEMBERS_INLINE_MAX + 1 });
    if (rows.length <= MEMBERS_INLINE_MAX) return { shown: rows };
    return { shown: rows.slice(0, MEMBERS_PAGE), count: await rooms.memberCount(roomId) };
  };

  return {
    of(roomId: string): Promise<MemberList> {
      const at = now();
      const hit = lists.get(roomId);
      if (hit && at - hit.at < LARGE_LIST_TTL_MS) return hit.list;
      const list = read(roomId);
      const entry = { at, list };
      lists.set(roomId, entry);
      // Kept only for a large room; a failed read is never shared after it settled.
      const drop = () => {
        if (lists.get(roomId) === entry) lists.delete(roomId);
      };
      list.then((got) => {
        if (got.count === undefined) drop();
      }, drop);
      return list;
    },
    /** The room's membership changed here: the next call reads it afresh. */
    forget(roomId: string): void {
      lists.delete(roomId);
    },
  };
}
