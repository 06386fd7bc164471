// The server-side heartbeat without waiting 25 s: fake timers and fake peers.
// (That the server answers a client's ping is covered over raw TCP in
// test/integration/ws-conformance.test.ts.)
import type { Peer } from "crossws";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { HEARTBEAT_MS, startHeartbeat } from "../../src/server/ws/heartbeat.server";

const fakePeer = () => ({ ping: vi.fn(), terminate: vi.fn() });
const asPeer = (peer: ReturnType<typeof fakePeer>) => peer as unknown as Peer;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("startHeartbeat", () => {
  it("pings every tracked peer every 25 s", () => {
    expect(HEARTBEAT_MS).toBe(25_000);
    const heartbeat = startHeartbeat();
    heartbeat.start();
    heartbeat.start(1_000); // a second start changes nothing
    const peer = fakePeer();
    heartbeat.track(asPeer(peer));
    vi.advanceTimersByTime(HEARTBEAT_MS - 1);
    expect(peer.ping).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(peer.ping).toHaveBeenCalledTimes(1);
    heartbeat.alive(asPeer(peer));
    vi.advanceTimersByTime(HEARTBEAT_MS);
    expect(peer.ping).toHaveBeenCalledTimes(2);
    expect(peer.terminate).not.toHaveBeenCalled();
    heartbeat.untrack(asPeer(peer));
  });

  it("terminates a peer silent for more than two intervals, and stops pinging it", () => {
    const heartbeat = startHeartbeat(1_000);
    const silent = fakePeer();
    const chatty = fakePeer();
    heartbeat.track(asPeer(silent));
    heartbeat.track(asPeer(chatty));
    for (let tick = 0; tick < 3; tick++) {
      vi.advanceTimersByTime(1_000);
      heartbeat.alive(asPeer(chatty));
    }
    expect(silent.terminate).toHaveBeenCalledTimes(1);
    expect(silent.ping).toHaveBeenCalledTimes(2);
    expect(chatty.terminate).not.toHaveBeenCalled();
    vi.advanceTimersByTime(5_000);
    expect(silent.terminate).toHaveBeenCalledTimes(1);
    expect(silent.ping).toHaveBeenCalledTimes(2);
    heartbeat.untrack(asPeer(chatty));
  });

  it("does not ping before it is started (the interval comes from the config)", () => {
    const heartbeat = startHeartbeat();
    const peer = fakePeer();
    heartbeat.track(asPeer(peer));
    vi.advanceTimersByTime(10 * HEARTBEAT_MS);
    expect(peer.ping).not.toHaveBeenCalled();
    expect(peer.terminate).not.toHaveBeenCalled();
    heartbeat.start(1_000);
    heartbeat.track(asPeer(peer));
    vi.advanceTimersByTime(1_000);
    expect(peer.ping).toHaveBeenCalledTimes(1);
    heartbeat.untrack(asPeer(peer));
  });

  it("forgets an untracked peer, and alive() does not start tracking one", () => {
    const heartbeat = startHeartbeat(1_000);
    const gone = fakePeer();
    const stranger = fakePeer();
    heartbeat.track(asPeer(gone));
    heartbeat.untrack(asPeer(gone));
    heartbeat.alive(asPeer(stranger));
    vi.advanceTimersByTime(10_000);
    for (const peer of [gone, stranger]) {
      expect(peer.ping).not.toHaveBeenCalled();
      expect(peer.terminate).not.toHaveBeenCalled();
    }
  });
});
