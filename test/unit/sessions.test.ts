// Session expiry without waiting: fake timers and fake peers.
import type { Peer } from "crossws";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { closeDeactivated, createSessionWatch } from "../../src/server/ws/sessions.server";

const peer = (name: string) => ({ name }) as unknown as Peer;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("createSessionWatch", () => {
  it("closes a session's sockets within one sweep of its expiry, and not before", () => {
    const closed: [unknown, number, string][] = [];
    const watch = createSessionWatch((p, code, reason) => closed.push([p, code, reason]), 1_000);
    const [a, b, other] = [peer("a"), peer("b"), peer("other")];
    watch.watch(a, "t1", Date.now() + 2_500);
    watch.watch(b, "t1", Date.now() + 2_500);
    watch.watch(other, "t2", Date.now() + 60_000);
    vi.advanceTimersByTime(2_000);
    expect(closed).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(closed).toEqual([
      [a, 4001, "session expired"],
      [b, 4001, "session expired"],
    ]);
  });

  it("closes at once a socket whose session already expired", async () => {
    const closed: unknown[] = [];
    const watch = createSessionWatch((p) => closed.push(p), 1_000);
    const a = peer("a");
    watch.watch(a, "t", Date.now() - 1);
    await Promise.resolve();
    expect(closed).toEqual([a]);
  });

  it("revokes every socket of a signed-out session, and forgets closed ones", () => {
    const closed: [unknown, string][] = [];
    const watch = createSessionWatch((p, _code, reason) => closed.push([p, reason]), 1_000);
    const [a, b] = [peer("a"), peer("b")];
    watch.watch(a, "t", Date.now() + 60_000);
    watch.watch(b, "t", Date.now() + 60_000);
    watch.forget(a, "t");
    watch.revoke("t");
    expect(closed).toEqual([[b, "signed out"]]);
    watch.forget(b, "t");
    watch.revoke("t");
    expect(closed).toHaveLength(1);
  });

  it("closes a deactivated user's sockets with 4003, a racing late socket too", async () => {
    const closed: [unknown, number, string][] = [];
    const watch = createSessionWatch((p, code, reason) => closed.push([p, code, reason]), 1_000);
    const [a, b, other] = [peer("a"), peer("b"), peer("other")];
    watch.watch(a, "t1", Date.now() + 60_000);
    watch.watch(other, "t9", Date.now() + 60_000);
    // b is open, but on no token the deactivation names (it is found by user).
    const online = { socketsOf: (userId: string) => new Set(userId === "u" ? [a, b] : []) };
    const sessions = {
      revoke: (token: string, code?: number, reason?: string) => watch.revoke(token, code, reason),
    };
    const closeOf = (p: Peer) => {
      (p as unknown as { close: (code: number, reason: string) => void }).close = (code, reason) =>
        closed.push([p, code, reason]);
    };
    closeOf(a);
    closeOf(b);
    closeDeactivated({ sessions, online }, "u", ["t1", "t2"]);
    expect(closed).toEqual([
      [a, 4003, "account deactivated"],
      [a, 4003, "account deactivated"],
      [b, 4003, "account deactivated"],
    ]);
    // An upgrade that read session t2 just before: closed the same way.
    const late = peer("late");
    watch.watch(late, "t2", Date.now() + 60_000);
    await Promise.resolve();
    expect(closed.at(-1)).toEqual([late, 4003, "account deactivated"]);
    expect(closed.some(([p]) => p === other)).toBe(false);
  });

  it("closes at once a socket opening on a token revoked moments ago, for a minute", async () => {
    const closed: [unknown, string][] = [];
    const watch = createSessionWatch((p, _code, reason) => closed.push([p, reason]), 1_000);
    // Revoked with no socket open: an upgrade that read the session just before.
    watch.revoke("t");
    const late = peer("late");
    watch.watch(late, "t", Date.now() + 60_000);
    await Promise.resolve();
    expect(closed).toEqual([[late, "signed out"]]);
    // As the close hook does for a closed socket.
    watch.forget(late, "t");
    // Other tokens are untouched, and the memory of "t" lapses.
    const other = peer("other");
    watch.watch(other, "u", Date.now() + 600_000);
    vi.advanceTimersByTime(61_000);
    const reused = peer("reused");
    watch.watch(reused, "t", Date.now() + 600_000);
    await Promise.resolve();
    expect(closed).toEqual([[late, "signed out"]]);
  });

  it("tells onEnded of every session it ends: revoked, expired, row gone", async () => {
    const ended: string[] = [];
    const watch = createSessionWatch(() => {}, {
      sweepMs: 1_000,
      liveTokens: async () => new Set(["kept"]),
      onEnded: (token) => ended.push(token),
    });
    watch.watch(peer("a"), "revoked", Date.now() + 60_000);
    watch.watch(peer("b"), "expiring", Date.now() + 500);
    watch.watch(peer("c"), "vanished", Date.now() + 60_000);
    watch.watch(peer("d"), "kept", Date.now() + 60_000);
    watch.revoke("revoked");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(ended).toContain("revoked");
    expect(ended).toContain("expiring");
    expect(ended).toContain("vanished");
    expect(ended).not.toContain("kept");
    watch.stop();
  });

  it("closes the sockets of sessions whose rows are gone, asking once per sweep", async () => {
    const closed: [unknown, string][] = [];
    const asked: string[][] = [];
    let live = new Set(["t1", "t2"]);
    const watch = createSessionWatch((p, _code, reason) => closed.push([p, reason]), {
      sweepMs: 1_000,
      liveTokens: async (tokens) => {
        asked.push(tokens);
        return live;
      },
    });
    const [a, b, c] = [peer("a"), peer("b"), peer("c")];
    watch.watch(a, "t1", Date.now() + 60_000);
    watch.watch(b, "t1", Date.now() + 60_000);
    watch.watch(c, "t2", Date.now() + 60_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(asked).toEqual([["t1", "t2"]]);
    expect(closed).toEqual([]);
    live = new Set(["t2"]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(closed).toEqual([
      [a, "session ended"],
      [b, "session ended"],
    ]);
  });

  it("keeps sockets open when the session table cannot be read", async () => {
    const closed: unknown[] = [];
    const watch = createSessionWatch((p) => closed.push(p), {
      sweepMs: async () => 1_000,
      liveTokens: async () => {
        throw new Error("database down");
      },
    });
    watch.watch(peer("a"), "t", Date.now() + 60_000);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(closed).toEqual([]);
  });
});
