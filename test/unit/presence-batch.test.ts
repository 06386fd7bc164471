import { afterEach, describe, expect, it, vi } from "vitest";
import { Hub, type Sink } from "../../src/core/hub";
import { deliveries, PresenceBatch } from "../../src/core/presence-batch";
import { createPresenceTicks } from "../../src/server/ws/presence-ticks.server";

const ann = { id: "ann", name: "Ann" };
const bob = { id: "bob", name: "Bob" };

describe("PresenceBatch", () => {
  it("keeps one entry per user with their latest state and every room named", () => {
    const batch = new PresenceBatch();
    expect(batch.add(ann, true, ["r"])).toBe(true);
    expect(batch.add(bob, true, ["r", "s"])).toBe(false);
    batch.add(ann, true, ["s"], false);
    expect(batch.take()).toEqual([
      { user: ann, online: true, rooms: ["r", "s"] },
      { user: bob, online: true, rooms: ["r", "s"] },
    ]);
    // Taken: the next change starts a new tick.
    expect(batch.size).toBe(0);
    expect(batch.add(ann, false, ["r"])).toBe(true);
  });

  it("does not announce a user who came and went within the tick", () => {
    const batch = new PresenceBatch();
    batch.add(ann, true, ["r"]);
    batch.add(bob, false, ["r"]);
    batch.add(ann, false, ["r"]);
    // Bob went and came back: he ends where he began too.
    batch.add(bob, true, ["r"]);
    expect(batch.take()).toEqual([]);
  });

  it("announces the final state of someone a list showed mid-tick, even if no news", () => {
    const batch = new PresenceBatch();
    batch.add(bob, false, ["r"]); // Bob goes...
    batch.add(ann, false, ["r"]);
    batch.seen("bob"); // a subscribe's list shows him offline now
    batch.seen("nobody"); // nothing pending: nothing to do
    batch.add(bob, true, ["r"]); // ...and comes back within the tick
    batch.add(ann, true, ["r"]); // Ann too, but nobody looked in between
    // Bob's return reaches that reader; Ann's round trip is still no news.
    expect(batch.take()).toEqual([{ user: bob, online: true, rooms: ["r"] }]);
  });

  it("announces an odd number of transitions as the last one", () => {
    const batch = new PresenceBatch();
    batch.add(ann, true, ["r"]);
    batch.add(ann, false, ["r"]);
    batch.add(ann, true, ["r"]);
    expect(batch.take()).toEqual([{ user: ann, online: true, rooms: ["r"] }]);
  });

  it("never collapses a tick opened by a subscribe's 'is here'", () => {
    // Ann was online before the tick (her subscribe says so, not a
    // transition); her going offline within it must still be announced.
    const batch = new PresenceBatch();
    batch.add(ann, true, ["r"], false);
    batch.add(ann, false, ["r"]);
    expect(batch.take()).toEqual([{ user: ann, online: false, rooms: ["r"] }]);
  });

  it("agrees with a relayed contradiction: offline then online again is no news", () => {
    const batch = new PresenceBatch();
    batch.add(ann, false, ["r"]);
    batch.add(ann, true, ["r"]);
    expect(batch.take()).toEqual([]);
  });

  it("drops a change that names no room", () => {
    const batch = new PresenceBatch();
    batch.add(ann, true, []);
    expect(batch.take()).toEqual([]);
  });
});

describe("deliveries", () => {
  it("gives each socket one delivery with the changes of the rooms it is in, and only those", () => {
    const rooms = new Map<string, string[]>([
      ["r", ["s1", "s2", "s3"]],
      ["s", ["s3", "s4"]],
    ]);
    const changes = [
      { user: ann, online: true, rooms: ["r", "s"] },
      { user: bob, online: false, rooms: ["s"] },
    ];
    const out = deliveries(changes, (roomId) => rooms.get(roomId) ?? []);
    const bySink = new Map(out.flatMap((d) => d.sinks.map((sink) => [sink, d.changes] as const)));
    expect(out.reduce((n, d) => n + d.sinks.length, 0)).toBe(4);
    expect(bySink.get("s1")).toEqual([{ user: ann, online: true, rooms: ["r"] }]);
    // s1 and s2 share a delivery: one encoding for both.
    expect(out.find((d) => d.sinks.includes("s1"))?.sinks).toEqual(["s1", "s2"]);
    expect(bySink.get("s3")).toEqual([
      { user: ann, online: true, rooms: ["r", "s"] },
      { user: bob, online: false, rooms: ["s"] },
    ]);
    expect(bySink.get("s4")).toEqual([
      { user: ann, online: true, rooms: ["s"] },
      { user: bob, online: false, rooms: ["s"] },
    ]);
  });

  it("in a large room, gives a socket only the changes of members on the pages it holds", () => {
    const cat = { id: "cat", name: "Cat" };
    const rooms = new Map<string, string[]>([
      ["big", ["s1", "s2", "s3", "s4"]],
      ["small", ["s4"]],
    ]);
    const page1: ReadonlySet<string> = new Set(["ann", "bob"]);
    const page2: ReadonlySet<string> = new Set(["cat"]);
    const held = new Map<string, ReadonlySet<string>[]>([
      ["s1", [page1]],
      ["s2", [page1]],
      ["s3", [page1, page2]],
      ["s4", [page2]],
    ]);
    const changes = [
      { user: ann, online: true, rooms: ["big"] },
      { user: cat, online: false, rooms: ["big", "small"] },
      { user: { id: "dan", name: "Dan" }, online: true, rooms: ["big"] },
    ];
    const out = deliveries(
      changes,
      (roomId) => rooms.get(roomId) ?? [],
      (sink, roomId) => (roomId === "big" ? held.get(sink) : undefined),
    );
    const bySink = new Map(out.flatMap((d) => d.sinks.map((sink) => [sink, d.changes] as const)));
    // Dan is on nobody's page: nobody hears of him. s1 and s2 share a frame.
    expect(out.find((d) => d.sinks.includes("s1"))?.sinks).toEqual(["s1", "s2"]);
    expect(bySink.get("s1")).toEqual([{ user: ann, online: true, rooms: ["big"] }]);
    expect(bySink.get("s3")).toEqual([
      { user: ann, online: true, rooms: ["big"] },
      { user: cat, online: false, rooms: ["big"] },
    ]);
    // The small room is whole: s4 hears of Cat there, and in big by its page.
    expect(bySink.get("s4")).toEqual([{ user: cat, online: false, rooms: ["big", "small"] }]);
    // A tick with nothing on a socket's pages sends it no frame.
    const quiet = deliveries(
      [{ user: { id: "dan", name: "Dan" }, online: true, rooms: ["big"] }],
      (roomId) => rooms.get(roomId) ?? [],
      (sink, roomId) => (roomId === "big" ? held.get(sink) : undefined),
    );
    expect(quiet).toEqual([]);
  });

  it("sends nothing for rooms nobody here is in", () => {
    expect(deliveries([{ user: ann, online: true, rooms: ["r"] }], () => [])).toEqual([]);
  });
});

