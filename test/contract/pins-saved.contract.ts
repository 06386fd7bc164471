import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mayPin, membershipOf } from "../../src/core/policy";
import type { ChangeCheck } from "../../src/ports";
import { post } from "./post";
import type { StoreUnderTest } from "./stores.contract";

const ann = { id: "u-ann", name: "Ann" };
const bob = { id: "u-bob", name: "Bob" };

/** The policy a member's pin asks (core/policy mayPin). */
const asMember: ChangeCheck = (facts) =>
  mayPin({ kind: "public", name: "a" }, membershipOf(true), facts);

/** Pins (message columns, migration 0009) on every driver. */
export function describePinsContract(driver: string, open: () => Promise<StoreUnderTest>) {
  describe(`pins contract: ${driver}`, () => {
    let store: StoreUnderTest;
    beforeEach(async () => {
      store = await open();
      await store.addUser(ann.id, ann.name);
      await store.addUser(bob.id, bob.name);
    });
    afterEach(() => store.close());

    const room = (slug: string) => store.rooms.createRoom({ name: slug, slug, createdBy: ann.id });
    const append = (roomId: string, clientId: string, author = ann) =>
      post(store, { roomId, author, clientId, text: clientId });

    it("pins and unpins as a change: stamps who and when, bumps the revision, replays by it", async () => {
      const a = await room("a");
      const { message } = await append(a.id, "c1");
      expect(message).toMatchObject({ pinnedAt: null, pinnedBy: null });
      const pinned = await store.messages.pin(a.id, message.id, true, bob.id, asMember);
      expect(pinned.ok && pinned.message).toMatchObject({ pinnedBy: bob.id, rev: 1, seq: 1 });
      expect(pinned.ok && Date.parse(pinned.message.pinnedAt ?? "")).not.toBeNaN();
      expect(await store.messages.position(a.id)).toEqual({ lastSeq: 1, lastRev: 1 });
      // What a client away during the pin gets on resume, and a page shows.
      expect(await store.messages.changedSince(a.id, 0, 10)).toMatchObject([{ pinnedBy: bob.id }]);
      expect((await store.messages.history(a.id, { limit: 5 }))[0]?.pinnedBy).toBe(bob.id);
      const unpinned = await store.messages.pin(a.id, message.id, false, ann.id, asMember);
      expect(unpinned.ok && unpinned.message).toMatchObject({
        pinnedAt: null,
        pinnedBy: null,
        rev: 2,
      });
      expect(await store.messages.pinned(a.id, 10)).toEqual([]);
    });

    it("lists a room's pins newest first, bounded, without deleted messages or other rooms", async () => {
      const [a, b] = [await room("a"), await room("b")];
      const ids: string[] = [];
      for (const clientId of ["c1", "c2", "c3", "c4"]) {
        const { message } = await append(a.id, clientId);
        ids.push(message.id);
        await store.messages.pin(a.id, message.id, true, ann.id, asMember);
      }
      const other = await append(b.id, "elsewhere");
      await store.messages.pin(b.id, other.message.id, true, ann.id, asMember);
      await store.messages.remove(a.id, ids[1] ?? "", () => ({ ok: true }));
      const listed = await store.messages.pinned(a.id, 2);
      // Same-millisecond pins fall back to seq: still newest first.
      expect(listed.map((m) => m.text)).toEqual(["c4", "c3"]);
      expect((await store.messages.pinned(a.id, 10)).map((m) => m.text)).toEqual([
        "c4",
        "c3",
        "c1",
      ]);
    });

    it("refuses a deleted or unknown message, or another room's, and a refused pin moves nothing", async () => {
      const [a, b] = [await room("a"), await room("b")];
      const { message } = await append(a.id, "c1");
      expect(await store.messages.pin(b.id, message.id, true, ann.id, asMember)).toEqual({
        ok: false,
        reason: "not_found",
      });
      expect(await store.messages.pin(a.id, "nope", true, ann.id, asMember)).toEqual({
        ok: false,
        reason: "not_found",
      });
      const asked: unknown[] = [];
      const refused = await store.messages.pin(a.id, message.id, true, ann.id, (facts) => {
        asked.push(facts);
        return { ok: false, code: "forbidden", message: "not you" };
      });
      expect(asked).toEqual([{ authorId: ann.id }]);
      expect(refused).toMatchObject({ ok: false, reason: "refused" });
      await store.messages.remove(a.id, message.id, () => ({ ok: true }));
      expect(await store.messages.pin(a.id, message.id, true, ann.id, asMember)).toEqual({
        ok: false,
        reason: "not_found",
      });
      // Only the deletion moved the revision.
      expect(await store.messages.position(a.id)).toEqual({ lastSeq: 1, lastRev: 1 });
    });

    it("a deleted pinned message is no longer pinned on the wire", async () => {
      const a = await room("a");
      const { message } = await append(a.id, "c1");
      await store.messages.pin(a.id, message.id, true, ann.id, asMember);
      const removed = await store.messages.remove(a.id, message.id, () => ({ ok: true }));
      expect(removed.ok && removed.message).toMatchObject({ pinnedAt: null, pinnedBy: null });
    });
  });
}

