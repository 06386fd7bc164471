import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type MessageStore, type RoomStore, RoomTakenError } from "../../src/ports";

export type StoreUnderTest = {
  rooms: RoomStore;
  messages: MessageStore;
  /** Makes a user the store can name as an author. */
  addUser(id: string, name: string): Promise<void>;
  close(): Promise<void>;
};

const ann = { id: "u-ann", name: "Ann" };
const bob = { id: "u-bob", name: "Bob" };

/** The RoomStore + MessageStore contract; every driver must pass it. */
export function describeStoreContract(driver: string, open: () => Promise<StoreUnderTest>) {
  describe(`store contract: ${driver}`, () => {
    let store: StoreUnderTest;
    beforeEach(async () => {
      store = await open();
      await store.addUser(ann.id, ann.name);
      await store.addUser(bob.id, bob.name);
    });
    afterEach(() => store.close());

    const room = (slug: string) => store.rooms.createRoom({ name: slug, slug, createdBy: ann.id });
    const append = (roomId: string, clientId: string, text = clientId, author = ann) =>
      store.messages.append({ roomId, author, clientId, text });

    it("creates rooms with unique slugs", async () => {
      const created = await room("design");
      expect(await store.rooms.getRoomBySlug("design")).toEqual(created);
      expect(await store.rooms.getRoom(created.id)).toEqual(created);
      await expect(room("design")).rejects.toBeInstanceOf(RoomTakenError);
      expect((await store.rooms.listRooms()).map((r) => r.slug)).toEqual(["design"]);
    });

    it("ensureRoom is idempotent", async () => {
      const first = await store.rooms.ensureRoom({ name: "general", slug: "general" });
      const second = await store.rooms.ensureRoom({ name: "general", slug: "general" });
      expect(second).toEqual(first);
      expect(await store.rooms.listRooms()).toHaveLength(1);
    });

    it("tracks membership", async () => {
      const a = await room("a");
      const b = await room("b");
      expect(await store.rooms.isMember(a.id, ann.id)).toBe(false);
      await store.rooms.join(a.id, ann.id);
      await store.rooms.join(a.id, ann.id);
      await store.rooms.join(b.id, bob.id);
      expect(await store.rooms.isMember(a.id, ann.id)).toBe(true);
      expect(await store.rooms.roomsOf(ann.id)).toEqual([a]);
      expect(await store.rooms.roomsOf(bob.id)).toEqual([b]);
    });

    it("assigns each room its own gap-free seq, even under concurrent appends", async () => {
      const a = await room("a");
      const b = await room("b");
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) => append(i % 2 ? a.id : b.id, `c${i}`)),
      );
      const seqs = (roomId: string) =>
        results
          .filter((r) => r.message.roomId === roomId)
          .map((r) => r.message.seq)
          .sort((x, y) => x - y);
      const oneToTwenty = Array.from({ length: 20 }, (_, i) => i + 1);
      expect(seqs(a.id)).toEqual(oneToTwenty);
      expect(seqs(b.id)).toEqual(oneToTwenty);
    });

    it("returns the stored message with author, text and time", async () => {
      const a = await room("a");
      const { message, duplicate } = await append(a.id, "c1", "hello", bob);
      expect(duplicate).toBe(false);
      expect(message).toMatchObject({ roomId: a.id, seq: 1, author: bob, text: "hello" });
      expect(Number.isNaN(Date.parse(message.createdAt))).toBe(false);
      expect(await store.messages.history(a.id, { limit: 10 })).toEqual([message]);
    });

    it("stores a retried clientId once and returns the original", async () => {
      const a = await room("a");
      const first = await append(a.id, "same", "first");
      const again = await append(a.id, "same", "changed text");
      expect(again.duplicate).toBe(true);
      expect(again.message).toEqual(first.message);
      const next = await append(a.id, "other");
      expect(next.message.seq).toBe(2);
      expect(await store.messages.history(a.id, { limit: 10 })).toHaveLength(2);
    });

    it("keeps clientIds per room", async () => {
      const a = await room("a");
      const b = await room("b");
      await append(a.id, "same");
      expect((await append(b.id, "same")).duplicate).toBe(false);
    });

    it("pages history by seq, newest page first, each page ascending", async () => {
      const a = await room("a");
      for (let i = 1; i <= 7; i++) await append(a.id, `c${i}`);
      const page = (beforeSeq?: number) =>
        store.messages.history(a.id, { beforeSeq, limit: 3 }).then((ms) => ms.map((m) => m.seq));
      expect(await page()).toEqual([5, 6, 7]);
      expect(await page(5)).toEqual([2, 3, 4]);
      expect(await page(2)).toEqual([1]);
      expect(await page(1)).toEqual([]);
    });

    it("lists messages after a seq, ascending and bounded", async () => {
      const a = await room("a");
      for (let i = 1; i <= 5; i++) await append(a.id, `c${i}`);
      const after = await store.messages.after(a.id, 2, 2);
      expect(after.map((m) => m.seq)).toEqual([3, 4]);
      expect(await store.messages.after(a.id, 5, 10)).toEqual([]);
    });

    it("refuses to append to a room that does not exist and stores nothing", async () => {
      await expect(append("no-such-room", "c1")).rejects.toThrow();
      expect(await store.messages.history("no-such-room", { limit: 10 })).toEqual([]);
    });
  });
}
