// RFC 6455 conformance of /_ws on the built production server, spoken over
// plain TCP (test/helpers/raw-ws.ts) so the client can break the rules no
// websocket library lets it break. Protocol errors must close with the right
// code (1002, 1007, 1009) and then end the TCP connection.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MAX_FRAME_BYTES } from "../../src/protocol/frames";
import type { Frame } from "../helpers/clients";
import { getPage, signUp } from "../helpers/clients";
import { settle, storedMessages } from "../helpers/integration-extra";
import { changeAbout, presenceOf as presenceFrameOf } from "../helpers/presence";
import {
  acceptFor,
  buildFrame,
  closePayload,
  Opcode,
  type ParsedFrame,
  RawWebSocket,
} from "../helpers/raw-ws";
import { type RunningServer, startServer } from "../helpers/server";

/** Each test's own bound: every wait inside is a few seconds at most. */
const TEST_MS = 10_000;

let server: RunningServer;
let cookie: string;
let general: string;
const opened: RawWebSocket[] = [];

beforeAll(async () => {
  server = await startServer();
  ({ cookie } = await signUp(server.url));
  const page = await getPage(server.url, "/r/general", cookie);
  if (page.status !== 200) throw new Error(`GET /r/general answered ${page.status}`);
  const { ready } = await openReady();
  const rooms = ready.rooms as { id: string; slug: string }[];
  const room = rooms.find((r) => r.slug === "general");
  if (!room) throw new Error(`general not in ready: ${JSON.stringify(ready)}`);
  general = room.id;
});

afterEach(() => {
  for (const ws of opened.splice(0)) ws.destroy();
});

afterAll(async () => {
  await server?.stop();
});

/** Upgrades with the session cookie and the app's own Origin. */
async function open(headers: Record<string, string | null> = {}): Promise<RawWebSocket> {
  const ws = await RawWebSocket.open(server.url, {
    Origin: server.url,
    Cookie: cookie,
    ...headers,
  });
  opened.push(ws);
  return ws;
}

/** Opens, checks the 101, and takes the `ready` frame (which must come first). */
async function openReady() {
  const ws = await open();
  expect(ws.handshake.status).toBe(101);
  const first = await ws.next();
  expect(first.opcode).toBe(Opcode.text);
  const ready = JSON.parse(first.payload.toString("utf8")) as Record<string, unknown>;
  expect(ready.type).toBe("ready");
  return { ws, ready };
}

const sendFrame = (clientId: string, text = `raw ${clientId}`) =>
  JSON.stringify({ type: "send", roomId: general, clientId, text });

/** Waits for the ack of `clientId`; fails on an error frame for it. */
async function ackOf(ws: RawWebSocket, clientId: string) {
  const reply = await ws.nextJson(
    (f) => (f.type === "ack" || f.type === "error") && f.clientId === clientId,
  );
  expect(reply).toMatchObject({ type: "ack", clientId, message: { roomId: general } });
  return reply as { message: { text: string; seq: number } };
}

/** The server must answer with a close frame carrying `code`, then end the TCP connection. */
async function expectClosedWith(ws: RawWebSocket, code: number) {
  const close = await ws.nextClose();
  expect(close.code).toBe(code);
  expect(await ws.endsWithin(3_000)).toBe(true);
}

/** A server frame must be unmasked, RSV-clear, and (for these tests) final. */
function expectServerFrameShape(frame: ParsedFrame) {
  expect(frame.masked).toBe(false);
  expect([frame.rsv1, frame.rsv2, frame.rsv3]).toEqual([false, false, false]);
}

