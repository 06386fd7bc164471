import { describe, expect, it } from "vitest";
import { Hub, type Sink } from "../../src/core/hub";
import { UserSockets } from "../../src/core/presence";

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

describe("UserSockets", () => {
  it("counts several sockets of one user once", () => {
    const sockets = new UserSockets<string>();
    expect(sockets.add("u1", "tab1")).toBe(true);
    expect(sockets.add("u1", "tab2")).toBe(false);
    expect([...sockets.socketsOf("u1")]).toEqual(["tab1", "tab2"]);
    expect(sockets.remove("u1", "tab1")).toBe(false);
    expect(sockets.isOnline("u1")).toBe(true);
    expect(sockets.remove("u1", "tab2")).toBe(true);
    expect(sockets.isOnline("u1")).toBe(false);
    expect([...sockets.socketsOf("u1")]).toEqual([]);
  });

  it("ignores a socket it never saw", () => {
    const sockets = new UserSockets<string>();
    sockets.add("u1", "tab1");
    expect(sockets.remove("u1", "stranger")).toBe(false);
    expect(sockets.isOnline("u1")).toBe(true);
    expect(sockets.remove("ghost", "x")).toBe(true);
  });
});

describe("Hub slow consumers", () => {
  it("drops a sink whose queue passed the high-water mark and tells the owner", () => {
    const slow: string[] = [];
    const hub = new Hub<Sink & { got: string[]; bufferedAmount: number }>(
      (s) => slow.push(s.got.join()),
      100,
    );
    const fast = { ...sink(), bufferedAmount: 0 };
    const stuck = { ...sink(), bufferedAmount: 101 };
    hub.subscribe(fast, "r");
    hub.subscribe(stuck, "r");
    expect(hub.publish("r", "x")).toBe(1);
    expect(fast.got).toEqual(["x"]);
    expect(stuck.got).toEqual([]);
    expect(slow).toHaveLength(1);
    expect(hub.isSubscribed(stuck, "r")).toBe(false);
  });
});

describe("Hub.publishToRooms", () => {
  it("writes once to each sink in any of the rooms, except the sender", () => {
    const hub = new Hub();
    const [a, b, c, d] = [sink(), sink(), sink(), sink()];
    for (const room of ["r1", "r2", "r3"]) {
      hub.subscribe(a, room);
      hub.subscribe(b, room);
    }
    hub.subscribe(c, "r3");
    hub.subscribe(d, "elsewhere");
    expect(hub.publishToRooms(["r1", "r2", "r3", "none"], "p", a)).toBe(2);
    expect(a.got).toEqual([]);
    expect(b.got).toEqual(["p"]);
    expect(c.got).toEqual(["p"]);
    expect(d.got).toEqual([]);
    expect(hub.publishToRooms([], "p")).toBe(0);
  });

  it("drops a slow sink once, however many of the rooms it is in", () => {
    const slow: unknown[] = [];
    const hub = new Hub<Sink & { got: string[]; bufferedAmount: number }>((s) => slow.push(s), 100);
    const stuck = { ...sink(), bufferedAmount: 101 };
    const fast = { ...sink(), bufferedAmount: 0 };
    for (const room of ["r1", "r2"]) {
      hub.subscribe(stuck, room);
      hub.subscribe(fast, room);
    }
    expect(hub.publishToRooms(["r1", "r2"], "x")).toBe(1);
    expect(slow).toEqual([stuck]);
    expect(fast.got).toEqual(["x"]);
    expect(hub.isSubscribed(stuck, "r2")).toBe(false);
  });
});

describe("Hub.unsubscribe", () => {
  it("stops one room only", () => {
    const hub = new Hub();
    const a = sink();
    hub.subscribe(a, "r1");
    hub.subscribe(a, "r2");
    hub.unsubscribe(a, "r1");
    hub.publish("r1", "x");
    hub.publish("r2", "y");
    expect(a.got).toEqual(["y"]);
    expect(hub.drop(a)).toEqual(["r2"]);
  });
});

describe("Hub bookkeeping", () => {
  it("tracks one room, then several, per sink through subscribe, unsubscribe and drop", () => {
    const hub = new Hub();
    const a = sink();
    hub.subscribe(a, "r1");
    hub.subscribe(a, "r1");
    expect(hub.drop(a)).toEqual(["r1"]);
    hub.subscribe(a, "r1");
    hub.subscribe(a, "r2");
    hub.unsubscribe(a, "r2");
    hub.unsubscribe(a, "r1");
    expect(hub.drop(a)).toEqual([]);
    hub.subscribe(a, "r3");
    hub.unsubscribe(a, "r3");
    expect(hub.drop(a)).toEqual([]);
    expect(hub.publish("r3", "x")).toBe(0);
  });
});
