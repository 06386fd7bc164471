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
