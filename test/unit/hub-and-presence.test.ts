import { describe, expect, it } from "vitest";
import { Hub, type Sink } from "../../src/core/hub";
import { ConnectionCounter } from "../../src/core/presence";

const sink = (): Sink & { got: string[] } => {
  const got: string[] = [];
  return { got, send: (data: string) => got.push(data) };
};

describe("Hub", () => {
  it("publishes to the room's subscribers only, except the sender", () => {
    const hub = new Hub();
    const [a, b, c] = [sink(), sink(), sink()];
    hub.subscribe(a, "r1");
    hub.subscribe(b, "r1");
    hub.subscribe(c, "r2");
    expect(hub.publish("r1", "hello", a)).toBe(1);
    expect(a.got).toEqual([]);
    expect(b.got).toEqual(["hello"]);
    expect(c.got).toEqual([]);
  });

  it("drop removes a sink from every room and reports them", () => {
    const hub = new Hub();
    const a = sink();
    hub.subscribe(a, "r1");
    hub.subscribe(a, "r2");
    expect(hub.drop(a).sort()).toEqual(["r1", "r2"]);
    expect(hub.isSubscribed(a, "r1")).toBe(false);
    expect(hub.publish("r1", "x")).toBe(0);
    expect(a.got).toEqual([]);
  });

  it("subscribing twice delivers once", () => {
    const hub = new Hub();
    const a = sink();
    hub.subscribe(a, "r1");
    hub.subscribe(a, "r1");
    hub.publish("r1", "x");
    expect(a.got).toEqual(["x"]);
  });
});

describe("ConnectionCounter", () => {
  it("counts several sockets of one user once", () => {
    const counter = new ConnectionCounter();
    expect(counter.add("u1")).toBe(true);
    expect(counter.add("u1")).toBe(false);
    expect(counter.remove("u1")).toBe(false);
    expect(counter.isOnline("u1")).toBe(true);
    expect(counter.remove("u1")).toBe(true);
    expect(counter.isOnline("u1")).toBe(false);
  });

  it("treats a stray remove as offline without going negative", () => {
    const counter = new ConnectionCounter();
    expect(counter.remove("ghost")).toBe(true);
    expect(counter.add("ghost")).toBe(true);
  });
});
