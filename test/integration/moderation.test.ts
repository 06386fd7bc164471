import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MOD_MUTED_MESSAGE } from "../../src/core/policy";
import { type Frame, getPage, signUp, type TestSocket } from "../helpers/clients";
import {
  createRoom,
  joinAs,
  openDb,
  sendAndAck,
  type WireMessage,
} from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";

// Member moderation (issue 14) over real sockets on the built server.
let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
  // The first sign-up owns the server: taken here, so the people below are ordinary.
  await signUp(server.url, {});
});
afterAll(() => server?.stop());

async function answerOf(socket: TestSocket, frame: object): Promise<Frame> {
  const ref = randomUUID().slice(0, 12);
  socket.send({ ...frame, ref });
  return socket.next((f) => (f.type === "ok" || f.type === "error") && f.ref === ref);
}

function sql<T>(query: string, ...params: string[]): T[] {
  const db = openDb(server.dataDir);
  try {
    return db.prepare(query).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** A public room Mo (its moderator) and Bob opened, both subscribed. */
async function moderatedRoom() {
  const room = createRoom(server.dataDir);
  const mo = await joinAs(server.url, [room.slug]);
  const bob = await joinAs(server.url, [room.slug]);
  sql(
    "update room_member set role = 'moderator' where room_id = ? and user_id = ?",
    room.id,
    mo.userId,
  );
  for (const socket of [mo.socket, bob.socket]) {
    socket.send({ type: "subscribe", roomId: room.id });
    await socket.next((f) => f.type === "subscribed" && f.roomId === room.id);
  }
  return { room, mo, bob };
}

const auditOf = (roomId: string) =>
  sql<{ action: string; actor_id: string; target_user_id: string }>(
    "select action, actor_id, target_user_id from audit_log where room_id = ? order by at",
    roomId,
  );

describe("moderation", () => {
  it("a moderator removes a member: told why, out of the room's topic at once, audited", async () => {
    const { room, mo, bob } = await moderatedRoom();
    const moderate = { type: "moderate", roomId: room.id, userId: bob.userId, action: "remove" };
    expect((await answerOf(mo.socket, moderate)).type).toBe("ok");
    const removed = await bob.socket.next((f) => f.type === "room_removed");
    expect(removed).toMatchObject({ roomId: room.id, reason: "removed" });
    // The room's new member list, without Bob.
    await mo.socket.next(
      (f) =>
        f.type === "members" &&
        f.roomId === room.id &&
        !(f.members as { id: string }[]).some((m) => m.id === bob.userId),
    );
    const after = bob.socket.frames.length;
    const message = await sendAndAck(mo.socket, room.id, "not for bob");
    // Bob's next frame of any room is the answer to his own ping: nothing of the room came first.
    expect((await answerOf(bob.socket, { type: "ping" })).type).toBe("ok");
    expect(
      bob.socket.frames
        .slice(after)
        .some((f) => f.type === "message" && (f.message as WireMessage).id === message.id),
    ).toBe(false);
    expect(auditOf(room.id)).toEqual([
      { action: "member.remove", actor_id: mo.userId, target_user_id: bob.userId },
    ]);
  });

  it("a banned member cannot rejoin the public room, until unbanned", async () => {
    const { room, mo, bob } = await moderatedRoom();
    const ban = { type: "moderate", roomId: room.id, userId: bob.userId, action: "ban" };
    expect((await answerOf(mo.socket, ban)).type).toBe("ok");
    expect(await bob.socket.next((f) => f.type === "room_removed")).toMatchObject({
      reason: "banned",
    });
    expect((await getPage(server.url, `/r/${room.slug}`, bob.cookie)).status).toBe(404);
    const member = sql(
      "select 1 from room_member where room_id = ? and user_id = ?",
      room.id,
      bob.userId,
    );
    expect(member).toEqual([]);
    const unban = { ...ban, action: "unban" };
    expect((await answerOf(mo.socket, unban)).type).toBe("ok");
    expect((await getPage(server.url, `/r/${room.slug}`, bob.cookie)).status).toBe(200);
    expect(auditOf(room.id).map((row) => row.action)).toEqual(["member.ban", "member.unban"]);
  });

  it("a muted member's send is refused with the moderator's words; the room hears of it", async () => {
    const { room, mo, bob } = await moderatedRoom();
    const mute = { type: "moderate", roomId: room.id, userId: bob.userId, action: "mute" };
    expect((await answerOf(mo.socket, mute)).type).toBe("ok");
    for (const socket of [mo.socket, bob.socket]) {
      expect(await socket.next((f) => f.type === "member_updated")).toMatchObject({
        roomId: room.id,
        userId: bob.userId,
        role: "member",
        modMuted: true,
      });
    }
    const clientId = randomUUID();
    bob.socket.send({ type: "send", roomId: room.id, clientId, text: "let me speak" });
    const refused = await bob.socket.next((f) => f.type === "error" && f.clientId === clientId);
    expect(refused).toMatchObject({ code: "forbidden", message: MOD_MUTED_MESSAGE });
    expect((await answerOf(mo.socket, { ...mute, action: "unmute" })).type).toBe("ok");
    await sendAndAck(bob.socket, room.id, "thanks");
  });

  it("a member cannot moderate; a moderator deletes another's message, marked for everyone", async () => {
    const { room, mo, bob } = await moderatedRoom();
    const refused = await answerOf(bob.socket, {
      type: "moderate",
      roomId: room.id,
      userId: mo.userId,
      action: "mute",
    });
    expect(refused).toMatchObject({
      type: "error",
      code: "forbidden",
      message: "only the room's moderators can do that",
    });
    const message = await sendAndAck(bob.socket, room.id, "spam");
    const deleted = await answerOf(mo.socket, {
      type: "delete",
      roomId: room.id,
      messageId: message.id,
    });
    expect(deleted.type).toBe("ok");
    const updated = await bob.socket.next(
      (f) => f.type === "updated" && (f.message as WireMessage).id === message.id,
    );
    expect(updated.message).toMatchObject({ deleted: true, deletedBy: "moderator" });
    expect(auditOf(room.id)).toEqual([
      { action: "message.delete", actor_id: mo.userId, target_user_id: bob.userId },
    ]);
  });
});
