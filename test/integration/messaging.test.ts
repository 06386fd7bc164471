import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type Frame, getPage, signUp, type TestSocket } from "../helpers/clients";
import {
  closeAll,
  createRoom,
  framesWhere,
  joinAs,
  type Member,
  nextError,
  roomIdFromReady,
  type StoredMessage,
  sendAndAck,
  settle,
  startServeLike,
  storedMessages,
  type WireMessage,
  waitForCount,
} from "../helpers/integration-extra";
import type { RunningServer } from "../helpers/server";

let server: RunningServer;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  server = await startServeLike();
});
afterAll(async () => {
  await closeAll(sockets);
  await server?.stop();
});

/** joinAs, remembering the socket so afterAll closes it. */
async function member(slugs: string[] = ["general"]): Promise<Member> {
  const m = await joinAs(server.url, slugs);
  sockets.push(m.socket);
  return m;
}

const isMessage = (text: string) => (f: Frame) =>
  f.type === "message" && (f.message as WireMessage | undefined)?.text === text;

describe("fan-out in a room", () => {
  it("delivers A's message to B (and A's other tab) with its seq, acks A with the same seq and id, and does not echo it to the sender", async () => {
    // Everyone is in general (every page joins it), so the outsider is
    // outside a room of A's and B's own.
    const shared = createRoom(server.dataDir);
    const other = createRoom(server.dataDir);
    const a = await member([shared.slug]);
    const b = await member([shared.slug]);
    const outsider = await member([other.slug]);
    // A's second tab: only the sending socket is spared the echo.
    const aOtherTab = await connect(server.url, a.cookie);
    sockets.push(aOtherTab);
    const roomId = roomIdFromReady(a.socket, shared.slug);
    expect(roomIdFromReady(b.socket, shared.slug)).toBe(roomId);
    expect(() => roomIdFromReady(outsider.socket, shared.slug)).toThrow();

    const text = `hello ${randomUUID()}`;
    const clientId = randomUUID();
    a.socket.send({ type: "send", roomId, clientId, text });

    const ack = await a.socket.next((f) => f.type === "ack" && f.clientId === clientId);
    const received = await b.socket.next(isMessage(text));
    const inOtherTab = await aOtherTab.next(isMessage(text));
    const acked = ack.message as WireMessage;
    expect(inOtherTab.message).toEqual(acked);
    const delivered = received.message as WireMessage;

    expect(acked.seq).toBeGreaterThan(0);
    expect(delivered).toEqual(acked);
    expect(delivered).toMatchObject({
      roomId,
      text,
      author: { id: a.userId, name: a.name },
    });
    expect(Number.isNaN(Date.parse(delivered.createdAt))).toBe(false);

    await settle(300);
    expect(framesWhere(a.socket, (f) => f.type === "message")).toEqual([]);
    expect(framesWhere(outsider.socket, (f) => f.type === "message")).toEqual([]);
  });

  it("keeps a room's seq gap-free when three users send 90 messages concurrently", async () => {
    const room = createRoom(server.dataDir);
    const users = await Promise.all([
      member([room.slug]),
      member([room.slug]),
      member([room.slug]),
    ]);
    const perUser = 30;

    const acks = await Promise.all(
      users.map((u, i) =>
        Promise.all(
          Array.from({ length: perUser }, (_, n) =>
            sendAndAck(u.socket, room.id, `burst u${i} n${n}`),
          ),
        ),
      ),
    );
    const total = users.length * perUser;
    const seqs = acks.flat().map((m) => m.seq);
    const expected = Array.from({ length: total }, (_, n) => n + 1);
    expect([...seqs].sort((x, y) => x - y)).toEqual(expected);

    // Each socket's own sends are acked in the order it sent them.
    for (const own of acks) {
      const ownSeqs = own.map((m) => m.seq);
      expect(ownSeqs).toEqual([...ownSeqs].sort((x, y) => x - y));
    }

    // Every member sees every seq once: its own as acks, the others' as messages.
    for (const u of users) {
      const others = total - perUser;
      await waitForCount(u.socket, (f) => f.type === "message" && roomOf(f) === room.id, others);
      const seen = u.socket.frames
        .filter((f) => (f.type === "message" || f.type === "ack") && roomOf(f) === room.id)
        .map((f) => (f.message as WireMessage).seq);
      expect([...seen].sort((x, y) => x - y)).toEqual(expected);
    }

    const stored = storedMessages(server.dataDir, room.id);
    expect(stored.map((m) => m.seq)).toEqual(expected);
  });
});

function roomOf(f: Frame): string | undefined {
  return (f.message as WireMessage | undefined)?.roomId;
}

