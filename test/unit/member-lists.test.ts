import { describe, expect, it } from "vitest";
import { MEMBERS_INLINE_MAX, MEMBERS_PAGE } from "../../src/protocol/frames";
import { createMemberLists, LARGE_LIST_TTL_MS } from "../../src/server/ws/member-lists.server";

/** A room store that counts its reads, with `size` members in every room. */
function store(size: number, fail = false) {
  const reads = { pages: 0, counts: 0 };
  const rooms = {
    async membersPage(_roomId: string, { limit }: { limit: number }) {
      reads.pages++;
      if (fail) throw new Error("database gone");
      return Array.from({ length: Math.min(limit, size) }, (_, i) => ({
        id: `u${i}`,
        name: `U${i}`,
      }));
    },
    async memberCount() {
      reads.counts++;
      return size;
    },
  };
  return { rooms, reads };
}

describe("member lists (issue 16)", () => {
  it("reads a large room's first page once per TTL, shared by concurrent callers", async () => {
    const { rooms, reads } = store(MEMBERS_INLINE_MAX + 500);
    let clock = 0;
    const lists = createMemberLists(rooms, () => clock);
    const [a, b] = await Promise.all([lists.of("big"), lists.of("big")]);
    expect(a.shown).toHaveLength(MEMBERS_PAGE);
    expect(a.count).toBe(MEMBERS_INLINE_MAX + 500);
    expect(b).toBe(a);
    clock = LARGE_LIST_TTL_MS - 1;
    await lists.of("big");
    expect(reads).toEqual({ pages: 1, counts: 1 });
    clock = LARGE_LIST_TTL_MS;
    await lists.of("big");
    expect(reads).toEqual({ pages: 2, counts: 2 });
  });

  it("reads afresh after forget (a change made here)", async () => {
    const { rooms, reads } = store(MEMBERS_INLINE_MAX + 1);
    const lists = createMemberLists(rooms, () => 0);
    await lists.of("big");
    lists.forget("big");
    await lists.of("big");
    expect(reads.pages).toBe(2);
  });

  it("reads a small room every time, whole and without a count", async () => {
    const { rooms, reads } = store(7);
    const lists = createMemberLists(rooms, () => 0);
    const first = await lists.of("small");
    expect(first).toEqual({ shown: expect.any(Array) });
    expect(first.shown).toHaveLength(7);
    await lists.of("small");
    expect(reads).toEqual({ pages: 2, counts: 0 });
  });

  it("never keeps a failed read", async () => {
    const { rooms, reads } = store(MEMBERS_INLINE_MAX + 1, true);
    const lists = createMemberLists(rooms, () => 0);
    await expect(lists.of("big")).rejects.toThrow("database gone");
    await expect(lists.of("big")).rejects.toThrow("database gone");
    expect(reads.pages).toBe(2);
  });
});
