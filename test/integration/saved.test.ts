import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SavedHit } from "../../src/ports";
import { connect, type Frame, type TestSocket } from "../helpers/clients";
import { createRoom, joinAs, sendAndAck } from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";

// Saved messages (issue 11): private to the user, the same on all of their
// sockets, listed by the Saved page while the user can still see them.
let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

/** Sends a frame with a fresh ref; resolves with its one answer (ok or error). */
async function answerOf(socket: TestSocket, frame: object): Promise<Frame> {
  const ref = randomUUID().slice(0, 12);
  socket.send({ ...frame, ref });
  return socket.next((f) => (f.type === "ok" || f.type === "error") && f.ref === ref);
}

async function savedPage(cookie: string): Promise<SavedHit[]> {
  const answer = await callServerFn<{ saved: SavedHit[] }>(server.url, "savedFn", undefined, {
    cookie,
    method: "GET",
  });
  if (!answer.ok) throw new Error(`savedFn failed: ${JSON.stringify(answer.error)}`);
  return answer.result.saved;
}

async function savedOnConnect(cookie: string): Promise<string[]> {
  const socket = await connect(server.url, cookie);
  socket.close();
  return (socket.frames.find((f) => f.type === "ready")?.saved ?? []) as string[];
}

describe("saved messages", () => {
  it("a save reaches the user's other sockets only, lists on the Saved page, and goes when the room is left", async () => {
    const room = createRoom(server.dataDir);
    const ann = await joinAs(server.url, [room.slug]);
    const bob = await joinAs(server.url, [room.slug]);
    const annOther = await connect(server.url, ann.cookie);
    const message = await sendAndAck(bob.socket, room.id, "worth keeping");

    const answer = await answerOf(ann.socket, {
      type: "save",
      roomId: room.id,
      messageId: message.id,
      saved: true,
    });
    expect(answer.type).toBe("ok");
    const told = { type: "saved", roomId: room.id, messageId: message.id, saved: true };
    for (const socket of [ann.socket, annOther]) {
      expect(await socket.next((f) => f.type === "saved")).toEqual(told);
    }
    expect(bob.socket.frames.some((f) => f.type === "saved")).toBe(false);
    expect(await savedOnConnect(ann.cookie)).toEqual([message.id]);
    expect(await savedOnConnect(bob.cookie)).toEqual([]);
    const [hit, ...rest] = await savedPage(ann.cookie);
    expect(rest).toEqual([]);
    expect(hit).toMatchObject({
      message: { id: message.id, text: "worth keeping", author: { id: bob.userId } },
      room: { id: room.id, slug: room.slug },
    });
    expect(await savedPage(bob.cookie)).toEqual([]);

    // A saved message one can no longer see is not shown.
    expect((await answerOf(ann.socket, { type: "leave", roomId: room.id })).type).toBe("ok");
    expect(await savedPage(ann.cookie)).toEqual([]);
    expect(await savedOnConnect(ann.cookie)).toEqual([]);
  });

  it("unsaves on every socket, and refuses to save a deleted message (not_found)", async () => {
    const room = createRoom(server.dataDir);
    const ann = await joinAs(server.url, [room.slug]);
    const annOther = await connect(server.url, ann.cookie);
    const message = await sendAndAck(ann.socket, room.id, "temporary");
    await answerOf(ann.socket, {
      type: "save",
      roomId: room.id,
      messageId: message.id,
      saved: true,
    });
    await answerOf(annOther, {
      type: "save",
      roomId: room.id,
      messageId: message.id,
      saved: false,
    });
    await ann.socket.next((f) => f.type === "saved" && f.saved === false);
    expect(await savedPage(ann.cookie)).toEqual([]);
    await answerOf(ann.socket, { type: "delete", roomId: room.id, messageId: message.id });
    expect(
      await answerOf(ann.socket, {
        type: "save",
        roomId: room.id,
        messageId: message.id,
        saved: true,
      }),
    ).toMatchObject({ type: "error", code: "not_found", message: "no such message" });
  });
});