describe("idempotent send", () => {
  it("acks a repeated clientId twice with the same message, stores it once and fans it out once", async () => {
    const room = createRoom(server.dataDir);
    const a = await member([room.slug]);
    const b = await member([room.slug]);
    const clientId = randomUUID();
    const text = `once ${randomUUID()}`;

    const first = await sendAndAck(a.socket, room.id, text, clientId);
    const second = await sendAndAck(a.socket, room.id, text, clientId);
    expect(second).toEqual(first);
    expect(framesWhere(a.socket, (f) => f.type === "ack" && f.clientId === clientId)).toHaveLength(
      2,
    );

    // A retry with different text (a client bug or a replay) still maps to the first message.
    const third = await sendAndAck(a.socket, room.id, "something else", clientId);
    expect(third).toEqual(first);

    // The next fresh send takes the very next seq: the duplicates used none.
    const next = await sendAndAck(a.socket, room.id, `after ${randomUUID()}`);
    expect(next.seq).toBe(first.seq + 1);

    await b.socket.next(isMessage(next.text));
    expect(framesWhere(b.socket, isMessage(text))).toHaveLength(1);
    expect(storedMessages(server.dataDir, room.id).map((m) => m.text)).toEqual([text, next.text]);

    const page = await getPage(server.url, `/r/${room.slug}`, b.cookie);
    expect(page.html).toContain(text);
    expect(page.html).not.toContain("something else");
  });

  it("the same clientId in two different rooms stores two messages", async () => {
    const r1 = createRoom(server.dataDir);
    const r2 = createRoom(server.dataDir);
    const a = await member([r1.slug, r2.slug]);
    const clientId = randomUUID();
    const m1 = await sendAndAck(a.socket, r1.id, "room one", clientId);
    const m2 = await sendAndAck(a.socket, r2.id, "room two", clientId);
    expect(m2.id).not.toBe(m1.id);
    expect(m2).toMatchObject({ roomId: r2.id, seq: 1, text: "room two" });
    expect(m1).toMatchObject({ roomId: r1.id, seq: 1, text: "room one" });
  });

  // Regression: idempotency once ignored the author, swallowing B's message.
  it("a clientId reused by a different user does not swallow that user's message", async () => {
    const room = createRoom(server.dataDir);
    const a = await member([room.slug]);
    const b = await member([room.slug]);
    const clientId = randomUUID();
    const fromA = await sendAndAck(a.socket, room.id, "from A", clientId);
    const fromB = await sendAndAck(b.socket, room.id, "from B", clientId);

    expect(fromB.author.id).toBe(b.userId);
    expect(fromB.text).toBe("from B");
    expect(fromB.id).not.toBe(fromA.id);
    const stored: StoredMessage[] = storedMessages(server.dataDir, room.id);
    expect(stored.map((m) => [m.author_id, m.text])).toEqual([
      [a.userId, "from A"],
      [b.userId, "from B"],
    ]);
  });
});

describe("membership", () => {
  it("refuses a send to a room the user never opened with forbidden, echoing the clientId", async () => {
    const room = createRoom(server.dataDir);
    const insider = await member([room.slug]);
    const stranger = await member();
    const clientId = randomUUID();
    const start = stranger.socket.frames.length;
    stranger.socket.send({ type: "send", roomId: room.id, clientId, text: "let me in" });
    const error = await nextError(stranger.socket, start);
    expect(error).toMatchObject({ type: "error", code: "forbidden", clientId });

    await settle(200);
    expect(storedMessages(server.dataDir, room.id)).toEqual([]);
    expect(framesWhere(insider.socket, (f) => f.type === "message")).toEqual([]);
  });

  it("answers not_found for a send or subscribe to an unknown room id", async () => {
    const u = await member();
    const clientId = randomUUID();
    let start = u.socket.frames.length;
    u.socket.send({ type: "send", roomId: randomUUID(), clientId, text: "anyone?" });
    expect(await nextError(u.socket, start)).toMatchObject({ code: "not_found", clientId });

    start = u.socket.frames.length;
    u.socket.send({ type: "subscribe", roomId: randomUUID() });
    expect(await nextError(u.socket, start)).toMatchObject({ code: "not_found" });
  });

  it("refuses subscribe before joining, then after GET /r/<slug> subscribes and delivers live messages", async () => {
    const room = createRoom(server.dataDir);
    const insider = await member([room.slug]);
    const late = await signUp(server.url);
    await getPage(server.url, "/r/general", late.cookie);
    const socket = await connect(server.url, late.cookie);
    sockets.push(socket);

    let start = socket.frames.length;
    socket.send({ type: "subscribe", roomId: room.id });
    expect(await nextError(socket, start)).toMatchObject({ code: "forbidden" });

    // Not subscribed: the insider's message does not reach it.
    const before = await sendAndAck(insider.socket, room.id, `before join ${randomUUID()}`);
    await settle(200);
    expect(framesWhere(socket, isMessage(before.text))).toEqual([]);

    const page = await getPage(server.url, `/r/${room.slug}`, late.cookie);
    expect(page.status).toBe(200);
    start = socket.frames.length;
    socket.send({ type: "subscribe", roomId: room.id });
    const subscribed = await socket.next(
      (f) => socket.frames.indexOf(f) >= start && (f.type === "subscribed" || f.type === "error"),
    );
    expect(subscribed).toMatchObject({ type: "subscribed", roomId: room.id });

    const after = await sendAndAck(insider.socket, room.id, `after join ${randomUUID()}`);
    const live = await socket.next(isMessage(after.text));
    expect((live.message as WireMessage).seq).toBe(after.seq);

    // And it may now send there itself.
    const own = await sendAndAck(socket, room.id, `late says hi ${randomUUID()}`);
    expect(own.seq).toBe(after.seq + 1);
    await insider.socket.next(isMessage(own.text));
  });
});
