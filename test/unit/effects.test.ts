// The effect runner's slow-consumer rule (F-5, issue 18) against fake
// peers: per-user frames and replies skip and cut a socket past the mark,
// replays wait for it to drain (bounded) and then cut it.
import type { Peer } from "crossws";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Hub } from "../../src/core/hub";
import { UserSockets } from "../../src/core/presence";
import type { Storage } from "../../src/ports";
import type { WireMessage } from "../../src/protocol/frames";
import { createMetrics } from "../../src/server/metrics.server";
import { createLocalRelay } from "../../src/server/relay/local.server";
import {
  byTextBudget,
  createEffectRunner,
  REPLAY_DRAIN_TIMEOUT_MS,
} from "../../src/server/ws/effects.server";
import { wireMessage } from "../helpers/fixtures";

const MARK = 1_000;

type FakePeer = {
  sent: string[];
  bufferedAmount: number;
  websocket: { readyState: number };
  send(data: string): void;
};

function fakePeer(): FakePeer {
  return {
    sent: [],
    bufferedAmount: 0,
    websocket: { readyState: 1 },
    send(data) {
      this.sent.push(data);
    },
  };
}

function setup(messages: WireMessage[] = []) {
  const cut: FakePeer[] = [];
  const hub = new Hub<Peer>((peer) => {
    const fake = peer as unknown as FakePeer;
    fake.websocket.readyState = 2; // closing, as peer.close(4008) leaves it
    cut.push(fake);
  }, MARK);
  const online = new UserSockets<Peer>();
  const storage = {
    messages: {
      after: async (_room: string, afterSeq: number, limit: number, beforeSeq = Infinity) =>
        messages.filter((m) => m.seq > afterSeq && m.seq < beforeSeq).slice(0, limit),
    },
  } as unknown as Storage;
  const runner = createEffectRunner({
    hub,
    online,
    storage,
    metrics: createMetrics(),
    relay: createLocalRelay(),
    onlineAmong: async () => new Set(),
  });
  const add = (userId: string) => {
    const peer = fakePeer();
    online.add(userId, peer as unknown as Peer);
    return peer;
  };
  return { runner, cut, add };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("effect runner: the slow-consumer rule", () => {
  it("writes a per-user frame to a user's sockets but cuts the one past the mark", () => {
    const { runner, cut, add } = setup();
    const reading = add("u");
    const stuck = add("u");
    stuck.bufferedAmount = MARK + 1;
    runner.toUser("u", '{"type":"read","roomId":"r","seq":1}');
    expect(reading.sent).toHaveLength(1);
    expect(stuck.sent).toHaveLength(0);
    expect(cut).toEqual([stuck]);
    // Cut once: it is closing now.
    runner.toUser("u", '{"type":"read","roomId":"r","seq":2}');
    expect(cut).toHaveLength(1);
  });

  it("cuts instead of replying to a socket past the mark", () => {
    const { runner, cut, add } = setup();
    const stuck = add("u");
    stuck.bufferedAmount = MARK + 1;
    runner.send(stuck as unknown as Peer, { type: "pong" });
    expect(stuck.sent).toEqual([]);
    expect(cut).toEqual([stuck]);
  });

  it("paces a replay: waits while the socket is past the mark, then goes on", async () => {
    const page = Array.from({ length: 3 }, (_, i) => wireMessage(i + 1, { roomId: "r" }));
    const { runner, cut, add } = setup(page);
    const peer = add("u");
    peer.bufferedAmount = MARK;
    const done = runner.one(peer as unknown as Peer, {
      kind: "fetch",
      roomId: "r",
      afterSeq: 0,
      untilSeq: 3,
      more: false,
    });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(peer.sent).toEqual([]);
    peer.bufferedAmount = 0; // the reader caught up
    await done;
    const frames = peer.sent.map((data) => JSON.parse(data));
    expect(frames.map((f) => [f.type, f.messages.length, f.done])).toEqual([
      ["history", 3, false],
      ["history", 0, true],
    ]);
    expect(cut).toEqual([]);
  });

  it("cuts a reader that does not drain within the replay's bound", async () => {
    vi.useFakeTimers();
    const { runner, cut, add } = setup([wireMessage(1, { roomId: "r" })]);
    const peer = add("u");
    peer.bufferedAmount = MARK + 1;
    const done = runner.one(peer as unknown as Peer, {
      kind: "fetch",
      roomId: "r",
      afterSeq: 0,
      untilSeq: 1,
      more: false,
    });
    await vi.advanceTimersByTimeAsync(REPLAY_DRAIN_TIMEOUT_MS - 100);
    expect(cut).toEqual([]); // still waiting
    await vi.advanceTimersByTimeAsync(REPLAY_DRAIN_TIMEOUT_MS + 100);
    await done;
    expect(cut).toEqual([peer]);
    expect(peer.sent.map((data) => JSON.parse(data).type)).not.toContain("history");
  });

  it("says more on the done frame of a cut fetch", async () => {
    const { runner, add } = setup([wireMessage(1, { roomId: "r" })]);
    const peer = add("u");
    await runner.one(peer as unknown as Peer, {
      kind: "fetch",
      roomId: "r",
      afterSeq: 0,
      untilSeq: 1,
      more: true,
    });
    expect(JSON.parse(peer.sent.at(-1) ?? "{}")).toMatchObject({ done: true, more: true });
  });
});

describe("byTextBudget", () => {
  it("splits a page into runs of at most the budget of text, never an empty run", () => {
    const page = [5, 5, 5, 20, 1].map((n, i) => wireMessage(i + 1, { text: "x".repeat(n) }));
    expect(byTextBudget(page, 10).map((run) => run.map((m) => m.seq))).toEqual([
      [1, 2],
      [3],
      [4],
      [5],
    ]);
    expect(byTextBudget([], 10)).toEqual([]);
  });
});

describe("effect runner: a send's effects in one go", () => {
  it("applies ack, read marker and publish in order, as before", async () => {
    const { runner, add } = setup();
    const author = add("u");
    const message = wireMessage(1, { roomId: "r" });
    await runner.run(author as unknown as Peer, [
      { kind: "reply", frame: { type: "ack", clientId: "c1", message } },
      { kind: "publish", roomId: "r", frame: { type: "message", message }, exceptSelf: true },
      { kind: "user", userId: "u", frame: { type: "read", roomId: "r", seq: 1 } },
    ]);
    expect(author.sent.map((data) => JSON.parse(data).type)).toEqual(["ack", "read"]);
  });

  it("rejects when one of them throws, and applies none after it", async () => {
    const { runner, add } = setup();
    const author = add("u");
    const message = wireMessage(1, { roomId: "r" });
    // A frame that cannot be encoded (a BigInt) throws in the middle.
    const broken = { type: "read", roomId: "r", seq: 1n } as unknown as {
      type: "read";
      roomId: string;
      seq: number;
    };
    await expect(
      runner.run(author as unknown as Peer, [
        { kind: "reply", frame: { type: "ack", clientId: "c1", message } },
        { kind: "user", userId: "u", frame: broken },
        { kind: "reply", frame: { type: "pong" } },
      ]),
    ).rejects.toThrow();
    expect(author.sent.map((data) => JSON.parse(data).type)).toEqual(["ack"]);
  });
});
