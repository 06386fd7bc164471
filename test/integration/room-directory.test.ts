import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DirectoryRoom } from "../../src/ports";
import type { RoomSummary } from "../../src/protocol/frames";
import { connect, type Frame, getPage, signUp, type TestSocket } from "../helpers/clients";
import { createRoom, joinAs, openDb, sendAndAck } from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";

// Issue 17: the sidebar lists the rooms one joined; the directory (/rooms)
// lists every public room, with member counts, Join and search.
let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

type Directory = { ok: true; rooms: DirectoryRoom[]; more: boolean } | { ok: false; error: string };

async function directory(cookie: string, q: string, on = server): Promise<Directory> {
  const answer = await callServerFn<Directory>(
    on.url,
    "directoryFn",
    { q },
    { cookie, method: "GET" },
  );
  if (!answer.ok) throw new Error(`directoryFn failed: ${JSON.stringify(answer.error)}`);
  return answer.result;
}
async function listed(cookie: string, q = ""): Promise<DirectoryRoom[]> {
  const found = await directory(cookie, q);
  if (!found.ok) throw new Error(found.error);
  return found.rooms;
}
/** The sidebar's rooms as the room page's loader lists them. */
async function navOf(cookie: string, slug = "general"): Promise<string[]> {
  const answer = await callServerFn<{ rooms: RoomSummary[] }>(
    server.url,
    "openRoomFn",
    { slug },
    { cookie, method: "GET" },
  );
  if (!answer.ok) throw new Error(`openRoomFn failed: ${JSON.stringify(answer.error)}`);
  return answer.result.rooms.map((room) => room.slug);
}
async function readySlugs(cookie: string): Promise<string[]> {
  const socket = await connect(server.url, cookie);
  socket.close();
  const ready = socket.frames.find((f) => f.type === "ready");
  return ((ready?.rooms ?? []) as RoomSummary[]).map((room) => room.slug);
}
async function answerOf(socket: TestSocket, frame: object): Promise<Frame> {
  const ref = randomUUID().slice(0, 12);
  socket.send({ ...frame, ref });
  return socket.next((f) => (f.type === "ok" || f.type === "error") && f.ref === ref);
}
async function join(cookie: string, roomId: string) {
  const answer = await callServerFn<{ ok: boolean; error?: string }>(
    server.url,
    "joinRoomFn",
    { roomId },
    { cookie },
  );
  if (!answer.ok) throw new Error(`joinRoomFn failed: ${JSON.stringify(answer.error)}`);
  return answer.result;
}

