import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, getPage } from "../helpers/clients";
import {
  joinAs,
  nextError,
  openDb,
  roomIdFromReady,
  sendAndAck,
  settle,
  type WireMessage,
} from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";

// Private rooms, DMs, membership changes and the ephemeral events (issue 3).
let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

/** A room of the given kind whose only members are `userIds` (test setup through the database). */
function roomWithMembers(kind: "private" | "dm", userIds: string[]) {
  const id = randomUUID();
  const slug = `${kind}-${id.slice(0, 8)}`;
  const db = openDb(server.dataDir);
  db.prepare("INSERT INTO room (id, slug, name, kind, created_at) VALUES (?, ?, ?, ?, ?)").run(
    id,
    slug,
    slug,
    kind,
    Date.now(),
  );
  for (const userId of userIds) {
    db.prepare("INSERT INTO room_member (room_id, user_id, joined_at) VALUES (?, ?, ?)").run(
      id,
      userId,
      Date.now(),
    );
  }
  db.close();
  return { id, slug };
}

describe("private rooms and DMs", () => {
  it.each(["private", "dm"] as const)(
    "refuses every frame type to a non-member of a %s room",
    async (kind) => {
      const ann = await joinAs(server.url);
      const eve = await joinAs(server.url);
      const room = roomWithMembers(kind, [ann.userId]);
      const message = await sendAndAck(await connect(server.url, ann.cookie), room.id, "secret");
      const frames = [
        { type: "send", roomId: room.id, clientId: "c1", text: "let me in" },
        { type: "subscribe", roomId: room.id, afterSeq: 0 },
        { type: "fetch", roomId: room.id, afterSeq: 0 },
        { type: "typing", roomId: room.id },
        { type: "read", roomId: room.id, seq: 1 },
        { type: "edit", roomId: room.id, messageId: message.id, text: "x" },
        { type: "delete", roomId: room.id, messageId: message.id },
        { type: "react", roomId: room.id, messageId: message.id, emoji: "👍" },
        { type: "invite", roomId: room.id, userName: eve.name },
        { type: "leave", roomId: room.id },
        { type: "pin", roomId: room.id, messageId: message.id, pinned: true },
        { type: "save", roomId: room.id, messageId: message.id, saved: true },
      ];
      for (const frame of frames) {
        const start = eve.socket.frames.length;
        eve.socket.send(frame);
        const error = await nextError(eve.socket, start);
        expect(error, frame.type).toMatchObject({ type: "error", code: "forbidden" });
      }
      await settle(200);
      // Nothing of the room leaked into Eve's socket, and nothing changed.
      expect(eve.socket.frames.some((f) => JSON.stringify(f).includes("secret"))).toBe(false);
      expect((await getPage(server.url, `/r/${room.slug}`, eve.cookie)).status).toBe(404);
      const db = openDb(server.dataDir);
      const rows = db.prepare("SELECT text FROM message WHERE room_id = ?").all(room.id);
      db.close();
      expect(rows).toEqual([{ text: "secret" }]);
    },
  );

  it("invites by name: the invitee's open sockets get the room and its messages", async () => {
    const ann = await joinAs(server.url);
    const carol = await joinAs(server.url, ["general"], `carol${randomUUID().slice(0, 6)}`);
    const room = roomWithMembers("private", [ann.userId]);
    await ann.socket.next((f) => f.type === "ready");
    ann.socket.send({ type: "subscribe", roomId: room.id });
    ann.socket.send({ type: "invite", roomId: room.id, userName: carol.name.toUpperCase() });
    const added = await carol.socket.next((f) => f.type === "room_added");
    expect(added).toMatchObject({ room: { id: room.id, kind: "private" } });
    await ann.socket.next(
      (f) =>
        f.type === "members" && (f.members as { id: string }[]).some((m) => m.id === carol.userId),
    );
    const sent = await sendAndAck(ann.socket, room.id, "welcome");
    const got = await carol.socket.next(
      (f) => f.type === "message" && (f.message as WireMessage).id === sent.id,
    );
    expect(got).toBeDefined();
    const start = ann.socket.frames.length;
    ann.socket.send({ type: "invite", roomId: room.id, userName: "no such person" });
    expect(await nextError(ann.socket, start)).toMatchObject({ code: "not_found" });
  });

  it("a member who leaves stops receiving the room within 1 s, on every socket", async () => {
    const ann = await joinAs(server.url);
    const bob = await joinAs(server.url);
    const room = roomWithMembers("private", [ann.userId, bob.userId]);
    const bobOther = await connect(server.url, bob.cookie);
    const bobSockets = [bob.socket, bobOther];
    // The room was made behind the server's back: subscribe explicitly.
    for (const socket of bobSockets) {
      socket.send({ type: "subscribe", roomId: room.id });
      await socket.next((f) => f.type === "subscribed");
    }
    await sendAndAck(ann.socket, room.id, "still here");
    for (const socket of bobSockets) await socket.next((f) => f.type === "message");
    bob.socket.send({ type: "leave", roomId: room.id });
    for (const socket of bobSockets) await socket.next((f) => f.type === "room_removed", 1_000);
    const start = bobSockets.map((s) => s.frames.length);
    await sendAndAck(ann.socket, room.id, "after you left");
    await settle(300);
    bobSockets.forEach((socket, i) => {
      expect(socket.frames.slice(start[i]).filter((f) => f.type === "message")).toEqual([]);
    });
    const refused = bob.socket.frames.length;
    bob.socket.send({ type: "send", roomId: room.id, clientId: "late", text: "hello?" });
    expect(await nextError(bob.socket, refused)).toMatchObject({ code: "forbidden" });
  });

  it("nobody leaves the default room: the room's attribute decides, not its slug", async () => {
    const ann = await joinAs(server.url);
    const general = roomIdFromReady(ann.socket, "general");
    let start = ann.socket.frames.length;
    ann.socket.send({ type: "leave", roomId: general });
    expect(await nextError(ann.socket, start)).toMatchObject({
      code: "forbidden",
      message: "everyone stays in general",
    });
    await sendAndAck(ann.socket, general, "still in general");
    // Any room marked default keeps its members, whatever it is called.
    const lobby = roomWithMembers("private", [ann.userId]);
    const db = openDb(server.dataDir);
    db.prepare("UPDATE room SET is_default = 1 WHERE id = ?").run(lobby.id);
    db.close();
    start = ann.socket.frames.length;
    ann.socket.send({ type: "leave", roomId: lobby.id });
    expect(await nextError(ann.socket, start)).toMatchObject({
      code: "forbidden",
      message: `everyone stays in ${lobby.slug}`,
    });
    await sendAndAck(ann.socket, lobby.id, "still in the lobby");
  });
});

