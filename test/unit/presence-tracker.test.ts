import { describe, expect, it } from "vitest";
import { UserSockets } from "../../src/core/presence";
import type { PresenceLeases } from "../../src/ports";
import type { Logger } from "../../src/server/log.server";
import { createLocalPresence } from "../../src/server/presence/local.server";
import { createPresenceTracker } from "../../src/server/ws/presence.server";

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Leases whose every call fails, as while Redis is unreachable. */
const down: PresenceLeases = {
  hold: () => Promise.reject(new Error("down")),
  renew: () => Promise.reject(new Error("down")),
  release: () => Promise.reject(new Error("down")),
  onlineAmong: () => Promise.reject(new Error("down")),
  sweep: () => Promise.reject(new Error("down")),
  close: async () => {},
};

function tracker(leases: PresenceLeases, now = () => 1_000) {
  const online = new UserSockets<object>();
  const lapsed: string[][] = [];
  const presence = createPresenceTracker({
    online: online as never,
    leases,
    ttlMs: 15_000,
    log: quiet,
    onLapsed: (userIds) => lapsed.push(userIds),
    now,
  });
  return { online, presence, lapsed };
}

describe("presence tracker", () => {
  it("falls back to this instance's sockets while the leases are unreachable", async () => {
    const { online, presence } = tracker(down);
    online.add("ann", {});
    await presence.arrived("ann");
    expect(await presence.onlineAmong(["ann", "bob"])).toEqual(new Set(["ann"]));
    online.remove("ann", [...online.socketsOf("ann")][0] as object);
    // Nobody can say otherwise: the user who left here is announced offline.
    expect(await presence.departed("ann")).toBe(true);
    await presence.tick();
  });

  it("is not offline when the user came back here while the release was on its way", async () => {
    const leases = createLocalPresence();
    const { online, presence } = tracker(leases);
    await presence.arrived("ann");
    online.add("ann", {});
    expect(await presence.departed("ann")).toBe(false);
    // The lease is held again.
    expect(await leases.onlineAmong(["ann"], 2_000)).toEqual(new Set(["ann"]));
  });

  it("reports lapsed users who have no socket here, never one who still has", async () => {
    let now = 1_000;
    // Renewals fail (say, a Redis blip) but the sweep gets through.
    const leases = { ...createLocalPresence(), renew: down.renew };
    const { online, presence, lapsed } = tracker(leases, () => now);
    await presence.arrived("ann");
    await presence.arrived("bob");
    online.add("ann", {});
    now += 15_001;
    await presence.tick();
    expect(lapsed).toEqual([["bob"]]);
  });

  it("renews the leases of users with sockets here, so they never lapse", async () => {
    let now = 1_000;
    const leases = createLocalPresence();
    const { online, presence, lapsed } = tracker(leases, () => now);
    await presence.arrived("ann");
    online.add("ann", {});
    for (let i = 0; i < 4; i++) {
      now += 5_000;
      await presence.tick();
    }
    expect(lapsed).toEqual([]);
    expect(await leases.onlineAmong(["ann"], now)).toEqual(new Set(["ann"]));
  });
});
