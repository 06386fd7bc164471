import { describe, expect, it } from "vitest";
import type { PresenceLeases } from "../../src/ports";
import type { Logger } from "../../src/server/log.server";
import { createLocalLeaseBook, createLocalPresence } from "../../src/server/presence/local.server";
import { createVisibilityTracker } from "../../src/server/ws/visibility.server";

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const TTL = 15_000;

/** Two instances sharing one lease book, as two servers share Redis; one clock. */
function pair() {
  const clock = { now: 1_000 };
  const book = createLocalLeaseBook();
  const make = () =>
    createVisibilityTracker<object>({
      leases: createLocalPresence(book),
      ttlMs: TTL,
      log: quiet,
      now: () => clock.now,
    });
  return { clock, one: make(), two: make() };
}

describe("visibility tracker", () => {
  it("a visible tab on one instance is seen from the other", async () => {
    const { one, two } = pair();
    const tab = {};
    await one.report("bob", tab, true);
    expect(await two.visibleAmong(["bob", "cat"])).toEqual(new Set(["bob"]));
    await one.report("bob", tab, false);
    expect(await two.visibleAmong(["bob"])).toEqual(new Set());
  });

  it("the user stays visible while any of their tabs is, and a closed tab stops counting", async () => {
    const { one, two } = pair();
    const a = {};
    const b = {};
    await one.report("bob", a, true);
    await one.report("bob", b, true);
    await one.report("bob", a, false);
    expect(await two.visibleAmong(["bob"])).toEqual(new Set(["bob"]));
    await one.closed("bob", b);
    expect(await two.visibleAmong(["bob"])).toEqual(new Set());
    // Closing a tab that never was visible changes nothing.
    await one.closed("bob", {});
    expect(await one.visibleAmong(["bob"])).toEqual(new Set());
  });

  it("a tab that reports hidden without ever being visible releases nothing", async () => {
    const { one, two } = pair();
    await two.report("bob", {}, true);
    await one.report("bob", {}, false);
    expect(await one.visibleAmong(["bob"])).toEqual(new Set(["bob"]));
  });

  it("renewal keeps a live instance's visibility; a stopped one's lapses after the TTL", async () => {
    const { clock, one, two } = pair();
    await one.report("bob", {}, true);
    await two.report("cat", {}, true);
    // Instance two crashed: it never renews again. One keeps ticking.
    for (let step = 0; step < 4; step++) {
      clock.now += TTL / 3;
      await one.tick();
    }
    expect(await one.visibleAmong(["bob", "cat"])).toEqual(new Set(["bob"]));
  });

  it("falls back to this instance's own tabs when the leases are unreachable", async () => {
    const warned: string[] = [];
    const fail = () => Promise.reject(new Error("down"));
    const down: PresenceLeases = {
      hold: fail,
      renew: fail,
      release: fail,
      onlineAmong: fail,
      sweep: fail,
      close: fail,
    };
    const tracker = createVisibilityTracker<object>({
      leases: down,
      ttlMs: TTL,
      log: { ...quiet, warn: (msg) => warned.push(msg) },
    });
    const tab = {};
    await tracker.report("bob", tab, true);
    expect(await tracker.visibleAmong(["bob", "cat"])).toEqual(new Set(["bob"]));
    await tracker.tick();
    await tracker.report("bob", tab, false);
    expect(await tracker.visibleAmong(["bob"])).toEqual(new Set());
    await tracker.stop();
    expect(warned.length).toBeGreaterThanOrEqual(5);
    expect(new Set(warned)).toEqual(new Set(["visibility lease call failed"]));
  });
});
