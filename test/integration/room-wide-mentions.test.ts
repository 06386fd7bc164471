import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type Frame } from "../helpers/clients";
import {
  createRoom,
  joinAs,
  nextError,
  openDb,
  sendAndAck,
  storedMessages,
} from "../helpers/integration-extra";
import { presenceOf as presenceFrameOf } from "../helpers/presence";
import { type RunningServer, startServer } from "../helpers/server";

// Room-wide mentions (issue 11): @here reaches the members online when it is
// sent; @channel and @all every member. Each counts for ", mentioned".
let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

/** Who has a mention row for the message at `seq` in the room. */
function mentionedAt(roomId: string, seq: number): string[] {
  const db = openDb(server.dataDir);
  try {
    return db
      .prepare("SELECT user_id FROM message_mention WHERE room_id = ? AND seq = ? ORDER BY user_id")
      .all(roomId, seq)
      .map((row) => String(row.user_id));
  } finally {
    db.close();
  }
}

/** The room's `mentioned` flag in the `ready` a fresh socket of this user gets. */
async function mentionedOnConnect(cookie: string, roomId: string): Promise<boolean> {
  const socket = await connect(server.url, cookie);
  const ready = socket.frames.find((f) => f.type === "ready") as Frame;
  socket.close();
  const rooms = ready.rooms as { id: string; mentioned: boolean }[];
  return rooms.find((r) => r.id === roomId)?.mentioned ?? false;
}

describe("room-wide mentions", () => {
  it("@here reaches online members only: an offline member gets no mention, an online one does", async () => {
    const room = createRoom(server.dataDir);
    const ann = await joinAs(server.url, [room.slug]);
    const bob = await joinAs(server.url, [room.slug]);
    const carol = await joinAs(server.url, [room.slug]);
    // Carol goes offline; Ann hears it, so the server's presence knows it.
    // (Gone within the tick of her arrival, she would not be announced at all.)
    await ann.socket.next(presenceFrameOf(carol.userId, true));
    carol.socket.close();
    await ann.socket.next(presenceFrameOf(carol.userId, false));

    const here = await sendAndAck(ann.socket, room.id, "@here standup in 5");
    expect(mentionedAt(room.id, here.seq)).toEqual([bob.userId]);
    expect(await mentionedOnConnect(bob.cookie, room.id)).toBe(true);
    expect(await mentionedOnConnect(carol.cookie, room.id)).toBe(false);

    // @channel (and @all) mention every member, online or not; never the author.
    const channel = await sendAndAck(ann.socket, room.id, "@channel the deploy is done");
    expect(mentionedAt(room.id, channel.seq)).toEqual([bob.userId, carol.userId].sort());
    expect(await mentionedOnConnect(carol.cookie, room.id)).toBe(true);
    const all = await sendAndAck(bob.socket, room.id, "thanks @all");
    expect(mentionedAt(room.id, all.seq)).toEqual([ann.userId, carol.userId].sort());
  });

  it("in a room over 50 members only its creator may: anyone else's send is refused with its clientId and not stored", async () => {
    const ann = await joinAs(server.url);
    const bob = await joinAs(server.url);
    const id = randomUUID();
    const db = openDb(server.dataDir);
    try {
      db.prepare(
        "INSERT INTO room (id, slug, name, kind, created_by, created_at) VALUES (?, ?, ?, 'public', ?, ?)",
      ).run(id, `big-${id.slice(0, 8)}`, "big", ann.userId, Date.now());
      // 49 more people, copied from Ann's account row: 51 members in all
      // (id, email and handle are unique, so each gets its own).
      const own = new Set(["id", "email", "handle"]);
      const columns = (db.prepare('PRAGMA table_info("user")').all() as { name: string }[]).map(
        (c) => c.name,
      );
      const copy = db.prepare(
        `INSERT INTO "user" (${columns.map((c) => `"${c}"`).join(", ")}) SELECT ${columns
          .map((c) => (own.has(c) ? "?" : `"${c}"`))
          .join(", ")} FROM "user" WHERE id = ?`,
      );
      const join = db.prepare(
        "INSERT INTO room_member (room_id, user_id, joined_at) VALUES (?, ?, ?)",
      );
      const people = [ann.userId, bob.userId];
      for (let i = 0; i < 49; i++) {
        const userId = `filler-${id.slice(0, 8)}-${i}`;
        const values = columns
          .filter((c) => own.has(c))
          .map((c) => (c === "email" ? `${userId}@example.test` : userId));
        copy.run(...values, ann.userId);
        people.push(userId);
      }
      for (const userId of people) join.run(id, userId, Date.now());
    } finally {
      db.close();
    }
    for (const socket of [ann.socket, bob.socket]) {
      socket.send({ type: "subscribe", roomId: id });
      await socket.next((f) => f.type === "subscribed" && f.roomId === id);
    }

    const start = bob.socket.frames.length;
    bob.socket.send({ type: "send", roomId: id, clientId: "wide-1", text: "@channel look" });
    expect(await nextError(bob.socket, start)).toMatchObject({
      code: "forbidden",
      clientId: "wide-1",
      message:
        "only the room's moderators may use @here, @channel or @all in rooms of more than 50 members",
    });
    expect(storedMessages(server.dataDir, id)).toEqual([]);
    // The creator may; anyone may still name people.
    const wide = await sendAndAck(ann.socket, id, "@all look");
    expect(mentionedAt(id, wide.seq)).toHaveLength(50);
    await sendAndAck(bob.socket, id, `hi @${ann.name}`);
  });
});
