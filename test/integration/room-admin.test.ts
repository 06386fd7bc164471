import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DirectoryRoom, SearchHit } from "../../src/ports";
import { connect, type Frame, getPage, signUp, type TestSocket } from "../helpers/clients";
import { createRoom, joinAs, openDb, sendAndAck } from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";

// Room administration and guests (issue 14, part F) on the built server.
let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
  // The first sign-up owns the server: take it, so the people below are plain members.
  await signUp(server.url);
});
afterAll(() => server?.stop());

function sql(statement: string, ...params: string[]) {
  const db = openDb(server.dataDir);
  try {
    db.prepare(statement).run(...params);
  } finally {
    db.close();
  }
}
const makeModerator = (roomId: string, userId: string) =>
  sql(
    "update room_member set role = 'moderator' where room_id = ? and user_id = ?",
    roomId,
    userId,
  );

async function answerOf(socket: TestSocket, frame: object): Promise<Frame> {
  const ref = randomUUID().slice(0, 12);
  socket.send({ ...frame, ref });
  return socket.next((f) => (f.type === "ok" || f.type === "error") && f.ref === ref);
}

async function sendResult(socket: TestSocket, roomId: string, text: string): Promise<Frame> {
  const clientId = randomUUID();
  socket.send({ type: "send", roomId, clientId, text });
  return socket.next((f) => (f.type === "ack" || f.type === "error") && f.clientId === clientId);
}

/** A public room with a moderator (Mo) and a member (Mia), both connected. */
async function moderatedRoom() {
  const room = createRoom(server.dataDir);
  const mo = await joinAs(server.url, [room.slug]);
  const mia = await joinAs(server.url, [room.slug]);
  makeModerator(room.id, mo.userId);
  return { room, mo, mia };
}

const updated = (roomId: string, check: (room: Record<string, unknown>) => boolean) => (f: Frame) =>
  f.type === "room_updated" && (f.room as { id: string }).id === roomId && check(f.room as never);

describe("room settings", () => {
  it("a moderator renames and sets the topic: every member hears room_updated; a member is refused", async () => {
    const { room, mo, mia } = await moderatedRoom();
    const refused = await answerOf(mia.socket, {
      type: "room_settings",
      roomId: room.id,
      topic: "mine now",
    });
    expect(refused).toMatchObject({ type: "error", code: "forbidden" });
    const name = `Renamed ${randomUUID().slice(0, 6)}`;
    const answer = await answerOf(mo.socket, {
      type: "room_settings",
      roomId: room.id,
      name,
      topic: "Deploys and on-call",
    });
    expect(answer.type).toBe("ok");
    for (const socket of [mo.socket, mia.socket]) {
      const frame = await socket.next(updated(room.id, (r) => r.name === name));
      expect(frame.room).toMatchObject({
        name,
        slug: name.toLowerCase().replace(/ /g, "-"),
        topic: "Deploys and on-call",
        announcementOnly: false,
        archived: false,
      });
    }
    const bad = await answerOf(mo.socket, { type: "room_settings", roomId: room.id, name: " " });
    expect(bad).toMatchObject({ type: "error", code: "bad_frame", message: "Enter a room name." });
  });

  it("announcement-only: members are refused with the rule's words, moderators post", async () => {
    const { room, mo, mia } = await moderatedRoom();
    await answerOf(mo.socket, { type: "room_settings", roomId: room.id, announcementOnly: true });
    await mia.socket.next(updated(room.id, (r) => r.announcementOnly === true));
    const refused = await sendResult(mia.socket, room.id, "can I?");
    expect(refused).toMatchObject({
      type: "error",
      code: "forbidden",
      message: "Only moderators can post in this room.",
    });
    const posted = await sendResult(mo.socket, room.id, "announcement");
    expect(posted.type).toBe("ack");
  });

  it("archive: read-only, out of the directory, still searchable, and back live after unarchive", async () => {
    const { room, mo, mia } = await moderatedRoom();
    const word = `needle${randomUUID().slice(0, 6)}`;
    await sendAndAck(mia.socket, room.id, `the ${word} is here`);
    const refusedByMember = await callServerFn<{ ok: boolean; error?: string }>(
      server.url,
      "setRoomArchivedFn",
      { roomId: room.id, archived: true },
      { cookie: mia.cookie },
    );
    expect(refusedByMember).toMatchObject({ ok: true, result: { ok: false } });
    const archived = await callServerFn<{ ok: boolean }>(
      server.url,
      "setRoomArchivedFn",
      { roomId: room.id, archived: true },
      { cookie: mo.cookie },
    );
    expect(archived).toMatchObject({ ok: true, result: { ok: true } });
    await mia.socket.next(updated(room.id, (r) => r.archived === true));
    const refused = await sendResult(mia.socket, room.id, "still here?");
    expect(refused).toMatchObject({ message: "This room is archived: it is read-only." });
    const listed = await callServerFn<{ ok: true; rooms: DirectoryRoom[] }>(
      server.url,
      "directoryFn",
      { q: room.slug },
      { cookie: mia.cookie, method: "GET" },
    );
    expect(listed.ok && listed.result.rooms.map((r) => r.id)).toEqual([]);
    const hits = await callServerFn<SearchHit[]>(
      server.url,
      "searchFn",
      { q: word },
      { cookie: mia.cookie, method: "GET" },
    );
    expect(hits.ok && hits.result.map((hit) => hit.room.id)).toEqual([room.id]);
    // Readable by URL for its members.
    expect((await getPage(server.url, `/r/${room.slug}`, mia.cookie)).status).toBe(200);
    await callServerFn(
      server.url,
      "setRoomArchivedFn",
      { roomId: room.id, archived: false },
      { cookie: mo.cookie },
    );
    await mia.socket.next(updated(room.id, (r) => r.archived === false));
    expect((await sendResult(mia.socket, room.id, "back")).type).toBe("ack");
  });
});

