import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type Frame, getPage, signUp, type TestSocket } from "../helpers/clients";
import { closeAll, sendAndAck, userIdOf, type WireMessage } from "../helpers/integration-extra";
import type { RunningServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";
import { postgresAvailable, redisAvailable, testDatabase } from "../helpers/services";
import { startTwoInstances, stopTwoInstances } from "../helpers/two-instances";

const ready = (await postgresAvailable()) && (await redisAvailable());
const testDb = testDatabase();

/** Sends a frame with a fresh ref and resolves with its ok or error. */
async function answerOf(socket: TestSocket, frame: object): Promise<Frame> {
  const ref = randomUUID().slice(0, 12);
  socket.send({ ...frame, ref });
  return socket.next((f) => (f.type === "ok" || f.type === "error") && f.ref === ref);
}

async function subscribe(socket: TestSocket, roomId: string) {
  socket.send({ type: "subscribe", roomId });
  await socket.next((f) => f.type === "subscribed" && f.roomId === roomId);
}

// Issue 14: a moderator's removal on one instance takes effect on the other at once.
describe.runIf(ready)("moderation across instances (PostgreSQL + Redis)", () => {
  let one: RunningServer;
  let two: RunningServer;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    [one, two] = await startTwoInstances(testDb);
    // The first sign-up owns the server: taken here, so the people below are ordinary.
    await signUp(one.url);
  });

  afterAll(async () => {
    await closeAll(sockets);
    await stopTwoInstances(testDb, [one, two]);
  });

  it("a member on instance 2 removed by a moderator on instance 1 gets room_removed and nothing more", async () => {
    // Mo creates the room on instance 1 (its creator: its moderator).
    const mo = await signUp(one.url, { name: `mo-${randomUUID().slice(0, 6)}` });
    const created = await callServerFn<{ ok: boolean; room?: { slug: string; id: string } }>(
      one.url,
      "createRoomFn",
      { name: `pg-moderated-${randomUUID().slice(0, 6)}` },
      { cookie: mo.cookie },
    );
    const room = (created.ok && created.result.room) || undefined;
    if (!room) throw new Error(`room not created: ${JSON.stringify(created)}`);
    expect((await getPage(one.url, `/r/${room.slug}`, mo.cookie)).status).toBe(200);
    const moSocket = await connect(one.url, mo.cookie);
    sockets.push(moSocket);
    await subscribe(moSocket, room.id);

    // Bob joins on instance 2.
    const bob = await signUp(two.url);
    expect((await getPage(two.url, `/r/${room.slug}`, bob.cookie)).status).toBe(200);
    const bobSocket = await connect(two.url, bob.cookie);
    sockets.push(bobSocket);
    await subscribe(bobSocket, room.id);
    const bobId = userIdOf(bobSocket);

    // The relay works between them before the removal.
    const before = await sendAndAck(moSocket, room.id, "before the removal");
    await bobSocket.next(
      (f) => f.type === "message" && (f.message as WireMessage).id === before.id,
    );

    // Both arrival times are taken as the frames come, whichever comes first.
    const start = bobSocket.frames.length;
    const removedAt = bobSocket
      .next((f) => f.type === "room_removed" && bobSocket.frames.indexOf(f) >= start, 5_000)
      .then((frame) => ({ frame, at: performance.now() }));
    const sentAt = performance.now();
    const answer = await answerOf(moSocket, {
      type: "moderate",
      roomId: room.id,
      userId: bobId,
      action: "remove",
    });
    const okAt = performance.now();
    expect(answer.type).toBe("ok");
    const removed = await removedAt;
    expect(removed.frame).toMatchObject({ roomId: room.id, reason: "removed" });
    // Negative when room_removed came first (the other instance's relay can
    // beat the ok back to the moderator's own socket).
    const fromOk = removed.at - okAt;
    const fromSend = removed.at - sentAt;
    console.log(
      `moderation: room_removed on instance 2 at ${fromOk.toFixed(1)} ms from the ok on instance 1, ${fromSend.toFixed(1)} ms from sending the frame`,
    );
    expect(fromSend).toBeLessThan(1_000);
    expect(fromOk).toBeLessThan(1_000);

    // Nothing of the room reaches Bob afterwards: his next answer (a ping)
    // comes after Mo's acked message, and no message of the room came first.
    const after = bobSocket.frames.length;
    const later = await sendAndAck(moSocket, room.id, "not for bob");
    // Another member on instance 2 does get it, so the relay carried it there.
    const carol = await signUp(two.url);
    expect((await getPage(two.url, `/r/${room.slug}`, carol.cookie)).status).toBe(200);
    const carolSocket = await connect(two.url, carol.cookie);
    sockets.push(carolSocket);
    await subscribe(carolSocket, room.id);
    const last = await sendAndAck(moSocket, room.id, "for carol, not bob");
    await carolSocket.next(
      (f) => f.type === "message" && (f.message as WireMessage).id === last.id,
    );
    expect((await answerOf(bobSocket, { type: "ping" })).type).toBe("ok");
    const leaked = bobSocket.frames
      .slice(after)
      .filter(
        (f) =>
          (f.type === "message" && (f.message as WireMessage).id === later.id) ||
          (f.type === "message" && (f.message as WireMessage).id === last.id) ||
          (f.roomId === room.id && f.type !== "room_removed"),
      );
    expect(leaked).toEqual([]);
    // And subscribing again is refused: he is no longer a member.
    const mark = bobSocket.frames.length;
    bobSocket.send({ type: "subscribe", roomId: room.id });
    const again = await bobSocket.next(
      (f) => (f.type === "error" || f.type === "subscribed") && bobSocket.frames.indexOf(f) >= mark,
    );
    expect(again.type).toBe("error");
  });
});
