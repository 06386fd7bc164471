import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, getPage, signUp, type TestSocket } from "../helpers/clients";
import {
  closeAll,
  createRoom,
  framesWhere,
  joinAs,
  type Member,
  settle,
  startServeLike,
  userIdOf,
  waitForCount,
} from "../helpers/integration-extra";
import { changeAbout, presenceOf } from "../helpers/presence";
import type { RunningServer } from "../helpers/server";

let server: RunningServer;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  server = await startServeLike();
});
afterAll(async () => {
  await closeAll(sockets);
  await server?.stop();
});

describe("presence", () => {
  it("announces a user's first socket and last close once to the others, in a tick's batch", async () => {
    const room = createRoom(server.dataDir);
    const watcher: Member = await joinAs(server.url, ["general", room.slug]);
    // Every page joins the default room, so an outsider (in no room B is
    // in) is one who never opened a page: signed up, socket only.
    const outsiderUser = await signUp(server.url);
    const outsider = { socket: await connect(server.url, outsiderUser.cookie) };
    sockets.push(watcher.socket, outsider.socket);

    const b = await signUp(server.url);
    await getPage(server.url, "/r/general", b.cookie);
    const first = await connect(server.url, b.cookie);
    sockets.push(first);
    const bId = userIdOf(first);

    const online = await watcher.socket.next(presenceOf(bId, true));
    expect(online.type).toBe("presence_batch");
    // The rooms named are the ones the watcher shares with B: general only.
    expect(changeAbout(online, bId)).toEqual({
      user: expect.objectContaining({ id: bId, name: b.name }),
      online: true,
      rooms: [expect.any(String)],
    });

    const second = await connect(server.url, b.cookie);
    sockets.push(second);
    await settle(300);
    expect(framesWhere(watcher.socket, presenceOf(bId))).toHaveLength(1);
    // The outsider shares no room with B, so hears nothing about B.
    expect(framesWhere(outsider.socket, presenceOf(bId))).toEqual([]);
    // Its own sockets may hear it in the tick's one batch (never as "offline").
    expect(framesWhere(first, presenceOf(bId, false))).toEqual([]);
    expect(framesWhere(second, presenceOf(bId, false))).toEqual([]);

    first.close();
    await first.closed;
    await settle(300);
    expect(framesWhere(watcher.socket, presenceOf(bId, false))).toEqual([]);

    second.close();
    await second.closed;
    const offline = await watcher.socket.next(presenceOf(bId, false));
    expect(changeAbout(offline, bId)).toEqual({
      user: expect.objectContaining({ id: bId, name: b.name }),
      online: false,
      rooms: [expect.any(String)],
    });
    await settle(100);
    expect(framesWhere(watcher.socket, presenceOf(bId))).toHaveLength(2);
    expect(framesWhere(outsider.socket, presenceOf(bId))).toEqual([]);
  });

  it("a user back online after going offline is announced again", async () => {
    const watcher = await joinAs(server.url);
    sockets.push(watcher.socket);
    const c = await signUp(server.url);
    await getPage(server.url, "/r/general", c.cookie);

    const once = await connect(server.url, c.cookie);
    const cId = userIdOf(once);
    await watcher.socket.next(presenceOf(cId, true));
    once.close();
    await watcher.socket.next(presenceOf(cId, false));

    const twice = await connect(server.url, c.cookie);
    sockets.push(twice);
    await waitForCount(watcher.socket, presenceOf(cId, true), 2);
    expect(
      framesWhere(watcher.socket, presenceOf(cId)).map((f) => changeAbout(f, cId)?.online),
    ).toEqual([true, false, true]);
  });
});
