import { afterAll, describe, expect, it } from "vitest";
import { subscribeTo } from "../helpers/asking";
import { connect, type Frame, getPage, signUp, type TestSocket } from "../helpers/clients";
import { closeAll, createRoom, framesWhere, joinAs, userIdOf } from "../helpers/integration-extra";
import { onlineSeen, presenceChanges, presenceOf } from "../helpers/presence";
import { type RunningServer, startServer } from "../helpers/server";

// Issue 16: connecting N users to a room cost every member one presence
// frame per arrival (N^2/2 in all). Presence now goes out in ticks: at most
// one frame per socket per tick, carrying every change of the tick.

const servers: RunningServer[] = [];
const sockets: TestSocket[] = [];
afterAll(async () => {
  await closeAll(sockets);
  for (const server of servers) await server.stop();
});

const isPresence = (f: Frame) => f.type === "presence_batch" || f.type === "presence";

describe("batched presence (issue 16)", () => {
  it("N connects cost each member O(1) presence frames, and all end with the right online set", async () => {
    const TICK_MS = 1_000;
    const N = 24;
    const server = await startServer({ env: { PARLEY_PRESENCE_TICK_MS: String(TICK_MS) } });
    servers.push(server);
    const room = createRoom(server.dataDir);
    const watcher = await joinAs(server.url, [room.slug]);
    sockets.push(watcher.socket);
    const users = await Promise.all(
      Array.from({ length: N }, async () => {
        const user = await signUp(server.url);
        await getPage(server.url, `/r/${room.slug}`, user.cookie);
        return user;
      }),
    );
    await subscribeTo(watcher.socket, room.id);
    const before = framesWhere(watcher.socket, isPresence).length;

    const started = performance.now();
    const members = await Promise.all(
      users.map(async (user) => {
        const socket = await connect(server.url, user.cookie);
        sockets.push(socket);
        await subscribeTo(socket, room.id);
        return socket;
      }),
    );
    const connectMs = performance.now() - started;
    const everyone = new Set([watcher.userId, ...members.map(userIdOf)]);
    const all = [watcher.socket, ...members];
    // Every member, early or late, converges on everyone online.
    await expect
      .poll(() => all.filter((s) => onlineSeen(s, room.id).size === everyone.size).length, {
        timeout: 15_000,
        interval: 100,
      })
      .toBe(all.length);
    for (const socket of all) expect(onlineSeen(socket, room.id)).toEqual(everyone);

    const perSocket = all.map((s, i) => framesWhere(s, isPresence).length - (i === 0 ? before : 0));
    const most = Math.max(...perSocket);
    const watcherFrames = perSocket[0] ?? 0;
    console.log(
      `presence batch: ${N} connects in ${Math.round(connectMs)} ms (tick ${TICK_MS} ms): ` +
        `the watcher got ${watcherFrames} presence frames, the most any member got ${most} ` +
        `(unbatched: one per arrival and one per subscribe, ${2 * N})`,
    );
    // Bounded by the ticks the connects spanned, not by N.
    const ticks = Math.ceil(connectMs / TICK_MS) + 2;
    expect(watcherFrames).toBeLessThanOrEqual(ticks);
    expect(watcherFrames).toBeLessThan(N);
    expect(most).toBeLessThanOrEqual(ticks);
    // One batch carries many arrivals: the changes outnumber the frames.
    const changes = framesWhere(watcher.socket, isPresence)
      .slice(before)
      .reduce((n, f) => n + presenceChanges(f).length, 0);
    expect(changes).toBeGreaterThan(watcherFrames);
  }, 60_000);

  it("a user who came and went within one tick is not announced", async () => {
    const TICK_MS = 4_000;
    const server = await startServer({ env: { PARLEY_PRESENCE_TICK_MS: String(TICK_MS) } });
    servers.push(server);
    const room = createRoom(server.dataDir);
    const watcher = await joinAs(server.url, [room.slug]);
    sockets.push(watcher.socket);
    const [flake, sentinel] = await Promise.all(
      [0, 1].map(async () => {
        const user = await signUp(server.url);
        await getPage(server.url, `/r/${room.slug}`, user.cookie);
        return user;
      }),
    );
    if (!flake || !sentinel) throw new Error("no users");
    // The watcher's own arrival opened a tick; its batch (which tells the
    // watcher about itself) ends it, so the flake opens a fresh one.
    await watcher.socket.next(presenceOf(watcher.userId, true), TICK_MS + 5_000);
    const blink = await connect(server.url, flake.cookie);
    const flakeId = userIdOf(blink);
    blink.close();
    await blink.closed;
    const stays = await connect(server.url, sentinel.cookie);
    sockets.push(stays);
    const sentinelId = userIdOf(stays);
    // The sentinel's arrival ends the same tick: by then the flake's would be there too.
    await watcher.socket.next(presenceOf(sentinelId, true), TICK_MS + 5_000);
    expect(framesWhere(watcher.socket, presenceOf(flakeId))).toEqual([]);
  }, 30_000);
});
