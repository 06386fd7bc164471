import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type Frame, type TestSocket } from "../helpers/clients";
import {
  createRoom,
  joinAs,
  nextError,
  openDb,
  sendAndAck,
  settle,
  type WireMessage,
} from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";

// Pins (issue 11): room state, live for every member, replayed on resume.
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

const updatedWith = (id: string, pinned: boolean) => (f: Frame) =>
  f.type === "updated" &&
  (f.message as WireMessage).id === id &&
  ((f.message as WireMessage).pinnedAt !== null) === pinned;

/** A public room both people opened (and so joined), with Bob's message in it. */
async function roomWithMessage() {
  const room = createRoom(server.dataDir);
  const ann = await joinAs(server.url, [room.slug]);
  const bob = await joinAs(server.url, [room.slug]);
  for (const socket of [ann.socket, bob.socket]) {
    socket.send({ type: "subscribe", roomId: room.id });
    await socket.next((f) => f.type === "subscribed" && f.roomId === room.id);
  }
  const message = await sendAndAck(bob.socket, room.id, "pin me");
  return { room, ann, bob, message };
}

describe("pins", () => {
  it("a member pins: every member sees it live, sender included, and the room page lists it", async () => {
    const { room, ann, bob, message } = await roomWithMessage();
    expect(message).toMatchObject({ pinnedAt: null, pinnedBy: null });
    const answer = await answerOf(ann.socket, {
      type: "pin",
      roomId: room.id,
      messageId: message.id,
      pinned: true,
    });
    expect(answer.type).toBe("ok");
    for (const socket of [ann.socket, bob.socket]) {
      const updated = await socket.next(updatedWith(message.id, true));
      expect(updated.message).toMatchObject({ pinnedBy: ann.userId, text: "pin me" });
    }
    const page = await callServerFn<{ pinned: WireMessage[] }>(
      server.url,
      "openRoomFn",
      { slug: room.slug },
      { cookie: bob.cookie, method: "GET" },
    );
    expect(page.ok && page.result.pinned.map((m) => m.id)).toEqual([message.id]);

    await answerOf(bob.socket, {
      type: "pin",
      roomId: room.id,
      messageId: message.id,
      pinned: false,
    });
    await ann.socket.next(updatedWith(message.id, false));
  });

  it("a member away during a pin gets it on resume (replay by revision)", async () => {
    const { room, ann, bob, message } = await roomWithMessage();
    const { lastRev } = (await bob.socket.next(
      (f) => f.type === "subscribed" && f.roomId === room.id,
    )) as unknown as { lastRev: number };
    bob.socket.close();
    await bob.socket.closed;
    await answerOf(ann.socket, {
      type: "pin",
      roomId: room.id,
      messageId: message.id,
      pinned: true,
    });
    const back = await connect(server.url, bob.cookie);
    back.send({ type: "subscribe", roomId: room.id, afterSeq: message.seq, afterRev: lastRev });
    const replay = await back.next(
      (f) =>
        f.type === "history" &&
        (f.messages as WireMessage[]).some((m) => m.id === message.id && m.pinnedAt !== null),
    );
    expect(replay).toBeDefined();
  });

  it("a non-member cannot pin or save in a private room, and nothing leaks or changes", async () => {
    const ann = await joinAs(server.url);
    const eve = await joinAs(server.url);
    const id = randomUUID();
    const db = openDb(server.dataDir);
    db.prepare(
      "INSERT INTO room (id, slug, name, kind, created_at) VALUES (?, ?, ?, 'private', ?)",
    ).run(id, `secret-${id.slice(0, 8)}`, "secret", Date.now());
    db.prepare("INSERT INTO room_member (room_id, user_id, joined_at) VALUES (?, ?, ?)").run(
      id,
      ann.userId,
      Date.now(),
    );
    db.close();
    const message = await sendAndAck(await connect(server.url, ann.cookie), id, "secret plan");
    const answer = await answerOf(eve.socket, {
      type: "pin",
      roomId: id,
      messageId: message.id,
      pinned: true,
    });
    expect(answer).toMatchObject({ type: "error", code: "forbidden" });
    const saving = await answerOf(eve.socket, {
      type: "save",
      roomId: id,
      messageId: message.id,
      saved: true,
    });
    expect(saving).toMatchObject({ type: "error", code: "forbidden" });
    await settle(200);
    expect(eve.socket.frames.some((f) => JSON.stringify(f).includes("secret plan"))).toBe(false);
    expect(pinnedAtOf(message.id)).toBeNull();
    const db2 = openDb(server.dataDir);
    expect(db2.prepare("SELECT * FROM saved_message WHERE user_id = ?").all(eve.userId)).toEqual(
      [],
    );
    db2.close();
  });

  it("pin in a room you left is refused, and the pin is not stored", async () => {
    const { room, ann, bob, message } = await roomWithMessage();
    expect((await answerOf(ann.socket, { type: "leave", roomId: room.id })).type).toBe("ok");
    const start = ann.socket.frames.length;
    ann.socket.send({ type: "pin", roomId: room.id, messageId: message.id, pinned: true });
    expect(await nextError(ann.socket, start)).toMatchObject({
      code: "forbidden",
      message: "you are not a member of this room",
    });
    await settle(200);
    expect(bob.socket.frames.some(updatedWith(message.id, true))).toBe(false);
    expect(pinnedAtOf(message.id)).toBeNull();
  });

  it("refuses to pin a deleted message (not_found)", async () => {
    const { room, bob, message } = await roomWithMessage();
    await answerOf(bob.socket, { type: "delete", roomId: room.id, messageId: message.id });
    expect(
      await answerOf(bob.socket, {
        type: "pin",
        roomId: room.id,
        messageId: message.id,
        pinned: true,
      }),
    ).toMatchObject({ type: "error", code: "not_found" });
  });
});

/** The message's pinned_at column as stored. */
function pinnedAtOf(messageId: string): unknown {
  const db = openDb(server.dataDir);
  try {
    return db.prepare("SELECT pinned_at FROM message WHERE id = ?").get(messageId)?.pinned_at;
  } finally {
    db.close();
  }
}