/** Saved messages (saved_message, migration 0009) on every driver. */
export function describeSavedContract(driver: string, open: () => Promise<StoreUnderTest>) {
  describe(`saved contract: ${driver}`, () => {
    let store: StoreUnderTest;
    beforeEach(async () => {
      store = await open();
      await store.addUser(ann.id, ann.name);
      await store.addUser(bob.id, bob.name);
    });
    afterEach(() => store.close());

    const room = (slug: string) => store.rooms.createRoom({ name: slug, slug, createdBy: ann.id });
    const append = (roomId: string, clientId: string, author = ann) =>
      post(store, { roomId, author, clientId, text: clientId });

    it("saves per user, lists newest saved first with the room, and unsaves", async () => {
      const [a, b] = [await room("a"), await room("b")];
      await store.rooms.join(a.id, bob.id);
      await store.rooms.join(b.id, bob.id);
      const first = (await append(a.id, "first")).message;
      const second = (await append(b.id, "second")).message;
      expect(await store.saved.save(bob.id, a.id, first.id, true)).toBe("ok");
      expect(await store.saved.save(bob.id, b.id, second.id, true)).toBe("ok");
      // Saving again is harmless and keeps its place.
      expect(await store.saved.save(bob.id, a.id, first.id, true)).toBe("ok");
      const listed = await store.saved.list(bob.id, 10);
      expect(listed.map((hit) => [hit.message.text, hit.room.slug])).toEqual([
        ["second", "b"],
        ["first", "a"],
      ]);
      expect(Date.parse(listed[0]?.savedAt ?? "")).not.toBeNaN();
      expect(listed[1]?.room).toEqual({ id: a.id, slug: "a", name: "a", kind: "public" });
      expect(await store.saved.ids(bob.id, 10)).toEqual([second.id, first.id]);
      expect(await store.saved.ids(bob.id, 1)).toEqual([second.id]);
      // Private to the saver.
      expect(await store.saved.list(ann.id, 10)).toEqual([]);
      expect(await store.saved.save(bob.id, a.id, first.id, false)).toBe("ok");
      expect(await store.saved.ids(bob.id, 10)).toEqual([second.id]);
    });

    it("refuses a message of another room, an unknown or a deleted one; unsaving anything is fine", async () => {
      const [a, b] = [await room("a"), await room("b")];
      const { message } = await append(a.id, "m");
      expect(await store.saved.save(ann.id, b.id, message.id, true)).toBe("not_found");
      expect(await store.saved.save(ann.id, a.id, "nope", true)).toBe("not_found");
      await store.messages.remove(a.id, message.id, () => ({ ok: true }));
      expect(await store.saved.save(ann.id, a.id, message.id, true)).toBe("not_found");
      expect(await store.saved.save(ann.id, a.id, "nope", false)).toBe("ok");
      expect(await store.saved.list(ann.id, 10)).toEqual([]);
    });

    it("leaves out rooms the user left and messages deleted after saving; they come back on rejoin", async () => {
      const a = await room("a");
      await store.rooms.join(a.id, bob.id);
      const kept = (await append(a.id, "kept")).message;
      const gone = (await append(a.id, "gone")).message;
      await store.saved.save(bob.id, a.id, kept.id, true);
      await store.saved.save(bob.id, a.id, gone.id, true);
      await store.messages.remove(a.id, gone.id, () => ({ ok: true }));
      expect((await store.saved.list(bob.id, 10)).map((hit) => hit.message.id)).toEqual([kept.id]);
      await store.rooms.leave(a.id, bob.id);
      expect(await store.saved.list(bob.id, 10)).toEqual([]);
      expect(await store.saved.ids(bob.id, 10)).toEqual([]);
      await store.rooms.join(a.id, bob.id);
      expect(await store.saved.ids(bob.id, 10)).toEqual([kept.id]);
    });
  });
}
