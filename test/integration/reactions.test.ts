import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Frame, TestSocket } from "../helpers/clients";
import {
  joinAs,
  openDb,
  roomIdFromReady,
  sendAndAck,
  startServeLike,
} from "../helpers/integration-extra";
import type { RunningServer } from "../helpers/server";

// Any single emoji as a reaction (issue 11), over a real socket on the built server.
let server: RunningServer;
beforeAll(async () => {
  server = await startServeLike();
});
afterAll(async () => {
  await server?.stop();
});

/** Sends a frame with a fresh ref and resolves with its answer (ok / ack / error). */
async function answerTo(socket: TestSocket, frame: object): Promise<Frame> {
  const ref = `r-${randomUUID()}`;
  socket.send({ ...frame, ref });
  return socket.next(
    (f) => f.ref === ref && (f.type === "ok" || f.type === "ack" || f.type === "error"),
  );
}

/** Subscribes to the room's live events and waits for its ok. */
async function subscribe(socket: TestSocket, roomId: string): Promise<void> {
  expect(await answerTo(socket, { type: "subscribe", roomId })).toMatchObject({ type: "ok" });
}

/** The stored reactions of a message, straight from the database. */
function storedReactions(dataDir: string, messageId: string): string[] {
  const db = openDb(dataDir);
  const rows = db
    .prepare("SELECT emoji FROM reaction WHERE message_id = ? ORDER BY created_at")
    .all(messageId) as { emoji: string }[];
  db.close();
  return rows.map((row) => row.emoji);
}

// The longest RGI emoji (15 code units, 35 bytes), a subdivision flag, a tone, a new one.
const PICKED = ["🚀", "👍🏽", "👩🏻‍❤️‍💋‍👨🏼", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "🫠"];

describe("reactions with any emoji", () => {
  it("stores and relays any emoji the picker offers, live and on a fresh subscribe", async () => {
    const ann = await joinAs(server.url);
    const bob = await joinAs(server.url);
    const general = roomIdFromReady(ann.socket, "general");
    await Promise.all([subscribe(ann.socket, general), subscribe(bob.socket, general)]);
    const message = await sendAndAck(ann.socket, general, `react to me ${randomUUID()}`);

    for (const emoji of PICKED) {
      const answer = await answerTo(ann.socket, {
        type: "react",
        roomId: general,
        messageId: message.id,
        emoji,
      });
      expect(answer, emoji).toMatchObject({ type: "ok" });
      // Bob sees it live, in the message's whole new state.
      await bob.socket.next(
        (f) =>
          f.type === "updated" &&
          (f.message as { id: string; reactions: { emoji: string }[] }).id === message.id &&
          (f.message as { reactions: { emoji: string }[] }).reactions.some(
            (r) => r.emoji === emoji,
          ),
      );
    }
    expect(storedReactions(server.dataDir, message.id)).toEqual(PICKED);

    // A reader who comes later gets every one back from the database, unchanged.
    const cal = await joinAs(server.url);
    const start = cal.socket.frames.length;
    cal.socket.send({ type: "subscribe", roomId: general, afterSeq: message.seq - 1 });
    const replayed = await cal.socket.next(
      (f) =>
        f.type === "history" &&
        cal.socket.frames.indexOf(f) >= start &&
        (f.messages as { id: string }[]).some((m) => m.id === message.id),
    );
    const again = (replayed.messages as { id: string; reactions: { emoji: string }[] }[]).find(
      (m) => m.id === message.id,
    );
    expect(again?.reactions.map((r) => r.emoji)).toEqual(PICKED);
    for (const member of [ann, bob, cal]) member.socket.close();
  });

  it("an unknown emoji is refused with bad_frame, stores nothing and keeps the socket", async () => {
    const ann = await joinAs(server.url);
    const general = roomIdFromReady(ann.socket, "general");
    const message = await sendAndAck(ann.socket, general, `do not react ${randomUUID()}`);
    const refused = ["🇦🇦", "👍👍", "ok", ":+1:", "❤", "🏽", "👍\u200D👍", "\u{10FFFD}", ""];
    for (const emoji of refused) {
      const answer = await answerTo(ann.socket, {
        type: "react",
        roomId: general,
        messageId: message.id,
        emoji,
      });
      expect(answer, JSON.stringify(emoji)).toMatchObject({ type: "error", code: "bad_frame" });
      expect(answer.message).toMatch(/^emoji: /);
    }
    expect(storedReactions(server.dataDir, message.id)).toEqual([]);
    // Still connected and served: the refusal closed nothing.
    expect(await answerTo(ann.socket, { type: "ping" })).toMatchObject({ type: "ok" });
    ann.socket.close();
  });
});
