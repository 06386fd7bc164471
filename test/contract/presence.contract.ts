import { afterEach, describe, expect, it } from "vitest";
import type { PresenceLeases } from "../../src/ports";

/** One isolated setting: drivers opened from it share their leases, like instances on one Redis. */
export type PresenceWorld = { open(): PresenceLeases };

const TTL = 15_000;

/** The PresenceLeases contract; every driver must pass it. Clocks are passed in, so no waiting. */
export function describePresenceContract(driver: string, makeWorld: () => PresenceWorld) {
  describe(`PresenceLeases contract: ${driver}`, () => {
    const opened: PresenceLeases[] = [];
    const world = () => {
      const made = makeWorld();
      return {
        open() {
          const leases = made.open();
          opened.push(leases);
          return leases;
        },
      };
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((leases) => leases.close()));
    });

    it("a held user is online until released, and release says when they went offline", async () => {
      const one = world().open();
      await one.hold("ann", 1_000 + TTL);
      expect(await one.onlineAmong(["ann", "bob"], 1_000)).toEqual(new Set(["ann"]));
      expect(await one.release("ann", 2_000)).toBe(true);
      expect(await one.onlineAmong(["ann"], 2_000)).toEqual(new Set());
    });

    it("a user on two instances counts once and stays online until both release", async () => {
      const w = world();
      const a = w.open();
      const b = w.open();
      await a.hold("ann", 1_000 + TTL);
      await b.hold("ann", 1_000 + TTL);
      expect(await b.onlineAmong(["ann"], 1_000)).toEqual(new Set(["ann"]));
      expect(await a.release("ann", 2_000)).toBe(false);
      expect(await b.onlineAmong(["ann"], 2_000)).toEqual(new Set(["ann"]));
      expect(await b.release("ann", 3_000)).toBe(true);
      expect(await a.onlineAmong(["ann"], 3_000)).toEqual(new Set());
    });

    it("holding twice on one instance is one lease: one release ends it", async () => {
      const one = world().open();
      await one.hold("ann", 1_000 + TTL);
      await one.hold("ann", 2_000 + TTL);
      expect(await one.release("ann", 3_000)).toBe(true);
    });

    it("leases lapse unless renewed, and a sweep reports each lapsed user once", async () => {
      const w = world();
      const dead = w.open();
      const alive = w.open();
      const other = w.open();
      await dead.hold("ann", 1_000 + TTL);
      await dead.hold("bob", 1_000 + TTL);
      await alive.hold("bob", 1_000 + TTL);
      await alive.renew(["bob"], 10_000 + TTL);
      const later = 1_000 + TTL + 1;
      expect(await other.onlineAmong(["ann", "bob"], later)).toEqual(new Set(["bob"]));
      expect(await alive.sweep(later)).toEqual(["ann"]);
      expect(await other.sweep(later)).toEqual([]);
      expect(await other.onlineAmong(["ann", "bob"], later)).toEqual(new Set(["bob"]));
    });

    it("renewing keeps a user online past the first lease, and a renewal never shortens it", async () => {
      const one = world().open();
      await one.hold("ann", 1_000 + TTL);
      await one.renew(["ann"], 5_000 + TTL);
      await one.renew(["ann"], 2_000 + TTL);
      expect(await one.onlineAmong(["ann"], 4_000 + TTL)).toEqual(new Set(["ann"]));
      expect(await one.sweep(4_000 + TTL)).toEqual([]);
      expect(await one.sweep(5_000 + TTL)).toEqual(["ann"]);
    });

    it("a user released everywhere is not reported again by a sweep", async () => {
      const one = world().open();
      await one.hold("ann", 1_000 + TTL);
      await one.release("ann", 2_000);
      expect(await one.sweep(10_000 + TTL)).toEqual([]);
    });

    it("a new lease after a lapse makes the user online again", async () => {
      const w = world();
      const a = w.open();
      const b = w.open();
      await a.hold("ann", 1_000 + TTL);
      await b.hold("ann", 20_000 + TTL);
      // a's lease lapsed, b's holds: releasing on b is what makes ann offline.
      expect(await a.sweep(2_000 + TTL)).toEqual([]);
      expect(await b.release("ann", 3_000 + TTL)).toBe(true);
    });

    it("renews and looks up many users in one call", async () => {
      const one = world().open();
      const users = Array.from({ length: 1_200 }, (_, i) => `user-${i}`);
      await one.renew(users, 1_000 + TTL);
      const online = await one.onlineAmong([...users, "nobody"], 1_000);
      expect(online.size).toBe(1_200);
      expect((await one.sweep(2_000 + TTL)).length).toBeGreaterThan(0);
    });

    it("worlds are isolated from each other", async () => {
      const a = world().open();
      const b = world().open();
      await a.hold("ann", 1_000 + TTL);
      expect(await b.onlineAmong(["ann"], 1_000)).toEqual(new Set());
    });
  });
}
