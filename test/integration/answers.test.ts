import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Frame, TestSocket } from "../helpers/clients";
import {
  joinAs,
  privateRoom,
  roomIdFromReady,
  sendAndAck,
  startServeLike,
} from "../helpers/integration-extra";
import type { RunningServer } from "../helpers/server";

// Every action answered (issue 10, item 1): a client frame with a `ref` gets
// exactly one `ok`, `ack` or `error` carrying it back, refusals included.
let server: RunningServer;
let limited: RunningServer;
beforeAll(async () => {
  [server, limited] = await Promise.all([
    startServeLike(),
    startServeLike({ env: { PARLEY_RATE_PER_SECOND: "1", PARLEY_RATE_BURST: "2" } }),
  ]);
});
afterAll(async () => {
  await Promise.all([server?.stop(), limited?.stop()]);
});

const answers = (socket: TestSocket, ref: string) =>
  socket.frames.filter(
    (f) => f.ref === ref && (f.type === "ok" || f.type === "ack" || f.type === "error"),
  );

/**
 * Sends `frame` with a fresh ref and returns its one answer. Frames of a
 * socket are answered in order, so once a ping sent after it is answered,
 * any second answer to the first would have arrived: there is none.
 */
async function answerTo(socket: TestSocket, frame: object | string): Promise<Frame> {
  const ref = `r-${randomUUID()}`;
  const raw = typeof frame === "string" ? frame : JSON.stringify({ ...frame, ref });
  socket.send(typeof frame === "string" ? raw.replace("REF", ref) : raw);
  await socket.next((f) => answers(socket, ref).length > 0 || f.ref === ref);
  const probe = `p-${randomUUID()}`;
  socket.send({ type: "ping", ref: probe });
  await socket.next((f) => f.type === "ok" && f.ref === probe);
  const found = answers(socket, ref);
  expect(found, `answers to ${raw}`).toHaveLength(1);
  return found[0] as Frame;
}

describe("every frame with a ref gets exactly one answer with it", () => {
  it("answers each frame type that succeeds: ack for a send, ok for the rest", async () => {
    const ann = await joinAs(server.url);
    const bob = await joinAs(server.url);
    const general = roomIdFromReady(ann.socket, "general");
    const room = privateRoom(server.dataDir, [ann.userId]).id;
    const sent = await answerTo(ann.socket, {
      type: "send",
      roomId: general,
      clientId: randomUUID(),
      text: "hello",
    });
    expect(sent.type).toBe("ack");
    const messageId = (sent.message as { id: string }).id;
    const seq = (sent.message as { seq: number }).seq;
    const frames = [
      { type: "subscribe", roomId: general },
      { type: "subscribe", roomId: general, afterSeq: 0, afterRev: 0 },
      { type: "fetch", roomId: general, afterSeq: 0 },
      { type: "typing", roomId: general },
      { type: "read", roomId: general, seq },
      { type: "edit", roomId: general, messageId, text: "hello, edited" },
      { type: "react", roomId: general, messageId, emoji: "👍" },
      { type: "delete", roomId: general, messageId },
      { type: "invite", roomId: room, userId: bob.userId },
      // Already a member: nothing to do, still answered.
      { type: "invite", roomId: room, userId: bob.userId },
      { type: "leave", roomId: room },
      { type: "ping" },
    ];
    for (const frame of frames) {
      expect(await answerTo(ann.socket, frame), JSON.stringify(frame)).toMatchObject({
        type: "ok",
      });
    }
    // The ok of a subscribe with a replay comes after its history is done.
    const ref = "after-replay";
    const start = ann.socket.frames.length;
    ann.socket.send({ type: "subscribe", roomId: general, afterSeq: 0, ref });
    const ok = await ann.socket.next((f) => f.type === "ok" && f.ref === ref);
    const after = ann.socket.frames.slice(start, ann.socket.frames.indexOf(ok));
    expect(after.some((f) => f.type === "history" && f.done)).toBe(true);
    ann.socket.close();
    bob.socket.close();
  });

  it("answers refusals with an error that carries the ref", async () => {
    const ann = await joinAs(server.url);
    const eve = await joinAs(server.url);
    const general = roomIdFromReady(ann.socket, "general");
    const room = privateRoom(server.dataDir, [ann.userId]).id;
    const message = await sendAndAck(ann.socket, general, "ann's");
    const refusals: [object | string, string][] = [
      [{ type: "edit", roomId: general, messageId: message.id, text: "mine now" }, "forbidden"],
      [{ type: "delete", roomId: general, messageId: message.id }, "forbidden"],
      [{ type: "react", roomId: general, messageId: "nope", emoji: "👍" }, "not_found"],
      [{ type: "subscribe", roomId: room }, "forbidden"],
      [{ type: "fetch", roomId: room, afterSeq: 0 }, "forbidden"],
      [{ type: "typing", roomId: randomUUID() }, "not_found"],
      [{ type: "read", roomId: room, seq: 1 }, "forbidden"],
      [{ type: "invite", roomId: room, userId: eve.userId }, "forbidden"],
      [{ type: "leave", roomId: general }, "forbidden"],
      [{ type: "send", roomId: room, clientId: randomUUID(), text: "let me in" }, "forbidden"],
      // Undecodable, but with a readable ref: answered to it.
      [{ type: "send", roomId: general, clientId: randomUUID(), text: "" }, "bad_frame"],
      [{ type: "shout" }, "bad_frame"],
      ['{"type":"edit","ref":"REF","roomId":5}', "bad_frame"],
    ];
    for (const [frame, code] of refusals) {
      expect(await answerTo(eve.socket, frame), JSON.stringify(frame)).toMatchObject({
        type: "error",
        code,
      });
    }
    ann.socket.close();
    eve.socket.close();
  });

  it("answers frames over the rate with rate_limited and their ref", async () => {
    const eve = await joinAs(limited.url);
    const general = roomIdFromReady(eve.socket, "general");
    const refs = Array.from({ length: 6 }, (_, i) => `burst-${i}`);
    for (const ref of refs) eve.socket.send({ type: "typing", roomId: general, ref });
    await eve.socket.next(() => refs.every((ref) => answers(eve.socket, ref).length > 0));
    const codes = refs.map((ref) => {
      const found = answers(eve.socket, ref);
      expect(found, ref).toHaveLength(1);
      return found[0]?.type === "ok" ? "ok" : found[0]?.code;
    });
    expect(codes.slice(0, 2)).toEqual(["ok", "ok"]);
    expect(codes.slice(2)).toEqual([
      "rate_limited",
      "rate_limited",
      "rate_limited",
      "rate_limited",
    ]);
    const limitedSend = `send-${randomUUID()}`;
    eve.socket.send({ type: "send", roomId: general, clientId: limitedSend, text: "x", ref: "s" });
    const refused = await eve.socket.next((f) => f.ref === "s");
    expect(refused).toMatchObject({ type: "error", code: "rate_limited", clientId: limitedSend });
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    eve.socket.close();
  });

  it("frames without a ref are answered as before: no ok", async () => {
    const ann = await joinAs(server.url);
    const general = roomIdFromReady(ann.socket, "general");
    ann.socket.send({ type: "typing", roomId: general });
    await sendAndAck(ann.socket, general, "after typing");
    expect(ann.socket.frames.some((f) => f.type === "ok")).toBe(false);
    ann.socket.close();
  });
});
