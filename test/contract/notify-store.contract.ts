import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NotifyStore } from "../../src/ports";
import { DEFAULT_NOTIFY_SETTINGS } from "../../src/protocol/frames";
import type { StoreUnderTest } from "./stores.contract";

type NotifyStoreUnderTest = StoreUnderTest & { notify: NotifyStore };

const ann = { id: "u-ann", name: "Ann" };
const bob = { id: "u-bob", name: "Bob" };
const cat = { id: "u-cat", name: "Cat" };
const dan = { id: "u-dan", name: "Dan" };

/** Rows per insert when seeding a large room: within both dialects' parameter limits. */
const SEED_CHUNK = 400;

/** Notification preferences and audiences (issue 13) on every driver. */
export function describeNotifyContract(driver: string, open: () => Promise<NotifyStoreUnderTest>) {
  describe(`notify store contract: ${driver}`, () => {
    let store: NotifyStoreUnderTest;
    beforeEach(async () => {
      store = await open();
      for (const user of [ann, bob, cat, dan]) await store.addUser(user.id, user.name);
    });
    afterEach(() => store.close());

    const room = async (slug: string, members: { id: string }[]) => {
      const created = await store.rooms.createRoom({ name: slug, slug, createdBy: ann.id });
      for (const member of members) await store.rooms.join(created.id, member.id);
      return created;
    };
    const ids = (members: { userId: string }[]) => members.map((m) => m.userId).sort();

    it("answers the defaults until settings are saved, then what was saved, per user", async () => {
      expect(await store.notify.settings(ann.id)).toEqual(DEFAULT_NOTIFY_SETTINGS);
      const mine = { defaultLevel: "all" as const, email: false, showText: false };
      await store.notify.setSettings(ann.id, mine);
      expect(await store.notify.settings(ann.id)).toEqual(mine);
      // Saving again replaces the whole row.
      const again = { defaultLevel: "nothing" as const, email: true, showText: false };
      await store.notify.setSettings(ann.id, again);
      expect(await store.notify.settings(ann.id)).toEqual(again);
      expect(await store.notify.settings(bob.id)).toEqual(DEFAULT_NOTIFY_SETTINGS);
    });

    it("sets a member's level and mute, shown in their summary only, and back to the defaults", async () => {
      const a = await room("a", [ann, bob]);
      expect((await store.rooms.summaryOf(a.id, ann.id))?.notify).toBeUndefined();
      expect(await store.notify.setRoom(a.id, ann.id, { level: "nothing", muted: true })).toEqual({
        level: "nothing",
        muted: true,
      });
      expect((await store.rooms.summaryOf(a.id, ann.id))?.notify).toEqual({
        level: "nothing",
        muted: true,
      });
      expect((await store.rooms.summariesOf(ann.id))[0]?.notify).toEqual({
        level: "nothing",
        muted: true,
      });
      expect((await store.rooms.summaryOf(a.id, bob.id))?.notify).toBeUndefined();
      // Muted with the default level, then fully back: the summary omits the defaults.
      await store.notify.setRoom(a.id, ann.id, { level: null, muted: true });
      expect((await store.rooms.summaryOf(a.id, ann.id))?.notify).toEqual({
        level: null,
        muted: true,
      });
      await store.notify.setRoom(a.id, ann.id, { level: null, muted: false });
      expect((await store.rooms.summaryOf(a.id, ann.id))?.notify).toBeUndefined();
    });

    it("refuses a non-member and an unknown room, creating no membership", async () => {
      const a = await room("a", [ann]);
      expect(await store.notify.setRoom(a.id, bob.id, { level: "all", muted: false })).toBe(
        undefined,
      );
      expect(await store.rooms.isMember(a.id, bob.id)).toBe(false);
      expect(await store.notify.setRoom("no-room", ann.id, { level: "all", muted: false })).toBe(
        undefined,
      );
    });

    it("finds the mentioned, their own 'all' and a default 'all', never the author", async () => {
      const a = await room("a", [ann, bob, cat, dan]);
      // Bob chose "all" here; Cat's default is "all"; Dan is only mentioned.
      await store.notify.setRoom(a.id, bob.id, { level: "all", muted: false });
      await store.notify.setSettings(cat.id, {
        defaultLevel: "all",
        email: false,
        showText: false,
      });
      const audience = await store.notify.audience(a.id, ann.id, [dan.id, ann.id]);
      expect(ids(audience)).toEqual([bob.id, cat.id, dan.id]);
      expect(audience.find((m) => m.userId === cat.id)).toMatchObject({
        level: "all",
        muted: false,
        email: false,
        showText: false,
      });
      expect(audience.find((m) => m.userId === dan.id)).toMatchObject({
        level: "mentions",
        email: DEFAULT_NOTIFY_SETTINGS.email,
        showText: DEFAULT_NOTIFY_SETTINGS.showText,
      });
      // A default "all" does not override a room's own level.
      await store.notify.setRoom(a.id, cat.id, { level: "mentions", muted: false });
      expect(ids(await store.notify.audience(a.id, ann.id, []))).toEqual([bob.id]);
    });

    it("returns every member of a DM but the author, at level all", async () => {
      const dm = await store.rooms.openDm(ann, bob);
      const audience = await store.notify.audience(dm.id, ann.id, []);
      expect(audience).toEqual([
        expect.objectContaining({ userId: bob.id, level: "all", muted: false }),
      ]);
    });

    it("returns a muted or 'nothing' member who is mentioned, with those facts, for the decision", async () => {
      const a = await room("a", [ann, bob, cat]);
      await store.notify.setRoom(a.id, bob.id, { level: "all", muted: true });
      await store.notify.setRoom(a.id, cat.id, { level: "nothing", muted: false });
      await store.rooms.markRead(a.id, bob.id, 0);
      const audience = await store.notify.audience(a.id, ann.id, [cat.id]);
      expect(audience.find((m) => m.userId === bob.id)).toMatchObject({
        level: "all",
        muted: true,
        lastReadSeq: 0,
      });
      expect(audience.find((m) => m.userId === cat.id)).toMatchObject({
        level: "nothing",
        muted: false,
      });
    });

    it("ignores mentioned ids that are not members, and an unknown room", async () => {
      const a = await room("a", [ann]);
      expect(await store.notify.audience(a.id, ann.id, [bob.id])).toEqual([]);
      expect(await store.notify.audience("no-room", ann.id, [bob.id])).toEqual([]);
    });

    it("in a 10,000-member room where nobody chose 'all', returns only the mentioned", async () => {
      const a = await room("big", [ann, bob]);
      const crowd = Array.from({ length: 10_000 }, (_, i) => `u-crowd-${i}`);
      for (let at = 0; at < crowd.length; at += SEED_CHUNK) {
        const chunk = crowd.slice(at, at + SEED_CHUNK);
        await store.db
          .insertInto("user" as never)
          .values(chunk.map((id) => ({ id, name: id })) as never)
          .execute();
        await store.db
          .insertInto("room_member")
          .values(chunk.map((id) => ({ room_id: a.id, user_id: id, joined_at: 1 })))
          .execute();
      }
      const audience = await store.notify.audience(a.id, ann.id, [bob.id, "u-crowd-42"]);
      expect(ids(audience)).toEqual([bob.id, "u-crowd-42"].sort());
    }, 60_000);
  });
}
