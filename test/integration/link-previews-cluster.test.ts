import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WireMessage } from "../../src/protocol/frames";
import {
  closeAll,
  joinAs,
  type Member,
  roomIdFromReady,
  sendAndAck,
  startServeLike,
} from "../helpers/integration-extra";
import { html, startSite, type TestSite } from "../helpers/preview-site";
import type { RunningServer } from "../helpers/server";
import {
  postgresAvailable,
  redisAvailable,
  TEST_REDIS_URL,
  testDatabase,
} from "../helpers/services";

const ready = (await postgresAvailable()) && (await redisAvailable());

// A preview made by the instance that stored the message (on PostgreSQL)
// reaches a member on another instance through the Redis relay, fetched once.
const testDb = testDatabase();

describe.runIf(ready)("link previews across instances (PostgreSQL + Redis)", () => {
  let site: TestSite;
  let one: RunningServer;
  let two: RunningServer;
  let ann: Member;
  let bob: Member;
  let general: string;

  beforeAll(async () => {
    site = await startSite();
    site.route("/across", html(`<meta property="og:title" content="Across instances">`));
    await testDb.create();
    const env = {
      DATABASE_URL: testDb.url,
      REDIS_URL: TEST_REDIS_URL,
      PARLEY_LINK_PREVIEW_ALLOW_HOSTS: `127.0.0.1:${site.port}`,
    };
    [one, two] = await Promise.all([startServeLike({ env }), startServeLike({ env })]);
    ann = await joinAs(one.url);
    bob = await joinAs(two.url);
    general = roomIdFromReady(ann.socket, "general");
    for (const socket of [ann.socket, bob.socket]) {
      socket.send({ type: "subscribe", roomId: general });
      await socket.next((f) => f.type === "subscribed" && f.roomId === general);
    }
  });

  afterAll(async () => {
    await closeAll([ann?.socket, bob?.socket].filter((s) => s !== undefined));
    await Promise.all([one?.stop(), two?.stop()]);
    await testDb.drop();
    await site?.close();
  });

  it("a member on the other instance gets the preview live", async () => {
    const message = await sendAndAck(ann.socket, general, `${site.url}/across`);
    const got = await bob.socket.next(
      (f) =>
        f.type === "updated" &&
        (f.message as WireMessage).id === message.id &&
        (f.message as WireMessage).preview !== undefined,
      10_000,
    );
    expect((got.message as WireMessage).preview).toEqual({
      url: `${site.url}/across`,
      title: "Across instances",
    });
    expect(site.hits.filter((path) => path === "/across")).toHaveLength(1);
  });
});