describe("guests", () => {
  it("a guest cannot see a public room: page, join, directory, subscribe, search; nor create rooms or DM strangers", async () => {
    const room = createRoom(server.dataDir);
    const insider = await joinAs(server.url, [room.slug]);
    const word = `secret${randomUUID().slice(0, 6)}`;
    await sendAndAck(insider.socket, room.id, `a ${word} for members`);
    const guestUser = await signUp(server.url);
    const probe = await connect(server.url, guestUser.cookie);
    const guestReady = probe.frames.find((f) => f.type === "ready") as
      | { user: { id: string } }
      | undefined;
    if (!guestReady) throw new Error("no ready frame for the guest");
    const guestId = guestReady.user.id;
    probe.close();
    sql("update \"user\" set role = 'guest' where id = ?", guestId);
    const cookie = guestUser.cookie;
    expect((await getPage(server.url, `/r/${room.slug}`, cookie)).status).toBe(404);
    // Sent to general, a guest with no rooms lands on a page that says so.
    const landing = await getPage(server.url, "/r/general", cookie);
    expect(landing.headers.get("location") ?? "").toContain("/rooms");
    const page = await getPage(server.url, "/rooms", cookie);
    expect(page.html).toContain("You have not been invited to any rooms yet.");
    const joined = await callServerFn<{ ok: boolean }>(
      server.url,
      "joinRoomFn",
      { roomId: room.id },
      { cookie },
    );
    expect(joined).toMatchObject({ ok: true, result: { ok: false } });
    const listed = await callServerFn<{ ok: true; rooms: DirectoryRoom[] }>(
      server.url,
      "directoryFn",
      { q: "" },
      { cookie, method: "GET" },
    );
    expect(listed.ok && listed.result.rooms).toEqual([]);
    const socket = await connect(server.url, cookie);
    const ready = socket.frames.find((f) => f.type === "ready");
    expect(ready?.rooms).toEqual([]);
    const subscribed = await answerOf(socket, { type: "subscribe", roomId: room.id });
    expect(subscribed).toMatchObject({ type: "error", code: "forbidden" });
    const hits = await callServerFn<SearchHit[]>(
      server.url,
      "searchFn",
      { q: word },
      { cookie, method: "GET" },
    );
    expect(hits.ok && hits.result).toEqual([]);
    const created = await callServerFn<{ ok: boolean; error?: string }>(
      server.url,
      "createRoomFn",
      { name: `guest-room-${randomUUID().slice(0, 6)}` },
      { cookie },
    );
    expect(created).toMatchObject({ result: { ok: false, error: "Guests cannot create rooms." } });
    const dm = await callServerFn<{ ok: boolean; error?: string }>(
      server.url,
      "openDmFn",
      { userId: insider.userId },
      { cookie },
    );
    expect(dm).toMatchObject({
      result: { ok: false, error: "Guests can only message people who share a room with them." },
    });
    // Invited into the room, the guest sees it and may message its members.
    sql(
      "insert into room_member (room_id, user_id, joined_at) values (?, ?, ?)",
      room.id,
      guestId,
      String(Date.now()),
    );
    expect((await getPage(server.url, `/r/${room.slug}`, cookie)).status).toBe(200);
    const dmAfter = await callServerFn<{ ok: boolean }>(
      server.url,
      "openDmFn",
      { userId: insider.userId },
      { cookie },
    );
    expect(dmAfter).toMatchObject({ result: { ok: true } });
    socket.close();
  });
});