describe("ephemeral and per-user events", () => {
  it("relays typing to the others without storing anything", async () => {
    const ann = await joinAs(server.url);
    const bob = await joinAs(server.url);
    const general = { id: roomIdFromReady(ann.socket, "general") };
    const db = openDb(server.dataDir);
    const before = db.prepare("SELECT count(*) AS n FROM message").get();
    ann.socket.send({ type: "typing", roomId: general.id });
    const typing = await bob.socket.next(
      (f) => f.type === "typing" && (f.user as { id: string }).id === ann.userId,
    );
    expect(typing.roomId).toBe(general.id);
    await settle(100);
    expect(ann.socket.frames.some((f) => f.type === "typing")).toBe(false);
    expect(db.prepare("SELECT count(*) AS n FROM message").get()).toEqual(before);
    db.close();
  });

  it("moves the read marker on every device of the user, never backwards", async () => {
    const ann = await joinAs(server.url);
    const bob = await joinAs(server.url);
    const general = { id: roomIdFromReady(bob.socket, "general") };
    const roomId = general.id;
    const m = await sendAndAck(ann.socket, roomId, "read me");
    const bobPhone = await connect(server.url, bob.cookie);
    bob.socket.send({ type: "read", roomId, seq: m.seq });
    for (const socket of [bob.socket, bobPhone]) {
      expect(await socket.next((f) => f.type === "read")).toEqual({
        type: "read",
        roomId,
        seq: m.seq,
      });
    }
    const start = bobPhone.frames.length;
    bob.socket.send({ type: "read", roomId, seq: 1 });
    await bobPhone.next((f) => f.type === "read" && bobPhone.frames.indexOf(f) >= start);
    expect(bobPhone.frames.at(-1)).toEqual({ type: "read", roomId, seq: m.seq });
    const fresh = await connect(server.url, bob.cookie);
    const summary = ((fresh.frames[0]?.rooms ?? []) as { id: string; lastReadSeq: number }[]).find(
      (r) => r.id === roomId,
    );
    expect(summary?.lastReadSeq).toBe(m.seq);
  });

  it("edits, deletes and reactions reach everyone live; others' messages stay theirs", async () => {
    const ann = await joinAs(server.url);
    const bob = await joinAs(server.url);
    const roomId = roomIdFromReady(ann.socket, "general");
    const m = await sendAndAck(ann.socket, roomId, "typo");
    ann.socket.send({ type: "edit", roomId, messageId: m.id, text: "fixed" });
    const edited = await bob.socket.next(
      (f) => f.type === "updated" && (f.message as WireMessage).text === "fixed",
    );
    expect((edited.message as WireMessage).editedAt).not.toBeNull();
    bob.socket.send({ type: "react", roomId, messageId: m.id, emoji: "🎉" });
    const reacted = await ann.socket.next(
      (f) => f.type === "updated" && (f.message as WireMessage).reactions.length === 1,
    );
    expect((reacted.message as WireMessage).reactions).toEqual([
      { emoji: "🎉", userIds: [bob.userId] },
    ]);
    const start = bob.socket.frames.length;
    bob.socket.send({ type: "delete", roomId, messageId: m.id });
    expect(await nextError(bob.socket, start)).toMatchObject({ code: "forbidden" });
    const next = bob.socket.frames.length;
    // Any one emoji is a reaction now (issue 11); two are not.
    bob.socket.send({ type: "react", roomId, messageId: m.id, emoji: "💩💩" });
    expect(await nextError(bob.socket, next)).toMatchObject({ code: "bad_frame" });
    ann.socket.send({ type: "delete", roomId, messageId: m.id });
    const deleted = await bob.socket.next(
      (f) => f.type === "updated" && (f.message as WireMessage).deleted,
    );
    expect(deleted.message).toMatchObject({ text: "", reactions: [] });
  });
});