describe("joined rooms and the directory", () => {
  it("lists only joined rooms in ready, the room page and the Saved and /rooms pages", async () => {
    const other = createRoom(server.dataDir);
    const ann = await joinAs(server.url, ["general"]);
    expect(await readySlugs(ann.cookie)).toEqual(["general"]);
    expect(await navOf(ann.cookie)).toEqual(["general"]);
    const saved = await callServerFn<{ rooms: RoomSummary[] }>(server.url, "savedFn", undefined, {
      cookie: ann.cookie,
      method: "GET",
    });
    const page = await callServerFn<{ rooms: RoomSummary[]; directory: DirectoryRoom[] }>(
      server.url,
      "roomsPageFn",
      undefined,
      { cookie: ann.cookie, method: "GET" },
    );
    if (!saved.ok || !page.ok) throw new Error("a page's server function failed");
    expect(saved.result.rooms.map((r) => r.slug)).toEqual(["general"]);
    expect(page.result.rooms.map((r) => r.slug)).toEqual(["general"]);
    // The public room not joined is in the directory, not the sidebar.
    expect(page.result.directory.find((r) => r.id === other.id)).toMatchObject({
      member: false,
      memberCount: 0,
    });
    ann.socket.close();
  });

  it("puts a user who first opens another room in the default room too", async () => {
    const room = createRoom(server.dataDir);
    const dee = await signUp(server.url);
    const socket = await connect(server.url, dee.cookie);
    expect(await readySlugs(dee.cookie)).toEqual([]);
    // The first page is another room's (a deep link): general joins the list.
    expect(await navOf(dee.cookie, room.slug)).toEqual(["general", room.slug].sort());
    const added = await socket.next(
      (f) => f.type === "room_added" && (f.room as RoomSummary).slug === "general",
    );
    expect((added.room as RoomSummary).isDefault).toBe(true);
    expect(await readySlugs(dee.cookie)).toEqual(["general", room.slug].sort());
    socket.close();
  });

  it("lists public rooms with member counts and topics, never private rooms or DMs", async () => {
    const open = createRoom(server.dataDir);
    const db = openDb(server.dataDir);
    db.prepare("UPDATE room SET topic = ? WHERE id = ?").run("Release planning", open.id);
    db.close();
    const ann = await joinAs(server.url, ["general", open.slug]);
    const bob = await joinAs(server.url, ["general", open.slug]);
    const secretName = `secret ${randomUUID().slice(0, 6)}`;
    const created = await callServerFn<{ ok: true; room: { id: string } }>(
      server.url,
      "createRoomFn",
      { name: secretName, private: true },
      { cookie: ann.cookie },
    );
    if (!created.ok) throw new Error("createRoomFn failed");
    const dm = await callServerFn<{ ok: true; slug: string }>(
      server.url,
      "openDmFn",
      { userId: bob.userId },
      { cookie: ann.cookie },
    );
    if (!dm.ok || !dm.result.ok) throw new Error("openDmFn failed");

    for (const who of [ann, bob]) {
      const rooms = await listed(who.cookie);
      expect(rooms.every((room) => room.kind === "public")).toBe(true);
      expect(rooms.some((room) => room.id === created.result.room.id)).toBe(false);
      expect(rooms.some((room) => room.slug === dm.result.slug)).toBe(false);
      expect(rooms.find((room) => room.id === open.id)).toMatchObject({
        name: open.slug,
        memberCount: 2,
        topic: "Release planning",
        member: true,
      });
      expect(await listed(who.cookie, "secret")).toEqual([]);
    }
    // The private room and the DM are in the creator's sidebar all the same.
    const annNav = await navOf(ann.cookie);
    expect(annNav).toContain(dm.result.slug);
    expect(annNav.length).toBe(4);
    ann.socket.close();
    bob.socket.close();
  });

  it("a join adds the room to every socket of the user and the list; a leave takes it off", async () => {
    const room = createRoom(server.dataDir);
    const ann = await joinAs(server.url, ["general"]);
    const second = await connect(server.url, ann.cookie);
    expect((await listed(ann.cookie)).find((r) => r.id === room.id)?.member).toBe(false);

    expect(await join(ann.cookie, room.id)).toEqual({ ok: true, slug: room.slug });
    for (const socket of [ann.socket, second]) {
      const added = await socket.next((f) => f.type === "room_added");
      expect((added.room as RoomSummary).id).toBe(room.id);
    }
    expect(await navOf(ann.cookie)).toEqual(["general", room.slug].sort());
    expect(await readySlugs(ann.cookie)).toContain(room.slug);
    expect((await listed(ann.cookie)).find((r) => r.id === room.id)).toMatchObject({
      member: true,
      memberCount: 1,
    });
    // Never opened, the room is live on every socket: its messages (and so
    // its unread badge) arrive at once.
    const bob = await joinAs(server.url, ["general", room.slug]);
    const sent = await sendAndAck(bob.socket, room.id, "news for the joiners");
    for (const socket of [ann.socket, second]) {
      const heard = await socket.next(
        (f) => f.type === "message" && (f.message as { id: string }).id === sent.id,
      );
      expect(heard).toBeDefined();
    }
    bob.socket.close();
    // Joining twice is no second membership.
    expect(await join(ann.cookie, room.id)).toEqual({ ok: true, slug: room.slug });
    expect((await listed(ann.cookie)).find((r) => r.id === room.id)?.memberCount).toBe(2);

    // Leaving a public room takes it off the sidebar (it stayed before issue 17).
    expect((await answerOf(ann.socket, { type: "leave", roomId: room.id })).type).toBe("ok");
    const removed = await second.next((f) => f.type === "room_removed");
    expect(removed.roomId).toBe(room.id);
    expect(await navOf(ann.cookie)).toEqual(["general"]);
    expect(await readySlugs(ann.cookie)).toEqual(["general"]);
    expect((await listed(ann.cookie)).find((r) => r.id === room.id)).toMatchObject({
      member: false,
      memberCount: 1,
    });
    ann.socket.close();
    second.close();
  });

  it("refuses to leave the default room, and to join a private room by id", async () => {
    const ann = await joinAs(server.url, ["general"]);
    const bob = await joinAs(server.url, ["general"]);
    const general = (
      (ann.socket.frames.find((f) => f.type === "ready")?.rooms ?? []) as RoomSummary[]
    )[0];
    const refused = await answerOf(ann.socket, { type: "leave", roomId: general?.id });
    expect(refused.type).toBe("error");
    expect(await navOf(ann.cookie)).toEqual(["general"]);

    const created = await callServerFn<{ ok: true; room: { id: string } }>(
      server.url,
      "createRoomFn",
      { name: `hidden ${randomUUID().slice(0, 6)}`, private: true },
      { cookie: ann.cookie },
    );
    if (!created.ok) throw new Error("createRoomFn failed");
    expect(await join(bob.cookie, created.result.room.id)).toEqual({
      ok: false,
      error: "No such room.",
    });
    expect(await navOf(bob.cookie)).toEqual(["general"]);
    ann.socket.close();
    bob.socket.close();
  });

  it("searches by name on the server, case-insensitively, capped at 100 with `more`", async () => {
    const tag = randomUUID().slice(0, 6);
    const db = openDb(server.dataDir);
    const insert = db.prepare(
      "INSERT INTO room (id, slug, name, created_by, created_at, last_seq) VALUES (?, ?, ?, NULL, ?, 0)",
    );
    for (let i = 0; i < 101; i++) {
      const slug = `bulk-${tag}-${String(i).padStart(3, "0")}`;
      insert.run(randomUUID(), slug, slug, Date.now());
    }
    db.close();
    const ann = await joinAs(server.url, ["general"]);
    const wanted = createRoom(server.dataDir, `Deploys-${tag}`);

    const found = await directory(ann.cookie, `DEPLOYS-${tag}`);
    expect(found).toEqual({
      ok: true,
      more: false,
      rooms: [expect.objectContaining({ id: wanted.id })],
    });
    expect(await listed(ann.cookie, `nothing-${tag}`)).toEqual([]);
    const bulk = await directory(ann.cookie, `bulk-${tag}`);
    if (!bulk.ok) throw new Error(bulk.error);
    expect(bulk.rooms).toHaveLength(100);
    expect(bulk.more).toBe(true);
    expect(bulk.rooms[0]?.slug).toBe(`bulk-${tag}-000`);
    expect(bulk.rooms.at(-1)?.slug).toBe(`bulk-${tag}-099`);

    // Bad input is refused with a reason, and changes nothing.
    const long = await callServerFn(
      server.url,
      "directoryFn",
      { q: "x".repeat(101) },
      {
        cookie: ann.cookie,
        method: "GET",
      },
    );
    expect(long.ok).toBe(false);
    ann.socket.close();
  });

  it("guards /rooms and the directory: signed out goes to sign-in and back", async () => {
    const page = await getPage(server.url, "/rooms");
    expect(page.status).toBe(307);
    expect(page.headers.get("location")).toMatch(/\/sign-in\?next=%2Frooms$/);
    const answer = await callServerFn(server.url, "directoryFn", { q: "" }, { method: "GET" });
    expect(answer.ok).toBe(false);
  });

  it("never records a mention of someone who is not a member of the room", async () => {
    const room = createRoom(server.dataDir);
    const carolName = `carol${randomUUID().slice(0, 6)}`;
    const carol = await joinAs(server.url, ["general"], carolName);
    const bob = await joinAs(server.url, ["general", room.slug]);
    await sendAndAck(bob.socket, room.id, `@${carolName} are you around?`);
    expect(await join(carol.cookie, room.id)).toMatchObject({ ok: true });
    const added = await carol.socket.next((f) => f.type === "room_added");
    expect(added.room).toMatchObject({ id: room.id, lastSeq: 1, lastReadSeq: 0, mentioned: false });
    // Now a member, the same mention counts.
    await sendAndAck(bob.socket, room.id, `@${carolName} welcome`);
    const mentioned = await carol.socket.next(
      (f) => f.type === "message" && (f.message as { roomId: string }).roomId === room.id,
    );
    expect(mentioned).toBeDefined();
    const ready = await connect(server.url, carol.cookie);
    ready.close();
    const summary = (
      (ready.frames.find((f) => f.type === "ready")?.rooms ?? []) as RoomSummary[]
    ).find((r) => r.id === room.id);
    expect(summary).toMatchObject({ lastSeq: 2, mentioned: true });
    carol.socket.close();
    bob.socket.close();
  });
});

describe("directory limits", () => {
  let limited: RunningServer;
  beforeAll(async () => {
    limited = await startServer({ env: { PARLEY_SEARCHES_PER_SECOND: "1" } });
  });
  afterAll(() => limited?.stop());

  it("refuses look-ups past the per-user search limit with a clear error", async () => {
    const ann = await joinAs(limited.url, ["general"]);
    const answers: Directory[] = [];
    for (let i = 0; i < 8; i++) answers.push(await directory(ann.cookie, `q${i}`, limited));
    const refused = answers.find((a) => !a.ok);
    expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/too many/i) });
    expect(answers[0]?.ok).toBe(true);
    ann.socket.close();
  });
});
