import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Relay } from "../../src/ports";

/** One isolated setting for relays (a Redis channel, an in-process group). */
export type RelayWorld = {
  open(): Promise<Relay>;
  /** Puts a raw payload on the relays' channel, as a foreign publisher would. */
  injectRaw(payload: string): Promise<void>;
  close?(): Promise<void>;
};

type Received = { roomId: string; data: string; origin: string };

/** A relay with its deliveries recorded, and a way to wait for one. */
async function listen(relay: Relay) {
  const received: Received[] = [];
  const waiters: (() => void)[] = [];
  await relay.subscribe((roomId, data, origin) => {
    received.push({ roomId, data, origin });
    for (const wake of waiters.splice(0)) wake();
  });
  const until = async (check: () => boolean, what: string) => {
    const deadline = Date.now() + 5_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  };
  const waitFor = (data: string) =>
    until(() => received.some((r) => r.data === data), `"${data}"`).then(
      () => received.find((r) => r.data === data) as Received,
    );
  return { relay, received, waitFor };
}

/** The Relay contract; every driver must pass it. */
export function describeRelayContract(driver: string, makeWorld: () => Promise<RelayWorld>) {
  describe(`relay contract: ${driver}`, () => {
    let world: RelayWorld;
    const opened: Relay[] = [];
    const open = async () => {
      const relay = await world.open();
      opened.push(relay);
      return listen(relay);
    };
    beforeEach(async () => {
      world = await makeWorld();
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((relay) => relay.close()));
      await world.close?.();
    });

    it("delivers to the others with the publisher's origin, never back to the publisher", async () => {
      const a = await open();
      const b = await open();
      const c = await open();
      expect(new Set([a.relay.id, b.relay.id, c.relay.id]).size).toBe(3);
      await a.relay.publish("room-1", "hello");
      expect(await b.waitFor("hello")).toEqual({
        roomId: "room-1",
        data: "hello",
        origin: a.relay.id,
      });
      expect(await c.waitFor("hello")).toMatchObject({ origin: a.relay.id });
      // B answers only after it heard A, so A would have heard its own frame first.
      await b.relay.publish("room-1", "reply");
      await a.waitFor("reply");
      expect(a.received.map((r) => r.data)).toEqual(["reply"]);
    });

    it("carries room ids and data exactly, in the publisher's order", async () => {
      const a = await open();
      const b = await open();
      const frames = Array.from({ length: 20 }, (_, i) =>
        JSON.stringify({
          type: "message",
          i,
          text: `ünïcødé 🎉 "quoted" \n ${"x".repeat(i * 50)}`,
        }),
      );
      for (const [i, data] of frames.entries()) await a.relay.publish(`room-${i % 3}`, data);
      await b.waitFor(frames.at(-1) ?? "");
      expect(b.received.map((r) => r.data)).toEqual(frames);
      expect(b.received.map((r) => r.roomId)).toEqual(frames.map((_, i) => `room-${i % 3}`));
    });

    it("stops delivering to a closed relay, and a closed relay refuses to publish", async () => {
      const a = await open();
      const b = await open();
      const c = await open();
      await b.relay.close();
      await a.relay.publish("r", "after close");
      await c.waitFor("after close");
      await a.relay.publish("r", "sync");
      await c.waitFor("sync");
      expect(b.received).toEqual([]);
      await expect(b.relay.publish("r", "x")).rejects.toThrow();
    });

    it("ignores malformed envelopes on the channel and keeps delivering", async () => {
      const a = await open();
      const b = await open();
      for (const junk of [
        "not json",
        "null",
        "42",
        "[]",
        JSON.stringify({ origin: "x", roomId: "r" }),
        JSON.stringify({ origin: 1, roomId: "r", data: "d" }),
        JSON.stringify({ origin: "x", roomId: null, data: "d" }),
      ]) {
        await world.injectRaw(junk);
      }
      await a.relay.publish("r", "still fine");
      expect(await b.waitFor("still fine")).toMatchObject({ origin: a.relay.id });
      expect(b.received).toHaveLength(1);
    });

    it("keeps delivering when a subscriber's handler throws", async () => {
      const a = await open();
      const b = await world.open();
      opened.push(b);
      await b.subscribe(() => {
        throw new Error("handler bug");
      });
      const seen = await listen(b);
      await a.relay.publish("r", "one");
      await a.relay.publish("r", "two");
      await seen.waitFor("two");
      expect(seen.received.map((r) => r.data)).toEqual(["one", "two"]);
    });
  });
}
