import { describe, expect, it } from "vitest";
import { createAdmission } from "../../src/server/ws/admission.server";

const limits = {
  ratePerSecond: 10,
  rateBurst: 20,
  socketsPerUser: 2,
  socketsPerIp: 3,
  connectsPerMinutePerUser: 3,
  connectsPerMinutePerIp: 6,
  pendingConnects: 2,
  shedLagMs: 300,
};

describe("socket slots", () => {
  it("a held slot counts toward both caps until released", () => {
    const admission = createAdmission(limits);
    const a = admission.hold("u1", "1.2.3.4");
    admission.hold("u1", "1.2.3.4");
    expect(admission.refusal("u1", "1.2.3.4")).toMatch(/this user/);
    admission.hold("u2", "1.2.3.4");
    expect(admission.refusal("u3", "1.2.3.4")).toMatch(/this address/);
    a();
    expect(admission.refusal("u1", "1.2.3.4")).toBeNull();
  });

  it("releasing twice (TCP close, then the close hook) frees one slot", () => {
    const admission = createAdmission(limits);
    const a = admission.hold("u1", "ip");
    admission.hold("u1", "ip");
    a();
    a();
    expect(admission.held()).toEqual({ users: 1, ips: 1, sockets: 1 });
    expect(admission.refusal("u1", "ip")).toBeNull();
  });

  it("forgets users and addresses with no slot left", () => {
    const admission = createAdmission(limits);
    const releases = [admission.hold("u1", "a"), admission.hold("u2", "b")];
    for (const release of releases) release();
    expect(admission.held()).toEqual({ users: 0, ips: 0, sockets: 0 });
  });
});

describe("connect budgets", () => {
  it("allows a minute's worth at once, then one per 60/N seconds, per user and per IP apart", () => {
    let clock = 1_000_000;
    const admission = createAdmission(limits, () => clock);
    for (let i = 0; i < 3; i++) expect(admission.connectWait("user", "u1")).toBe(0);
    const wait = admission.connectWait("user", "u1");
    // 3 a minute: one every 20 s.
    expect(wait).toBeGreaterThan(19_000);
    expect(wait).toBeLessThanOrEqual(20_000);
    // Another user, and the IP budget, are their own.
    expect(admission.connectWait("user", "u2")).toBe(0);
    for (let i = 0; i < 6; i++) expect(admission.connectWait("ip", "u1")).toBe(0);
    expect(admission.connectWait("ip", "u1")).toBeGreaterThan(0);
    clock += wait;
    expect(admission.connectWait("user", "u1")).toBe(0);
    expect(admission.connectWait("user", "u1")).toBeGreaterThan(0);
  });

  it("forgets budgets that have refilled, so many addresses do not pile up", () => {
    let clock = 0;
    const admission = createAdmission(limits, () => clock);
    for (let i = 0; i < 100; i++) admission.connectWait("ip", `10.0.0.${i}`);
    expect(admission.connectBuckets()).toBe(100);
    clock += 61_000;
    admission.connectWait("ip", "10.0.1.1");
    expect(admission.connectBuckets()).toBe(1);
  });

  it("keeps a budget that is still spent across a sweep", () => {
    let clock = 0;
    const admission = createAdmission(limits, () => clock);
    clock = 50_000;
    for (let i = 0; i < 3; i++) admission.connectWait("user", "u1");
    clock = 61_000; // a sweep runs: u1 has refilled about half a token
    admission.connectWait("user", "other");
    expect(admission.connectBuckets()).toBe(2);
    expect(admission.connectWait("user", "u1")).toBeGreaterThan(0);
  });
});

describe("connects being set up (PARLEY_MAX_PENDING_CONNECTS)", () => {
  it("gives places up to the cap, none past it, and one again after a release", () => {
    const admission = createAdmission(limits);
    const first = admission.enterConnect();
    const second = admission.enterConnect();
    expect(first).toBeTypeOf("function");
    expect(second).toBeTypeOf("function");
    expect(admission.enterConnect()).toBeUndefined();
    expect(admission.pendingConnects()).toBe(2);
    first?.();
    expect(admission.pendingConnects()).toBe(1);
    expect(admission.enterConnect()).toBeTypeOf("function");
  });

  it("a place released twice (ready, then the TCP close) frees one", () => {
    const admission = createAdmission(limits);
    const first = admission.enterConnect();
    admission.enterConnect();
    first?.();
    first?.();
    expect(admission.pendingConnects()).toBe(1);
  });
});

describe("shedding by event-loop lag (PARLEY_SHED_LAG_MS)", () => {
  it("refuses a connect while the loop is further behind than the mark, and only then", () => {
    const admission = createAdmission(limits);
    expect(admission.enterConnect(301)).toBeUndefined();
    expect(admission.pendingConnects()).toBe(0);
    const place = admission.enterConnect(300);
    expect(place).toBeTypeOf("function");
    place?.();
    expect(admission.enterConnect(0)).toBeTypeOf("function");
  });
});
