import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type Frame, signUp } from "../helpers/clients";
import { closeAll, createRoom, framesWhere, joinAs } from "../helpers/integration-extra";
import { changeAbout, presenceOf } from "../helpers/presence";
import { RawWebSocket } from "../helpers/raw-ws";
import { type RunningServer, startServer } from "../helpers/server";

// Issue 18, F-11: connect/close churn was not rate limited, and each
// presence change went out once per shared room (20 shared rooms, 50
// cycles: 2,000 frames to one victim).

describe("presence under churn (F-11)", () => {
  let server: RunningServer;
  beforeAll(async () => {
    // Each cycle waits for its frames, one tick each: a short tick keeps it quick.
    server = await startServer({ env: { PARLEY_PRESENCE_TICK_MS: "20" } });
  });
  afterAll(() => server?.stop());

  it("a user sharing 20 rooms with the victim reaches them once per change, not once per room", async () => {
    const slugs = ["general"];
    for (let i = 0; i < 19; i++) slugs.push(createRoom(server.dataDir).slug);
    const victim = await joinAs(server.url, slugs);
    const attacker = await joinAs(server.url, slugs);
    const count = () => framesWhere(victim.socket, presenceOf(attacker.userId)).length;
    // Closed within the tick of its arrival it would not be announced at
    // all (issue 16): let the arrival go out first.
    await victim.socket.next(presenceOf(attacker.userId, true));
    await closeAll([attacker.socket]);
    await victim.socket.next(presenceOf(attacker.userId, false));
    const before = count();
    const cycles = 50;
    const perConnect: number[] = [];
    const started = performance.now();
    for (let i = 0; i < cycles; i++) {
      const at = count();
      const socket = await connect(server.url, attacker.cookie);
      // Its "online" is written before `ready`'s work ends; wait for it.
      await victim.socket.next(() => count() > at);
      const online = count();
      perConnect.push(online - at);
      socket.close();
      await socket.closed;
      await victim.socket.next(() => count() > online);
    }
    const ms = Math.round(performance.now() - started);
    const frames = count() - before;
    console.log(
      `churn: ${cycles} connect/close cycles over 20 shared rooms in ${ms} ms: ${frames} presence frames to the victim`,
    );
    expect(perConnect.every((n) => n === 1)).toBe(true);
    expect(frames).toBe(2 * cycles);
    // Each says who and which way, and names the 20 shared rooms once.
    const last = framesWhere(victim.socket, presenceOf(attacker.userId)).at(-1);
    expect(last?.type).toBe("presence_batch");
    expect(changeAbout(last as Frame, attacker.userId)).toEqual({
      // The user as members see them (with their handle).
      user: expect.objectContaining({ id: attacker.userId, name: attacker.name }),
      online: false,
      rooms: expect.arrayContaining([expect.any(String)]),
    });
    expect(changeAbout(last as Frame, attacker.userId)?.rooms).toHaveLength(20);
    victim.socket.close();
  });
});

describe("upgrade rate limits (F-11)", () => {
  const PER_USER = 4;
  const PER_IP = 12;
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({
      env: {
        PARLEY_USER_CONNECTS_PER_MINUTE: String(PER_USER),
        PARLEY_IP_CONNECTS_PER_MINUTE: String(PER_IP),
      },
    });
  });
  afterAll(() => server?.stop());

  const upgrade = (headers: Record<string, string>) =>
    RawWebSocket.open(server.url, { origin: server.url, ...headers });

  it("a user gets a minute's budget of upgrades, then 429 with Retry-After; others are not affected", async () => {
    const eve = await signUp(server.url);
    const ann = await signUp(server.url);
    for (let i = 0; i < PER_USER; i++) {
      const socket = await connect(server.url, eve.cookie);
      socket.close();
      await socket.closed;
    }
    const refused = await upgrade({ cookie: eve.cookie });
    expect(refused.handshake.status).toBe(429);
    // One upgrade every 60 / PER_USER seconds refills the budget.
    const retryAfter = Number(refused.handshake.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60 / PER_USER);
    refused.destroy();
    // Another user from the same address still connects.
    const other = await connect(server.url, ann.cookie);
    other.close();
    await other.closed;
  });

  it("an address gets a minute's budget of upgrades, signed in or not, then 429", async () => {
    const zed = await signUp(server.url);
    // The first test spent PER_USER + 2 of this address's budget.
    const statuses: number[] = [];
    for (let i = 0; i < PER_IP; i++) {
      const attempt = await upgrade({});
      statuses.push(attempt.handshake.status);
      attempt.destroy();
      if (attempt.handshake.status === 429) {
        expect(Number(attempt.handshake.headers["retry-after"])).toBeGreaterThanOrEqual(1);
        break;
      }
    }
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.slice(0, -1).every((s) => s === 401)).toBe(true);
    // The address's budget covers signed-in users too.
    const signedIn = await upgrade({ cookie: zed.cookie });
    expect(signedIn.handshake.status).toBe(429);
    signedIn.destroy();
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/parley_upgrades_refused_total\{reason="connect_rate"\} [1-9]/);
  });
});
