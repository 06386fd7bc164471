import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ProfileDetailsStore } from "../../src/ports";
import type { StoreUnderTest } from "./stores.contract";

type ProfilesUnderTest = StoreUnderTest & { profiles: ProfileDetailsStore };

const NOW = Date.UTC(2026, 11, 2, 10, 0);

/** Status, time zone and avatar (issue 14) on every driver, with expiry applied on read. */
export function describeProfileDetailsContract(
  driver: string,
  open: () => Promise<ProfilesUnderTest>,
) {
  describe(`profile details store contract: ${driver}`, () => {
    let store: ProfilesUnderTest;
    beforeEach(async () => {
      store = await open();
      await store.addUser("u-ann", "Ann");
      await store.addUser("u-bob", "Bob");
    });
    afterEach(() => store.close());

    it("answers a profile with nothing set, and undefined for no such user", async () => {
      expect(await store.profiles.details("u-ann", NOW)).toEqual({
        id: "u-ann",
        name: "Ann",
        handle: null,
        role: "member",
        status: null,
        timeZone: null,
        avatar: null,
      });
      expect(await store.profiles.details("u-nobody", NOW)).toBeUndefined();
    });

    it("keeps a status and zone, and never reads out an expired status", async () => {
      const status = { text: "In a meeting", emoji: "📅", expiresAt: NOW + 60_000 };
      expect(await store.profiles.setDetails("u-ann", { status, timeZone: "Europe/Berlin" })).toBe(
        true,
      );
      const before = await store.profiles.details("u-ann", NOW);
      expect(before?.status).toEqual(status);
      expect(before?.timeZone).toBe("Europe/Berlin");
      const after = await store.profiles.details("u-ann", NOW + 60_000);
      expect(after?.status).toBeNull();
      expect(after?.timeZone).toBe("Europe/Berlin");
      // Bob's row is his own.
      expect((await store.profiles.details("u-bob", NOW))?.status).toBeNull();
    });

    it("keeps a status that never clears, and clears it with null", async () => {
      const status = { text: "", emoji: "🌴", expiresAt: null };
      await store.profiles.setDetails("u-ann", { status, timeZone: null });
      expect((await store.profiles.details("u-ann", NOW + 1e12))?.status).toEqual(status);
      await store.profiles.setDetails("u-ann", { status: null, timeZone: null });
      expect((await store.profiles.details("u-ann", NOW))?.status).toBeNull();
    });

    it("refuses details for a user who is not there", async () => {
      expect(await store.profiles.setDetails("u-nobody", { status: null, timeZone: "UTC" })).toBe(
        false,
      );
      expect(await store.profiles.setAvatar("u-nobody", "avatars/u-nobody/x")).toEqual({
        ok: false,
      });
    });

    it("sets, replaces and removes an avatar, answering the key replaced", async () => {
      expect(await store.profiles.setAvatar("u-ann", "avatars/u-ann/one")).toEqual({
        ok: true,
        previous: null,
      });
      expect(await store.profiles.avatarKey("u-ann")).toBe("avatars/u-ann/one");
      // Setting the avatar keeps a status set before, and the other way round.
      await store.profiles.setDetails("u-ann", {
        status: { text: "Away", emoji: null, expiresAt: null },
        timeZone: "Asia/Tokyo",
      });
      expect(await store.profiles.setAvatar("u-ann", "avatars/u-ann/two")).toEqual({
        ok: true,
        previous: "avatars/u-ann/one",
      });
      const card = await store.profiles.details("u-ann", NOW);
      expect(card?.avatar).toBe("two");
      expect(card?.status?.text).toBe("Away");
      expect(await store.profiles.avatarsOf(["u-ann", "u-bob", "u-ann"])).toEqual({
        "u-ann": "two",
      });
      expect(await store.profiles.setAvatar("u-ann", null)).toEqual({
        ok: true,
        previous: "avatars/u-ann/two",
      });
      expect(await store.profiles.avatarKey("u-ann")).toBeNull();
      expect(await store.profiles.avatarsOf(["u-ann"])).toEqual({});
      expect(await store.profiles.avatarsOf([])).toEqual({});
    });
  });
}
