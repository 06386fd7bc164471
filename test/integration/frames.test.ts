import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestSocket } from "../helpers/clients";
import {
  closeAll,
  framesWhere,
  joinAs,
  type Member,
  nextError,
  roomIdFromReady,
  sendAndAck,
  settle,
  startServeLike,
  storedMessages,
} from "../helpers/integration-extra";
import type { RunningServer } from "../helpers/server";

let server: RunningServer;
let user: Member;
let general: string;
const extraSockets: TestSocket[] = [];

beforeAll(async () => {
  server = await startServeLike();
  user = await joinAs(server.url);
  general = roomIdFromReady(user.socket, "general");
});
afterAll(async () => {
  await closeAll([user.socket, ...extraSockets]);
  await server?.stop();
});

/** Sends a raw frame, returns the error frame it causes, then proves the socket still works. */
async function errorFor(raw: string | Buffer, socket = user.socket) {
  const start = socket.frames.length;
  if (typeof raw === "string") socket.send(raw);
  else socket.ws.send(raw, { binary: true });
  const error = await nextError(socket, start);
  const ok = await sendAndAck(socket, general, `still alive ${randomUUID()}`);
  expect(ok.seq).toBeGreaterThan(0);
  return error;
}

const send = (fields: Record<string, unknown>) =>
  JSON.stringify({ type: "send", roomId: general, clientId: randomUUID(), text: "hi", ...fields });

describe("malformed frames get a stable error code and leave the socket usable", () => {
  it("non-JSON text -> bad_frame", async () => {
    expect(await errorFor("this is not json")).toMatchObject({ type: "error", code: "bad_frame" });
    expect(await errorFor("{")).toMatchObject({ code: "bad_frame" });
    expect(await errorFor("")).toMatchObject({ code: "bad_frame" });
  });

  it("JSON that is not a frame object -> bad_frame", async () => {
    for (const raw of ["null", "42", '"send"', "[]", "{}"]) {
      expect(await errorFor(raw), raw).toMatchObject({ code: "bad_frame" });
    }
  });

  it("unknown type -> bad_frame", async () => {
    expect(await errorFor(JSON.stringify({ type: "shout", roomId: general }))).toMatchObject({
      code: "bad_frame",
    });
  });

  it("wrong field types -> bad_frame, echoing a usable clientId", async () => {
    const clientId = randomUUID();
    expect(await errorFor(send({ roomId: 5, clientId }))).toMatchObject({
      code: "bad_frame",
      clientId,
    });
    expect(await errorFor(send({ text: 42, clientId }))).toMatchObject({
      code: "bad_frame",
      clientId,
    });
    expect(await errorFor(send({ clientId: 7 }))).toMatchObject({ code: "bad_frame" });
    expect(await errorFor(send({ clientId: "" }))).toMatchObject({ code: "bad_frame" });
    expect(await errorFor(send({ roomId: undefined }))).toMatchObject({ code: "bad_frame" });
    expect(await errorFor(send({ v: 1 }))).toMatchObject({ code: "bad_frame" });
    expect(await errorFor(send({ v: 3 }))).toMatchObject({ code: "bad_frame" });
    expect(
      await errorFor(JSON.stringify({ type: "subscribe", roomId: ["general"] })),
    ).toMatchObject({ code: "bad_frame" });
  });

  it("empty or whitespace-only text -> bad_frame and nothing is stored", async () => {
    const before = storedMessages(server.dataDir, general).length;
    for (const text of ["", "   ", "\n\t  \n"]) {
      const clientId = randomUUID();
      expect(await errorFor(send({ text, clientId })), JSON.stringify(text)).toMatchObject({
        code: "bad_frame",
        clientId,
      });
    }
    // Each errorFor call stored exactly one "still alive" message and nothing else.
    expect(storedMessages(server.dataDir, general).length).toBe(before + 3);
  });

  it("text over 4000 characters -> too_large; exactly 4000 (after trimming) is accepted", async () => {
    const clientId = randomUUID();
    expect(await errorFor(send({ text: "x".repeat(4001), clientId }))).toMatchObject({
      code: "too_large",
      clientId,
    });

    const atLimit = await sendAndAck(user.socket, general, `  ${"y".repeat(4000)}  `);
    expect(atLimit.text).toBe("y".repeat(4000));
  });

  it("binary frame of garbage -> bad_frame", async () => {
    expect(await errorFor(Buffer.from([0xff, 0x00, 0xfe, 0x80, 0x81]))).toMatchObject({
      code: "bad_frame",
    });
  });

  // Regression: binary frames were once decoded as text and handled.
  it("binary frame holding a valid send frame -> bad_frame, and nothing is stored", async () => {
    const clientId = randomUUID();
    const text = `binary ${randomUUID()}`;
    const socket = user.socket;
    const start = socket.frames.length;
    socket.ws.send(Buffer.from(send({ clientId, text })), { binary: true });
    // Whichever comes first: the refusal, or (the bug) an ack for it.
    const reply = await socket.next(
      (f) => socket.frames.indexOf(f) >= start && (f.type === "error" || f.type === "ack"),
    );
    expect(reply).toMatchObject({ type: "error", code: "bad_frame" });
    expect(storedMessages(server.dataDir, general).map((m) => m.text)).not.toContain(text);
    const ok = await sendAndAck(socket, general, `still alive ${randomUUID()}`);
    expect(ok.seq).toBeGreaterThan(0);
  });

  it("a 70 KiB text frame closes the socket with 1009", async () => {
    const victim = await joinAs(server.url);
    extraSockets.push(victim.socket);
    victim.socket.send(send({ text: "z".repeat(70 * 1024) }));
    const closed = await victim.socket.closed;
    expect(closed.code).toBe(1009);
    expect(framesWhere(victim.socket, (f) => f.type === "ack")).toEqual([]);

    // Other sockets are unaffected.
    await settle(50);
    const ok = await sendAndAck(user.socket, general, `after 1009 ${randomUUID()}`);
    expect(ok.seq).toBeGreaterThan(0);
  });
});