describe("handshake", () => {
  it("answers 101 with the right Sec-WebSocket-Accept, then `ready` is the first frame", {
    timeout: TEST_MS,
  }, async () => {
    const ws = await open();
    expect(ws.handshake.status).toBe(101);
    expect(ws.handshake.headers.upgrade?.toLowerCase()).toBe("websocket");
    expect(ws.handshake.headers.connection?.toLowerCase()).toContain("upgrade");
    expect(ws.handshake.headers["sec-websocket-accept"]).toBe(acceptFor(ws.handshake.key));
    // No extension was offered, so none may be accepted (RSV1 stays reserved).
    expect(ws.handshake.headers["sec-websocket-extensions"]).toBeUndefined();
    const first = await ws.next();
    expectServerFrameShape(first);
    expect(first.fin).toBe(true);
    expect(first.opcode).toBe(Opcode.text);
    const ready = JSON.parse(first.payload.toString("utf8"));
    expect(ready).toMatchObject({ type: "ready", v: 2, rooms: expect.any(Array) });
    expect(ready.rooms.map((r: { slug: string }) => r.slug)).toContain("general");
  });

  it("refuses an upgrade without a session (401) and from a foreign Origin (403)", {
    timeout: TEST_MS,
  }, async () => {
    const anonymous = await RawWebSocket.open(server.url, { Origin: server.url });
    opened.push(anonymous);
    expect(anonymous.handshake.status).toBe(401);
    const foreign = await open({ Origin: "https://evil.example" });
    expect(foreign.handshake.status).toBe(403);
  });
});

