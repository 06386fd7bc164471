import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type Frame, getPage, signUp, type TestSocket } from "../helpers/clients";
import { closeAll, joinAs, type Member } from "../helpers/integration-extra";
import type { RunningServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";
import { postgresAvailable, redisAvailable, testDatabase } from "../helpers/services";
import { startTwoInstances, stopTwoInstances } from "../helpers/two-instances";

const ready = (await postgresAvailable()) && (await redisAvailable());
const testDb = testDatabase();

async function answerOf(socket: TestSocket, frame: object): Promise<Frame> {
  const ref = randomUUID().slice(0, 12);
  socket.send({ ...frame, ref });
  return socket.next((f) => (f.type === "ok" || f.type === "error") && f.ref === ref);
}

// Issue 14: a room's settings change on one instance reaches its members on another.
describe.runIf(ready)("room settings across instances (PostgreSQL + Redis)", () => {
  let one: RunningServer;
  let two: RunningServer;
  let owner: Member;

  beforeAll(async () => {
    [one, two] = await startTwoInstances(testDb);
    // The first sign-up is the owner; the rooms' moderator below is someone else.
    owner = await joinAs(one.url);
  });

  afterAll(async () => {
    await closeAll([owner?.socket].filter((s) => s !== undefined));
    await stopTwoInstances(testDb, [one, two]);
  });

  it("a rename on instance 1 reaches a member's socket on instance 2 as room_updated", async () => {
    const creator = await signUp(one.url);
    const created = await callServerFn<{ ok: boolean; room?: { slug: string; id: string } }>(
      one.url,
      "createRoomFn",
      { name: `pg-settings-${Date.now() % 100000}` },
      { cookie: creator.cookie },
    );
    const room = created.ok ? created.result.room : undefined;
    expect(room).toBeDefined();
    const roomId = room?.id ?? "";
    const member = await signUp(two.url);
    expect((await getPage(two.url, `/r/${room?.slug}`, member.cookie)).status).toBe(200);
    const onOne = await connect(one.url, creator.cookie);
    const onTwo = await connect(two.url, member.cookie);
    // The member on instance 2 may not change the settings.
    const refused = await answerOf(onTwo, { type: "room_settings", roomId, topic: "mine" });
    expect(refused).toMatchObject({ type: "error", code: "forbidden" });

    const name = `Cluster ${randomUUID().slice(0, 6)}`;
    const started = Date.now();
    const answer = await answerOf(onOne, {
      type: "room_settings",
      roomId,
      name,
      topic: "Across instances",
      announcementOnly: true,
    });
    expect(answer.type).toBe("ok");
    const frame = await onTwo.next(
      (f) =>
        f.type === "room_updated" &&
        (f.room as { id: string }).id === roomId &&
        (f.room as { name: string }).name === name,
    );
    const took = Date.now() - started;
    console.log(`room settings: room_updated reached instance 2 in ${took} ms`);
    expect(frame.room).toMatchObject({
      id: roomId,
      name,
      slug: name.toLowerCase().replace(/ /g, "-"),
      topic: "Across instances",
      announcementOnly: true,
      archived: false,
    });
    expect(took).toBeLessThan(1_000);
    // And the member on instance 2 is now refused a post there.
    const clientId = randomUUID();
    onTwo.send({ type: "send", roomId, clientId, text: "may I?" });
    const post = await onTwo.next(
      (f) => (f.type === "ack" || f.type === "error") && f.clientId === clientId,
    );
    expect(post.type).toBe("error");
    await closeAll([onOne, onTwo]);
  });
});
