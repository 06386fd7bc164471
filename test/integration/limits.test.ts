import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type TestSocket, upgradeStatus } from "../helpers/clients";
import { joinAs, roomIdFromReady, sendAndAck, settle } from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";

// Abuse limits (issue 4): frame rate, connection caps, revocation.
let server: RunningServer;
beforeAll(async () => {
  server = await startServer({
    env: {
      PARLEY_RATE_PER_SECOND: "5",
      PARLEY_RATE_BURST: "5",
      PARLEY_MAX_SOCKETS_PER_USER: "3",
      PARLEY_MAX_SOCKETS_PER_IP: "8",
    },
  });
});
afterAll(() => server?.stop());

const flood = (socket: TestSocket, roomId: string, count: number, tag: string) => {
  for (let i = 0; i < count; i++) {
    socket.send({ type: "send", roomId, clientId: `${tag}-${i}`, text: `flood ${i}` });
  }
};

describe("limits", () => {
  it("answers frames over the rate with rate_limited and a retry time, others unaffected", async () => {
    const eve = await joinAs(server.url);
    const ann = await joinAs(server.url);
    const roomId = roomIdFromReady(eve.socket, "general");
    flood(eve.socket, roomId, 12, "burst");
    const limited = await eve.socket.next((f) => f.type === "error" && f.code === "rate_limited");
    expect(limited.retryAfterMs).toBeGreaterThan(0);
    expect(limited.clientId).toMatch(/^burst-/);
    const acks = eve.socket.frames.filter((f) => f.type === "ack");
    expect(acks.length).toBeLessThanOrEqual(6);
    // Another user's sends go through at once.
    const started = performance.now();
    await sendAndAck(ann.socket, roomId, "not throttled");
    expect(performance.now() - started).toBeLessThan(1_000);
    // And after waiting, Eve may send again.
    await settle(1_100);
    await sendAndAck(eve.socket, roomId, "after the pause");
    eve.socket.close();
    ann.socket.close();
  });

  it("charges a fetch (a replay) more tokens than a plain frame", async () => {
    // The budget is 5 tokens, refilled at 5 a second; a fetch costs 5.
    const eve = await joinAs(server.url);
    const roomId = roomIdFromReady(eve.socket, "general");
    for (let i = 0; i < 3; i++) eve.socket.send({ type: "typing", roomId });
    await settle(300);
    expect(eve.socket.frames.some((f) => f.type === "error")).toBe(false);
    await settle(1_100); // full again
    eve.socket.send({ type: "fetch", roomId, afterSeq: 0 });
    eve.socket.send({ type: "fetch", roomId, afterSeq: 0 });
    const limited = await eve.socket.next((f) => f.type === "error" && f.code === "rate_limited");
    expect(limited.retryAfterMs).toBeGreaterThan(500);
    expect(eve.socket.frames.filter((f) => f.type === "history" && f.done)).toHaveLength(1);
    eve.socket.close();
  });

  it("shares one budget across a user's connections", async () => {
    const eve = await joinAs(server.url);
    const second = await connect(server.url, eve.cookie);
    const roomId = roomIdFromReady(eve.socket, "general");
    flood(eve.socket, roomId, 4, "a");
    flood(second, roomId, 4, "b");
    await settle(300);
    const all = [...eve.socket.frames, ...second.frames];
    expect(all.filter((f) => f.type === "ack").length).toBeLessThanOrEqual(6);
    expect(all.some((f) => f.type === "error" && f.code === "rate_limited")).toBe(true);
    eve.socket.close();
    second.close();
  });

  it("closes a connection that keeps flooding with 1008", async () => {
    const eve = await joinAs(server.url);
    const roomId = roomIdFromReady(eve.socket, "general");
    flood(eve.socket, roomId, 80, "abuse");
    expect((await eve.socket.closed).code).toBe(1008);
  });

  it("refuses the connection over the per-user cap with 429, and frees a slot on close", async () => {
    const eve = await joinAs(server.url);
    const more = [await connect(server.url, eve.cookie), await connect(server.url, eve.cookie)];
    const headers = { cookie: eve.cookie, origin: server.url };
    expect(await upgradeStatus(server.url, headers)).toBe(429);
    more[0]?.close();
    await more[0]?.closed;
    await settle(100);
    expect(await upgradeStatus(server.url, headers)).toBe(101);
    eve.socket.close();
    more[1]?.close();
  });

  it("closes a session's sockets within 1 s of signing out", async () => {
    const eve = await joinAs(server.url);
    const other = await connect(server.url, eve.cookie);
    const bob = await joinAs(server.url);
    const started = performance.now();
    const response = await fetch(`${server.url}/api/auth/sign-out`, {
      method: "POST",
      headers: { cookie: eve.cookie, origin: server.url, "content-type": "application/json" },
      body: "{}",
    });
    expect(response.ok).toBe(true);
    const closes = await Promise.all([eve.socket.closed, other.closed]);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(closes.map((c) => c.code)).toEqual([4001, 4001]);
    // Other people's sockets stay.
    await sendAndAck(bob.socket, roomIdFromReady(bob.socket, "general"), "still here");
    bob.socket.close();
  });
});
