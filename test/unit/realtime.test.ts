import type { Peer } from "crossws";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseConfig } from "../../src/env";
import type { Storage } from "../../src/ports";
import { createEventBus } from "../../src/server/events.server";
import { createLogger } from "../../src/server/log.server";
import { createMetrics } from "../../src/server/metrics.server";
import { createLocalPresence } from "../../src/server/presence/local.server";
import { createLocalRelay } from "../../src/server/relay/local.server";
import type { Runtime } from "../../src/server/runtime.server";
import { createRealtime } from "../../src/server/ws/realtime.server";

/** A runtime with in-process drivers; nothing here reaches a database. */
function fakeRuntime(): Runtime {
  return {
    config: parseConfig({}),
    log: createLogger("silent"),
    auth: {} as Runtime["auth"],
    accountLocks: {} as Runtime["accountLocks"],
    storage: {} as Storage,
    blobs: {} as Runtime["blobs"],
    events: createEventBus(),
    metrics: createMetrics(),
    relay: createLocalRelay(),
    presence: createLocalPresence(),
    limits: {} as Runtime["limits"],
  };
}

const fakePeer = () => ({ close: vi.fn() }) as unknown as Peer;

afterEach(() => {
  vi.useRealTimers();
});

describe("createRealtime", () => {
  it("starts its timers, and dispose stops every one of them", async () => {
    vi.useFakeTimers();
    const realtime = createRealtime(fakeRuntime());
    // The session sweeper starts with the first watched socket.
    realtime.sessions.watch(fakePeer(), "token", Date.now() + 60_000);
    await vi.advanceTimersByTimeAsync(0);
    // Heartbeat, presence ticks and the session sweeper.
    expect(vi.getTimerCount()).toBeGreaterThanOrEqual(3);
    realtime.dispose();
    expect(vi.getTimerCount()).toBe(0);
    // Disposed for good: a later socket starts no sweeper.
    realtime.sessions.watch(fakePeer(), "other", Date.now() + 60_000);
    expect(vi.getTimerCount()).toBe(0);
    realtime.dispose();
  });

  it("stops listening to the relay on dispose", async () => {
    const runtime = fakeRuntime();
    const stop = vi.fn();
    runtime.relay = { ...runtime.relay, onRecovered: () => stop };
    const realtime = createRealtime(runtime);
    realtime.dispose();
    expect(stop).toHaveBeenCalledOnce();
  });
});
