import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AppendInput, SendResult } from "../../src/ports";
import type { StoreUnderTest } from "./stores.contract";

const ann = { id: "u-ann", name: "Ann" };
const bob = { id: "u-bob", name: "Bob" };

/**
 * The send path's contract: member-gated appends, and appends started
 * together (one group commit on SQLite, racing transactions on PostgreSQL)
 * that succeed or fail each on their own.
 */
export function describeAppendContract(driver: string, open: () => Promise<StoreUnderTest>) {
  describe(`append contract: ${driver}`, () => {
    let store: StoreUnderTest;
    beforeEach(async () => {
      store = await open();
      await store.addUser(ann.id, ann.name);
      await store.addUser(bob.id, bob.name);
    });
    afterEach(() => store.close());

    const room = async (slug: string, ...members: string[]) => {
      const created = await store.rooms.createRoom({ name: slug, slug, createdBy: ann.id });
      for (const userId of members) await store.rooms.join(created.id, userId);
      return created;
    };
    const input = (roomId: string, clientId: string, author = ann): AppendInput => ({
      roomId,
      author,
      clientId,
      text: `text ${clientId}`,
    });

    it("stores a member's send and moves their read marker", async () => {
      const a = await room("a", ann.id, bob.id);
      const result = await store.messages.appendIfMember(input(a.id, "c1"));
      expect(result).toMatchObject({ ok: true, duplicate: false, message: { seq: 1 } });
      expect((await store.rooms.summaryOf(a.id, ann.id))?.lastReadSeq).toBe(1);
      expect((await store.rooms.summaryOf(a.id, bob.id))?.lastReadSeq).toBe(0);
      const again = await store.messages.appendIfMember(input(a.id, "c1"));
      expect(again).toEqual({ ok: true, duplicate: true, message: result.ok && result.message });
    });

    it("stores an incoming webhook's via with the message; a plain send has none", async () => {
      const a = await room("a", ann.id);
      const via = { webhook: "CI", username: "deploy-bot", iconUrl: "https://example.test/i.png" };
      const hooked = await store.messages.appendIfMember({ ...input(a.id, "c1"), via });
      expect(hooked).toMatchObject({ ok: true, message: { seq: 1, via } });
      const plain = await store.messages.appendIfMember(input(a.id, "c2"));
      expect(plain.ok && "via" in plain.message).toBe(false);
      const history = await store.messages.history(a.id, { limit: 10 });
      expect(history.map((m) => m.via)).toEqual([via, undefined]);
      // A retry answers the stored message, via and all.
      const again = await store.messages.appendIfMember({ ...input(a.id, "c1"), via });
      expect(again).toMatchObject({ ok: true, duplicate: true, message: { via } });
    });

    it("refuses a non-member (forbidden) and an unknown room (not_found), storing nothing", async () => {
      const a = await room("a", bob.id);
      expect(await store.messages.appendIfMember(input(a.id, "c1"))).toEqual({
        ok: false,
        reason: "forbidden",
      });
      expect(await store.messages.appendIfMember(input("no-such-room", "c1"))).toEqual({
        ok: false,
        reason: "not_found",
      });
      expect(await store.messages.position(a.id)).toEqual({ lastSeq: 0, lastRev: 0 });
      expect(await store.messages.history(a.id, { limit: 10 })).toEqual([]);
    });

    it("refuses someone who left at once, even retrying an id sent while a member", async () => {
      const a = await room("a", ann.id, bob.id);
      await store.messages.appendIfMember(input(a.id, "c1"));
      await store.rooms.leave(a.id, ann.id);
      for (const clientId of ["c1", "c2"]) {
        expect(await store.messages.appendIfMember(input(a.id, clientId))).toEqual({
          ok: false,
          reason: "forbidden",
        });
      }
      expect((await store.messages.position(a.id)).lastSeq).toBe(1);
    });

    it("settles appends started together each on their own, seq gap-free", async () => {
      const a = await room("a", ann.id, bob.id);
      const b = await room("b", bob.id);
      const results = await Promise.allSettled([
        store.messages.appendIfMember(input(a.id, "1")),
        store.messages.appendIfMember(input(b.id, "refused")),
        store.messages.appendIfMember(input(a.id, "2", bob)),
        store.messages.appendIfMember(input("no-such-room", "x")),
        // Not-null violations inside the append, after its seq bump.
        store.messages.appendIfMember({ ...input(b.id, "broken", bob), text: null as never }),
        store.messages.appendIfMember({ ...input(a.id, "broken"), text: null as never }),
        store.messages.appendIfMember(input(a.id, "1")),
        store.messages.appendIfMember(input(b.id, "3", bob)),
        store.messages.appendIfMember(input(a.id, "4")),
      ]);
      const value = (index: number) => {
        const settled = results[index];
        if (settled?.status !== "fulfilled") throw new Error(`append ${index} failed`);
        return settled.value as SendResult;
      };
      expect(value(1)).toEqual({ ok: false, reason: "forbidden" });
      expect(value(3)).toEqual({ ok: false, reason: "not_found" });
      expect(results[4]?.status).toBe("rejected");
      expect(results[5]?.status).toBe("rejected");
      const stored = [0, 2, 6, 8].map(value);
      const ids = new Set(stored.map((r) => r.ok && r.message.id));
      expect(ids.size).toBe(3); // "1" twice: one of them is the duplicate
      expect(stored.filter((r) => r.ok && r.duplicate)).toHaveLength(1);
      expect(value(7)).toMatchObject({ ok: true, message: { seq: 1, roomId: b.id } });
      const seqs = (await store.messages.history(a.id, { limit: 10 })).map((m) => m.seq);
      expect(seqs).toEqual([1, 2, 3]);
      expect(await store.messages.position(a.id)).toEqual({ lastSeq: 3, lastRev: 0 });
    });

    it("keeps seq gap-free and unique under many concurrent sends to one room", async () => {
      const a = await room("a", ann.id, bob.id);
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          store.messages.appendIfMember(input(a.id, `c${i % 50}`, i % 2 ? ann : bob)),
        ),
      );
      const fresh = results.filter((r) => r.ok && !r.duplicate);
      const seqs = fresh.map((r) => (r.ok ? r.message.seq : 0)).sort((x, y) => x - y);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      expect((await store.messages.position(a.id)).lastSeq).toBe(seqs.length);
      expect(await store.messages.history(a.id, { limit: 100 })).toHaveLength(seqs.length);
    });

    it("stores mentions with the message", async () => {
      const a = await room("a", ann.id, bob.id);
      const result = await store.messages.appendIfMember({
        ...input(a.id, "m"),
        mentions: [bob.id, bob.id, ann.id],
      });
      expect(result.ok).toBe(true);
      expect((await store.rooms.summaryOf(a.id, bob.id))?.mentioned).toBe(true);
      expect((await store.rooms.summaryOf(a.id, ann.id))?.mentioned).toBe(false);
    });
  });
}