describe("presence ticks (fake clock)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  type Fake = Sink & { frames: string[] };
  const fakeSink = (): Fake => {
    const frames: string[] = [];
    return { frames, send: (data: string) => frames.push(data), bufferedAmount: 0 } as Fake;
  };

  it("sends at most one frame per socket per tick, carrying every change of the tick", () => {
    vi.useFakeTimers();
    const hub = new Hub<Fake>();
    const sinks = Array.from({ length: 50 }, fakeSink);
    for (const sink of sinks) hub.subscribe(sink, "r");
    let counted = 0;
    const ticks = createPresenceTicks({
      hub: hub as never,
      tickMs: 250,
      sent: (frames) => {
        counted += frames;
      },
    });
    // 50 arrivals within one tick (one of them gone again before it ends).
    for (let i = 0; i < 50; i++) ticks.add({ id: `u${i}`, name: `U${i}` }, true, ["r"]);
    ticks.add({ id: "u7", name: "U7" }, false, ["r"]);
    vi.advanceTimersByTime(249);
    expect(sinks[0]?.frames).toHaveLength(0);
    vi.advanceTimersByTime(1);
    for (const sink of sinks) expect(sink.frames).toHaveLength(1);
    expect(counted).toBe(50);
    const frame = JSON.parse(sinks[0]?.frames[0] ?? "{}");
    expect(frame.type).toBe("presence_batch");
    expect(frame.changes).toHaveLength(49);
    expect(frame.changes.some((c: { user: { id: string } }) => c.user.id === "u7")).toBe(false);
    // A quiet tick sends nothing; the next change opens a new tick.
    vi.advanceTimersByTime(1_000);
    expect(sinks[0]?.frames).toHaveLength(1);
    ticks.add(ann, true, ["r"]);
    vi.advanceTimersByTime(250);
    expect(sinks[0]?.frames).toHaveLength(2);
    ticks.stop();
  });

  it("a tick cuts a socket past the slow-consumer mark instead of queueing more", () => {
    vi.useFakeTimers();
    const slow: Fake[] = [];
    const hub = new Hub<Fake>((sink) => slow.push(sink), 1_000);
    const fine = fakeSink();
    const behind = { ...fakeSink(), bufferedAmount: 5_000 } as Fake;
    hub.subscribe(fine, "r");
    hub.subscribe(behind, "r");
    let counted = 0;
    const ticks = createPresenceTicks({
      hub: hub as never,
      tickMs: 250,
      sent: (frames) => {
        counted += frames;
      },
    });
    ticks.add(ann, true, ["r"]);
    vi.advanceTimersByTime(250);
    expect(fine.frames).toHaveLength(1);
    expect(behind.frames).toHaveLength(0);
    expect(slow).toEqual([behind]);
    expect(counted).toBe(1);
    // Dropped from the room: the next tick does not reach it either.
    expect(hub.isSubscribed(behind, "r")).toBe(false);
  });

  it("stop drops a pending tick's timer", () => {
    vi.useFakeTimers();
    const hub = new Hub<Fake>();
    const sink = fakeSink();
    hub.subscribe(sink, "r");
    const ticks = createPresenceTicks({ hub: hub as never, tickMs: 250, sent: () => {} });
    ticks.add(ann, true, ["r"]);
    ticks.stop();
    vi.advanceTimersByTime(1_000);
    expect(sink.frames).toHaveLength(0);
  });
});