describe("handshake validation", () => {
  it("computes the accept value of RFC 6455's own example key", { timeout: TEST_MS }, async () => {
    expect(acceptFor("dGhlIHNhbXBsZSBub25jZQ==")).toBe("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    const ws = await open({ "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==" });
    expect(ws.handshake.status).toBe(101);
    expect(ws.handshake.headers["sec-websocket-accept"]).toBe("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  });

  it("refuses an unsupported Sec-WebSocket-Version, naming the one it speaks", {
    timeout: TEST_MS,
  }, async () => {
    const ws = await open({ "Sec-WebSocket-Version": "12" });
    expect([400, 426]).toContain(ws.handshake.status);
    expect(ws.handshake.headers["sec-websocket-version"]).toMatch(/\b13\b/);
  });

  it.each([
    ["missing", null],
    ["not 16 bytes of base64", "abc"],
  ])("refuses a %s Sec-WebSocket-Key with 400", { timeout: TEST_MS }, async (_name, key) => {
    const ws = await open({ "Sec-WebSocket-Key": key });
    expect(ws.handshake.status).toBe(400);
  });

  it("declines permessage-deflate, so RSV1 stays a protocol error", {
    timeout: TEST_MS,
  }, async () => {
    const ws = await open({
      "Sec-WebSocket-Extensions": "permessage-deflate; client_max_window_bits",
    });
    expect(ws.handshake.status).toBe(101);
    expect(ws.handshake.headers["sec-websocket-extensions"]).toBeUndefined();
    expect(JSON.parse((await ws.next()).payload.toString()).type).toBe("ready");
    ws.sendFrame({ opcode: Opcode.text, payload: sendFrame(randomUUID()), rsv1: true });
    await expectClosedWith(ws, 1002);
  });

  it("accepts browser-style headers: `Connection: keep-alive, Upgrade` and `Upgrade: WebSocket`", {
    timeout: TEST_MS,
  }, async () => {
    const ws = await open({ Connection: "keep-alive, Upgrade", Upgrade: "WebSocket" });
    expect(ws.handshake.status).toBe(101);
    expect(ws.handshake.headers["sec-websocket-accept"]).toBe(acceptFor(ws.handshake.key));
    expect(JSON.parse((await ws.next()).payload.toString()).type).toBe("ready");
  });

  it("selects no subprotocol when the client offers some", { timeout: TEST_MS }, async () => {
    const ws = await open({ "Sec-WebSocket-Protocol": "chat, superchat" });
    expect(ws.handshake.status).toBe(101);
    expect(ws.handshake.headers["sec-websocket-protocol"]).toBeUndefined();
  });
});

describe("data frames", () => {
  it("a masked text frame holding a send is acked", { timeout: TEST_MS }, async () => {
    const { ws } = await openReady();
    const clientId = randomUUID();
    ws.sendFrame({ opcode: Opcode.text, payload: sendFrame(clientId) });
    const ack = await ackOf(ws, clientId);
    expect(ack.message.text).toBe(`raw ${clientId}`);
  });

  it("a send split into 3 fragments (text, continuation, continuation) is reassembled and acked", {
    timeout: TEST_MS,
  }, async () => {
    const { ws } = await openReady();
    const clientId = randomUUID();
    // The emoji's 4 UTF-8 bytes straddle the fragment boundaries on purpose:
    // only the whole message has to be valid UTF-8.
    const bytes = Buffer.from(sendFrame(clientId, "fragmented 🎉 message"), "utf8");
    const emoji = bytes.indexOf(Buffer.from("🎉"));
    const parts = [
      bytes.subarray(0, emoji + 1),
      bytes.subarray(emoji + 1, emoji + 3),
      bytes.subarray(emoji + 3),
    ];
    ws.sendFrame({ opcode: Opcode.text, fin: false, payload: parts[0] });
    ws.sendFrame({ opcode: Opcode.continuation, fin: false, payload: parts[1] });
    ws.sendFrame({ opcode: Opcode.continuation, fin: true, payload: parts[2] });
    const ack = await ackOf(ws, clientId);
    expect(ack.message.text).toBe("fragmented 🎉 message");
  });

  it("control frames may come between fragments: a ping mid-message is answered and the message acked", {
    timeout: TEST_MS,
  }, async () => {
    const { ws } = await openReady();
    const clientId = randomUUID();
    const bytes = Buffer.from(sendFrame(clientId), "utf8");
    ws.sendFrame({ opcode: Opcode.text, fin: false, payload: bytes.subarray(0, 10) });
    ws.sendFrame({ opcode: Opcode.ping, payload: "between" });
    ws.sendFrame({ opcode: Opcode.continuation, fin: true, payload: bytes.subarray(10) });
    const pong = await ws.nextWhere((f) => f.opcode === Opcode.pong);
    expect(pong.payload.toString()).toBe("between");
    await ackOf(ws, clientId);
  });

  it("empty fragments are allowed around the data", { timeout: TEST_MS }, async () => {
    const { ws } = await openReady();
    const clientId = randomUUID();
    ws.sendFrame({ opcode: Opcode.text, fin: false });
    ws.sendFrame({ opcode: Opcode.continuation, fin: false, payload: sendFrame(clientId) });
    ws.sendFrame({ opcode: Opcode.continuation, fin: true });
    await ackOf(ws, clientId);
  });

  it("a frame written one byte at a time is still parsed and acked", {
    timeout: TEST_MS,
  }, async () => {
    const { ws } = await openReady();
    const clientId = randomUUID();
    const frame = buildFrame({ opcode: Opcode.text, payload: sendFrame(clientId) });
    for (const byte of frame) ws.write(Buffer.from([byte]));
    await ackOf(ws, clientId);
  });

  it("a message of exactly 64 KiB is accepted (the limit is inclusive)", {
    timeout: TEST_MS,
  }, async () => {
    const { ws } = await openReady();
    const clientId = randomUUID();
    const json = sendFrame(clientId);
    // JSON allows trailing whitespace: pad the frame to exactly the limit.
    const payload = Buffer.from(json + " ".repeat(MAX_FRAME_BYTES - Buffer.byteLength(json)));
    expect(payload.length).toBe(MAX_FRAME_BYTES);
    ws.sendFrame({ opcode: Opcode.text, payload });
    await ackOf(ws, clientId);
  });

  it("a binary frame gets a bad_frame error and the socket stays usable", {
    timeout: TEST_MS,
  }, async () => {
    const { ws } = await openReady();
    ws.sendFrame({ opcode: Opcode.binary, payload: Buffer.from(sendFrame(randomUUID())) });
    expect(await ws.nextJson((f) => f.type === "error")).toMatchObject({ code: "bad_frame" });
    const clientId = randomUUID();
    ws.sendFrame({ opcode: Opcode.text, payload: sendFrame(clientId) });
    await ackOf(ws, clientId);
  });
});

describe("ping/pong (heartbeat)", () => {
  it.each([
    ["empty", Buffer.alloc(0)],
    ["text", Buffer.from("are you there?")],
    ["125 bytes, the maximum", Buffer.alloc(125, 0xab)],
  ])(
    "a ping's payload (%s) comes back in the pong, unmasked",
    { timeout: TEST_MS },
    async (_name, payload) => {
      const { ws } = await openReady();
      ws.sendFrame({ opcode: Opcode.ping, payload });
      const pong = await ws.nextWhere((f) => f.opcode === Opcode.pong);
      expectServerFrameShape(pong);
      expect(pong.fin).toBe(true);
      expect(pong.payload.equals(payload)).toBe(true);
      // The connection is still fine afterwards.
      const clientId = randomUUID();
      ws.sendFrame({ opcode: Opcode.text, payload: sendFrame(clientId) });
      await ackOf(ws, clientId);
    },
  );

  it("an unsolicited pong is ignored (no close, socket usable)", { timeout: TEST_MS }, async () => {
    const { ws } = await openReady();
    ws.sendFrame({ opcode: Opcode.pong, payload: "unsolicited" });
    const clientId = randomUUID();
    ws.sendFrame({ opcode: Opcode.text, payload: sendFrame(clientId) });
    await ackOf(ws, clientId);
  });
});

describe("closing handshake", () => {
  it.each([1000, 1001, 3000, 4999])(
    "a client close %i is echoed, then the server ends TCP",
    {
      timeout: TEST_MS,
    },
    async (code) => {
      const { ws } = await openReady();
      ws.sendFrame({ opcode: Opcode.close, payload: closePayload(code, "bye") });
      await expectClosedWith(ws, code);
    },
  );

  it("data frames after the client's close frame are ignored (not stored, not acked)", {
    timeout: TEST_MS,
  }, async () => {
    const { ws } = await openReady();
    const text = `after close ${randomUUID()}`;
    ws.write(
      Buffer.concat([
        buildFrame({ opcode: Opcode.close, payload: closePayload(1000) }),
        buildFrame({ opcode: Opcode.text, payload: sendFrame(randomUUID(), text) }),
      ]),
    );
    await expectClosedWith(ws, 1000);
    await settle(300);
    const texts = ws.frames.filter((f) => f.opcode === Opcode.text).map((f) => String(f.payload));
    expect(texts.some((t) => t.includes('"ack"'))).toBe(false);
    expect(storedMessages(server.dataDir, general).map((m) => m.text)).not.toContain(text);
  });

  it("an empty close frame is answered with a close frame, then TCP ends", {
    timeout: TEST_MS,
  }, async () => {
    const { ws } = await openReady();
    ws.sendFrame({ opcode: Opcode.close });
    const close = await ws.nextClose();
    // 1005 ("no status") must never be put on the wire: empty or 1000.
    expect(close.code === undefined || close.code === 1000).toBe(true);
    expect(await ws.endsWithin(3_000)).toBe(true);
  });
});

describe("protocol errors close with 1002, then TCP ends", () => {
  it.each(["0x3", "0x7", "0xB", "0xF"])(
    "reserved opcode %s",
    { timeout: TEST_MS },
    async (opcode) => {
      const { ws } = await openReady();
      ws.sendFrame({ opcode: Number(opcode), payload: "x" });
      await expectClosedWith(ws, 1002);
    },
  );

  it.each(["rsv1", "rsv2", "rsv3"] as const)(
    "%s set without a negotiated extension",
    {
      timeout: TEST_MS,
    },
    async (bit) => {
      const { ws } = await openReady();
      ws.sendFrame({ opcode: Opcode.text, payload: sendFrame(randomUUID()), [bit]: true });
      await expectClosedWith(ws, 1002);
    },
  );

  it("RSV1 on a control frame", { timeout: TEST_MS }, async () => {
    const { ws } = await openReady();
    ws.sendFrame({ opcode: Opcode.ping, payload: "x", rsv1: true });
    await expectClosedWith(ws, 1002);
  });

  it("an unmasked client frame", { timeout: TEST_MS }, async () => {
    const { ws } = await openReady();
    ws.sendFrame({ opcode: Opcode.text, payload: sendFrame(randomUUID()), mask: false });
    await expectClosedWith(ws, 1002);
  });

  it("a fragmented control frame (ping with FIN=0)", { timeout: TEST_MS }, async () => {
    const { ws } = await openReady();
    ws.sendFrame({ opcode: Opcode.ping, payload: "half", fin: false });
    await expectClosedWith(ws, 1002);
  });

  it.each([
    ["ping", Opcode.ping],
    ["pong", Opcode.pong],
    ["close", Opcode.close],
  ])(
    "a %s frame with a 126-byte payload",
    {
      timeout: TEST_MS,
    },
    async (_name, opcode) => {
      const { ws } = await openReady();
      const payload =
        opcode === Opcode.close ? closePayload(1000, "x".repeat(124)) : Buffer.alloc(126, 1);
      expect(payload.length).toBe(126);
      ws.sendFrame({ opcode, payload });
      await expectClosedWith(ws, 1002);
    },
  );

  it("a continuation frame without a started message", { timeout: TEST_MS }, async () => {
    const { ws } = await openReady();
    ws.sendFrame({ opcode: Opcode.continuation, payload: sendFrame(randomUUID()) });
    await expectClosedWith(ws, 1002);
  });

  it("a new text frame while a fragmented message is still open", {
    timeout: TEST_MS,
  }, async () => {
    const { ws } = await openReady();
    ws.sendFrame({ opcode: Opcode.text, fin: false, payload: '{"type":' });
    ws.sendFrame({ opcode: Opcode.text, payload: sendFrame(randomUUID()) });
    await expectClosedWith(ws, 1002);
  });

  it.each([0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535])(
    "a close frame with the invalid code %i",
    {
      timeout: TEST_MS,
    },
    async (code) => {
      const { ws } = await openReady();
      ws.sendFrame({ opcode: Opcode.close, payload: closePayload(code) });
      await expectClosedWith(ws, 1002);
    },
  );

  it("a close frame with a 1-byte payload", { timeout: TEST_MS }, async () => {
    const { ws } = await openReady();
    ws.sendFrame({ opcode: Opcode.close, payload: Buffer.from([0x03]) });
    await expectClosedWith(ws, 1002);
  });
});

/** Bytes that are not UTF-8: a lone continuation byte, an overlong '/', a surrogate, > U+10FFFF. */
const invalidUtf8 = {
  "lone continuation byte": Buffer.from([0x80]),
  "overlong encoding": Buffer.from([0xc0, 0xaf]),
  "UTF-16 surrogate": Buffer.from([0xed, 0xa0, 0x80]),
  "code point over U+10FFFF": Buffer.from([0xf4, 0x90, 0x80, 0x80]),
  "truncated sequence at the end": Buffer.from([0xe2, 0x82]),
};

describe("invalid UTF-8 closes with 1007", () => {
  it.each(Object.entries(invalidUtf8))(
    "in a single text frame: %s",
    { timeout: TEST_MS },
    async (_name, bad) => {
      const { ws } = await openReady();
      ws.sendFrame({
        opcode: Opcode.text,
        payload: Buffer.concat([Buffer.from('{"type":"'), bad, Buffer.from('"}')]),
      });
      await expectClosedWith(ws, 1007);
    },
  );

  it("split across fragments: a sequence started in one fragment, broken in the next", {
    timeout: TEST_MS,
  }, async () => {
    const { ws } = await openReady();
    // E2 82 starts a 3-byte sequence that "(" does not finish; the first
    // fragment alone is a valid prefix, so only the whole message is wrong.
    ws.sendFrame({
      opcode: Opcode.text,
      fin: false,
      payload: Buffer.from([...Buffer.from('{"text":"'), 0xe2]),
    });
    ws.sendFrame({ opcode: Opcode.continuation, fin: false, payload: Buffer.from([0x82]) });
    ws.sendFrame({ opcode: Opcode.continuation, fin: true, payload: Buffer.from('("}') });
    await expectClosedWith(ws, 1007);
  });

  it("invalid UTF-8 in a fragment in the middle of a message", { timeout: TEST_MS }, async () => {
    const { ws } = await openReady();
    ws.sendFrame({ opcode: Opcode.text, fin: false, payload: '{"a":"' });
    ws.sendFrame({ opcode: Opcode.continuation, fin: false, payload: Buffer.from([0xff, 0xfe]) });
    ws.sendFrame({ opcode: Opcode.continuation, fin: true, payload: '"}' });
    await expectClosedWith(ws, 1007);
  });

  it("in a close frame's reason", { timeout: TEST_MS }, async () => {
    const { ws } = await openReady();
    ws.sendFrame({ opcode: Opcode.close, payload: closePayload(1000, Buffer.from([0xc3, 0x28])) });
    await expectClosedWith(ws, 1007);
  });
});

describe("messages over 64 KiB close with 1009", () => {
  it("one frame of 64 KiB + 1 byte", { timeout: TEST_MS }, async () => {
    const { ws } = await openReady();
    ws.sendFrame({ opcode: Opcode.text, payload: Buffer.alloc(MAX_FRAME_BYTES + 1, 0x20) });
    await expectClosedWith(ws, 1009);
  });

  it("a frame header announcing 1 MiB (the server must not wait for the body)", {
    timeout: TEST_MS,
  }, async () => {
    const { ws } = await openReady();
    const header = buildFrame({ opcode: Opcode.text, payload: Buffer.alloc(1024 * 1024) }).subarray(
      0,
      14,
    );
    ws.write(header);
    await expectClosedWith(ws, 1009);
  });

  it("fragments each under the limit whose total is over it", { timeout: TEST_MS }, async () => {
    const { ws } = await openReady();
    const part = Buffer.alloc(40 * 1024, 0x20);
    ws.sendFrame({ opcode: Opcode.text, fin: false, payload: part });
    ws.sendFrame({ opcode: Opcode.continuation, fin: true, payload: part });
    await expectClosedWith(ws, 1009);
  });

  it("a binary frame over the limit", { timeout: TEST_MS }, async () => {
    const { ws } = await openReady();
    ws.sendFrame({ opcode: Opcode.binary, payload: Buffer.alloc(MAX_FRAME_BYTES + 1) });
    await expectClosedWith(ws, 1009);
  });
});

describe("the app over raw frames", () => {
  it("frames pipelined with the upgrade request are handled, after `ready`", {
    timeout: TEST_MS,
  }, async () => {
    for (let round = 0; round < 5; round++) {
      const clientId = randomUUID();
      const pipelined = Buffer.concat([
        buildFrame({
          opcode: Opcode.text,
          payload: JSON.stringify({ type: "subscribe", roomId: general }),
        }),
        buildFrame({ opcode: Opcode.text, payload: sendFrame(clientId) }),
      ]);
      const ws = await RawWebSocket.open(
        server.url,
        { Origin: server.url, Cookie: cookie },
        { pipelined },
      );
      opened.push(ws);
      expect(ws.handshake.status).toBe(101);
      const types: string[] = [];
      while (!types.includes("ack")) {
        const frame = await ws.nextWhere((f) => f.opcode === Opcode.text);
        types.push(JSON.parse(frame.payload.toString("utf8")).type);
      }
      expect(types.slice(0, 3)).toEqual(["ready", "subscribed", "ack"]);
      ws.destroy();
    }
  });

  it("a socket closed for a protocol error takes its user offline for the others", {
    timeout: TEST_MS,
  }, async () => {
    const joinGeneral = async () => {
      const user = await signUp(server.url);
      const page = await getPage(server.url, "/r/general", user.cookie);
      expect(page.status).toBe(200);
      const ws = await open({ Cookie: user.cookie });
      const ready = JSON.parse((await ws.next()).payload.toString("utf8"));
      expect(ready.type).toBe("ready");
      return { ws, id: (ready.user as { id: string }).id };
    };
    const watcher = await joinGeneral();
    const offender = await joinGeneral();
    const presence = (online: boolean) =>
      watcher.ws.nextJson((f) => presenceFrameOf(offender.id, online)(f as Frame));
    await presence(true);
    offender.ws.sendFrame({ opcode: 0x3, payload: "x" });
    await expectClosedWith(offender.ws, 1002);
    // A presence change is about the user, in the tick's one batch (issue 16).
    const offline = (await presence(false)) as Frame;
    expect(offline.type).toBe("presence_batch");
    expect(changeAbout(offline, offender.id)).toMatchObject({
      user: expect.objectContaining({ id: offender.id }),
      online: false,
    });
  });
});

describe("the server survives every one of these", () => {
  it("a fresh connection still gets ready and acks after all the abuse above", {
    timeout: TEST_MS,
  }, async () => {
    const { ws } = await openReady();
    const clientId = randomUUID();
    ws.sendFrame({ opcode: Opcode.text, payload: sendFrame(clientId) });
    await ackOf(ws, clientId);
    expect(server.output()).not.toMatch(/uncaught|unhandled/i);
  });
});
