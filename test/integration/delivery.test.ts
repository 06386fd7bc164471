import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type Frame, type TestSocket } from "../helpers/clients";
import {
  createRoom,
  joinAs,
  openDb,
  sendAndAck,
  settle,
  storedMessages,
  type WireMessage,
} from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";

// One test per delivery guarantee (issue 3), over real sockets.
let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

/** Subscribes with a resume position and collects the replay until `done`. */
async function resume(socket: TestSocket, roomId: string, afterSeq: number, afterRev?: number) {
  const start = socket.frames.length;
  socket.send({ type: "subscribe", roomId, afterSeq, afterRev });
  await socket.next(
    (f) =>
      f.type === "history" &&
      f.roomId === roomId &&
      f.done === true &&
      socket.frames.indexOf(f) >= start,
    20_000,
  );
  const pages = socket.frames
    .slice(start)
    .filter(
      (f): f is Frame & { messages: WireMessage[] } => f.type === "history" && f.roomId === roomId,
    );
  return { pages, messages: pages.flatMap((p) => p.messages) };
}

describe("delivery guarantees", () => {
  it("acks only after the message is committed (visible to another connection)", async () => {
    const room = createRoom(server.dataDir);
    const ann = await joinAs(server.url, [room.slug]);
    const acked = await sendAndAck(ann.socket, room.id, "durable");
    // Read from a separate connection right after the ack: it is there.
    const db = openDb(server.dataDir);
    const row = db.prepare("SELECT seq, text FROM message WHERE id = ?").get(acked.id);
    db.close();
    expect(row).toEqual({ seq: acked.seq, text: "durable" });
    ann.socket.close();
  });

  it("resumes after a 1-message gap with exactly the missed message", async () => {
    const room = createRoom(server.dataDir);
    const ann = await joinAs(server.url, [room.slug]);
    const bob = await joinAs(server.url, [room.slug]);
    const first = await sendAndAck(ann.socket, room.id, "before");
    bob.socket.close();
    await bob.socket.closed;
    const missed = await sendAndAck(ann.socket, room.id, "while away");
    const back = await connect(server.url, bob.cookie);
    const { messages, pages } = await resume(back, room.id, first.seq);
    expect(messages.map((m) => [m.seq, m.text])).toEqual([[missed.seq, "while away"]]);
    expect(pages.at(-1)?.done).toBe(true);
    // Live after the seam: the next message arrives once, with the next seq.
    const next = await sendAndAck(ann.socket, room.id, "live again");
    const live = await back.next(
      (f) => f.type === "message" && (f.message as WireMessage).seq === next.seq,
    );
    expect((live.message as WireMessage).text).toBe("live again");
    await settle(200);
    const seen = back.frames.flatMap((f) =>
      f.type === "message" || f.type === "history"
        ? ((f.type === "message" ? [f.message] : f.messages) as WireMessage[])
        : [],
    );
    expect(seen.filter((m) => m.roomId === room.id).map((m) => m.seq)).toEqual([
      missed.seq,
      next.seq,
    ]);
    ann.socket.close();
    back.close();
  });

  it("resumes after a 10,000-message gap in pages, nothing missing, nothing doubled", {
    timeout: 120_000,
  }, async () => {
    const room = createRoom(server.dataDir);
    const ann = await joinAs(server.url, [room.slug]);
    // Fill the gap straight into the database (the send path has its own
    // tests; this one is about replay), keeping seq and last_seq in step.
    const db = openDb(server.dataDir);
    db.exec("BEGIN");
    const insert = db.prepare(
      "INSERT INTO message (id, room_id, seq, author_id, client_id, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    for (let seq = 1; seq <= 10_000; seq++) {
      insert.run(
        randomUUID(),
        room.id,
        seq,
        ann.userId,
        `bulk-${seq}`,
        `message ${seq}`,
        Date.now(),
      );
    }
    db.prepare("UPDATE room SET last_seq = 10000 WHERE id = ?").run(room.id);
    db.exec("COMMIT");
    db.close();
    const started = performance.now();
    const { messages, pages } = await resume(ann.socket, room.id, 0);
    const ms = performance.now() - started;
    expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 1));
    expect(pages.length).toBeGreaterThan(10);
    expect(Math.max(...pages.map((p) => p.messages.length))).toBeLessThanOrEqual(500);
    console.log(`replayed 10,000 messages in ${pages.length} pages in ${ms.toFixed(0)} ms`);
    const next = await sendAndAck(ann.socket, room.id, "after the gap");
    expect(next.seq).toBe(10_001);
    ann.socket.close();
  });

  it("replays edits, deletions and reactions made while away (by revision)", async () => {
    const room = createRoom(server.dataDir);
    const ann = await joinAs(server.url, [room.slug]);
    const bob = await joinAs(server.url, [room.slug]);
    const a = await sendAndAck(ann.socket, room.id, "original");
    const b = await sendAndAck(ann.socket, room.id, "doomed");
    bob.socket.close();
    ann.socket.send({ type: "edit", roomId: room.id, messageId: a.id, text: "edited" });
    ann.socket.send({ type: "delete", roomId: room.id, messageId: b.id });
    await ann.socket.next((f) => f.type === "updated" && (f.message as WireMessage).deleted);
    const back = await connect(server.url, bob.cookie);
    const { messages } = await resume(back, room.id, b.seq, 0);
    const byId = new Map(messages.map((m) => [m.id, m]));
    expect(byId.get(a.id)).toMatchObject({ text: "edited", deleted: false });
    expect(byId.get(a.id)?.editedAt).not.toBeNull();
    expect(byId.get(b.id)).toMatchObject({ text: "", deleted: true });
    ann.socket.close();
    back.close();
  });

  it("fills a gap after a dropped live frame with a range fetch", async () => {
    const room = createRoom(server.dataDir);
    const ann = await joinAs(server.url, [room.slug]);
    const sent: WireMessage[] = [];
    for (let i = 0; i < 5; i++) sent.push(await sendAndAck(ann.socket, room.id, `n${i}`));
    // Pretend the frame for the 3rd message never arrived.
    const lost = sent[2] as WireMessage;
    const start = ann.socket.frames.length;
    ann.socket.send({
      type: "fetch",
      roomId: room.id,
      afterSeq: lost.seq - 1,
      beforeSeq: lost.seq + 1,
    });
    await ann.socket.next(
      (f) => f.type === "history" && f.done === true && ann.socket.frames.indexOf(f) >= start,
    );
    const fetched = ann.socket.frames
      .slice(start)
      .flatMap((f) => (f.type === "history" ? (f.messages as WireMessage[]) : []));
    expect(fetched.map((m) => m.id)).toEqual([lost.id]);
    ann.socket.close();
  });

  it("a retried send after a restart is acked with its original seq and stored once", async () => {
    const room = createRoom(server.dataDir);
    const ann = await joinAs(server.url, [room.slug]);
    const clientId = randomUUID();
    const first = await sendAndAck(ann.socket, room.id, "once", clientId);
    await server.kill();
    await server.restart();
    const again = await connect(server.url, ann.cookie);
    const retry = await sendAndAck(again, room.id, "once", clientId);
    expect(retry).toMatchObject({ id: first.id, seq: first.seq });
    expect(storedMessages(server.dataDir, room.id).filter((m) => m.text === "once")).toHaveLength(
      1,
    );
    again.close();
  });
});
