// Issue 18, F-19: message text is normalised before it is relayed and
// stored (live equals history), counted in graphemes, and NUL is refused.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_MESSAGE_CHARS } from "../../src/protocol/frames";
import {
  createRoom,
  joinAs,
  nextError,
  sendAndAck,
  storedMessages,
  type WireMessage,
} from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

describe("message text", () => {
  it("relays a lone surrogate as the U+FFFD that history returns (live equals stored)", async () => {
    const room = createRoom(server.dataDir);
    const ann = await joinAs(server.url, [room.slug]);
    const bob = await joinAs(server.url, [room.slug]);
    bob.socket.send({ type: "subscribe", roomId: room.id });
    await bob.socket.next((f) => f.type === "subscribed" && f.roomId === room.id);
    const clientId = randomUUID();
    // JSON may carry a lone surrogate; JSON.stringify would keep it too.
    ann.socket.send(
      `{"type":"send","roomId":"${room.id}","clientId":"${clientId}","text":"odd \\ud800 one"}`,
    );
    const live = await bob.socket.next(
      (f) => f.type === "message" && (f.message as WireMessage).roomId === room.id,
    );
    const liveText = (live.message as WireMessage).text;
    bob.socket.send({ type: "fetch", roomId: room.id, afterSeq: 0 });
    const page = await bob.socket.next(
      (f) => f.type === "history" && f.roomId === room.id && (f.messages as []).length > 0,
    );
    const storedText = (page.messages as WireMessage[])[0]?.text;
    expect(liveText).toBe(storedText);
    expect(liveText).toBe("odd \ufffd one");
    expect(storedMessages(server.dataDir, room.id).map((m) => m.text)).toEqual([liveText]);
    ann.socket.close();
    bob.socket.close();
  });

  it("refuses NUL with bad_frame, echoing the clientId, and stores nothing", async () => {
    const room = createRoom(server.dataDir);
    const ann = await joinAs(server.url, [room.slug]);
    const start = ann.socket.frames.length;
    ann.socket.send({ type: "send", roomId: room.id, clientId: "nul-1", text: "a\u0000b" });
    const error = await nextError(ann.socket, start);
    expect(error).toMatchObject({ code: "bad_frame", clientId: "nul-1" });
    expect(String(error.message)).toContain("control character");
    // Tabs and newlines are text.
    const ok = await sendAndAck(ann.socket, room.id, "a\tb\nc");
    expect(ok.text).toBe("a\tb\nc");
    expect(storedMessages(server.dataDir, room.id).map((m) => m.text)).toEqual(["a\tb\nc"]);
    ann.socket.close();
  });

  it("counts what people see: 4,000 accented letters are 4,000 characters, 4,001 too many", async () => {
    const room = createRoom(server.dataDir);
    const ann = await joinAs(server.url, [room.slug]);
    // "é" as e + combining acute: one character on screen, two code points.
    const text = "e\u0301".repeat(MAX_MESSAGE_CHARS);
    expect((await sendAndAck(ann.socket, room.id, text)).text).toBe(text);
    const emoji = "👍🏽".repeat(MAX_MESSAGE_CHARS); // skin tone: two code points each
    expect((await sendAndAck(ann.socket, room.id, emoji)).text).toBe(emoji);
    const start = ann.socket.frames.length;
    ann.socket.send({ type: "send", roomId: room.id, clientId: "long-1", text: `${text}x` });
    expect(await nextError(ann.socket, start)).toMatchObject({
      code: "too_large",
      clientId: "long-1",
    });
    ann.socket.close();
  });
});
