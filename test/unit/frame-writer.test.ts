import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import * as ws from "ws";
import { Hub, type Sink } from "../../src/core/hub";
import { frameWriter, textFrame } from "../../src/server/ws/frame-writer.server";

// @types/ws does not declare the Sender class that ws exports.
const { Sender } = ws as unknown as { Sender: { frame(data: Buffer, options: object): Buffer[] } };
const wsFrame = (text: string) =>
  Buffer.concat(
    Sender.frame(Buffer.from(text), {
      fin: true,
      opcode: 1,
      mask: false,
      readOnly: true,
      rsv1: false,
    }),
  );

/** A TCP socket double that keeps every chunk and never drains (so writableLength grows). */
const stuckSocket = () => {
  const chunks: Buffer[] = [];
  const socket = new Writable({
    write(chunk: Buffer, _encoding, _done) {
      chunks.push(chunk);
    },
  });
  return { socket, chunks };
};

/** A crossws node-adapter peer double: `_internal.ws` is the ws WebSocket's private state. */
const nodePeer = (state: { readyState?: number; senderState?: number; queued?: number } = {}) => {
  const { socket, chunks } = stuckSocket();
  const sent: string[] = [];
  const peer = {
    sent,
    chunks,
    socket,
    _internal: {
      ws: {
        _readyState: state.readyState ?? 1,
        _socket: socket,
        _sender: { _state: state.senderState ?? 0, _bufferedBytes: state.queued ?? 0 },
      },
    },
    send: (data: string) => sent.push(data),
    bufferedAmount: 0,
  };
  return peer;
};

describe("textFrame", () => {
  it("matches ws's own framing at every length boundary", () => {
    for (const length of [0, 1, 125, 126, 127, 65_535, 65_536, 70_000]) {
      const text = "é".repeat(Math.floor(length / 2)) + "x".repeat(length % 2);
      expect(textFrame(text).equals(wsFrame(text))).toBe(true);
    }
  });
});

describe("frameWriter", () => {
  it("writes the prepared frame to the peer's TCP socket when ws holds nothing", () => {
    const peer = nodePeer();
    const frame = frameWriter.prepare("hello");
    frameWriter.write(peer, frame, "hello");
    expect(peer.sent).toEqual([]);
    expect(Buffer.concat(peer.chunks).equals(textFrame("hello"))).toBe(true);
  });

  it("falls back to peer.send while ws queues (compressing) or the socket is not open", () => {
    for (const peer of [nodePeer({ senderState: 1 }), nodePeer({ readyState: 2 })]) {
      frameWriter.write(peer, frameWriter.prepare("x"), "x");
      frameWriter.send(peer, "y");
      expect(peer.sent).toEqual(["x", "y"]);
      expect(peer.chunks).toEqual([]);
    }
  });

  it("falls back to peer.send for peers without a reachable socket", () => {
    const got: string[] = [];
    const plain: Sink = { send: (data) => got.push(data), bufferedAmount: 7 };
    frameWriter.write(plain, frameWriter.prepare("x"), "x");
    frameWriter.send(plain, "y");
    expect(got).toEqual(["x", "y"]);
    expect(frameWriter.queued(plain)).toBe(7);
  });

  it("counts direct writes and ws's own queue as the peer's queued bytes", () => {
    const peer = nodePeer({ queued: 3 });
    frameWriter.send(peer, "abc");
    expect(frameWriter.queued(peer)).toBe(textFrame("abc").length + 3);
  });
});

describe("Hub with the frame writer", () => {
  it("builds the frame once and drops a peer whose socket backed up past the limit", () => {
    const slow: unknown[] = [];
    const hub = new Hub<ReturnType<typeof nodePeer>>((p) => slow.push(p), 10, frameWriter);
    const [a, b, sender] = [nodePeer(), nodePeer(), nodePeer()];
    for (const p of [a, b, sender]) hub.subscribe(p, "r");
    expect(hub.publish("r", "first event", sender)).toBe(2);
    expect(a.chunks[0]).toBe(b.chunks[0]); // the very same Buffer
    expect(sender.chunks).toEqual([]);
    // Each socket now holds 13 unsent bytes, over the limit of 10.
    expect(hub.publish("r", "second", sender)).toBe(0);
    expect(slow).toEqual([a, b]);
    expect(hub.isSubscribed(a, "r")).toBe(false);
    expect(hub.isSubscribed(sender, "r")).toBe(true);
  });
});

describe("frameWriter.corked", () => {
  /** A socket double that records each write it is handed (one per syscall for net.Socket). */
  const countingPeer = () => {
    const writes: Buffer[][] = [];
    const socket = new Writable({
      writev(chunks, done) {
        writes.push(chunks.map((c) => c.chunk as Buffer));
        done();
      },
      write(chunk: Buffer, _encoding, done) {
        writes.push([chunk]);
        done();
      },
    });
    const peer = {
      writes,
      _internal: {
        ws: { _readyState: 1, _socket: socket, _sender: { _state: 0, _bufferedBytes: 0 } },
      },
      send: (_data: string) => {},
      bufferedAmount: 0,
    };
    return peer;
  };

  it("hands the frames written inside it to the socket in one write, in order", async () => {
    const peer = countingPeer();
    frameWriter.corked(peer, () => {
      frameWriter.send(peer, "ack");
      frameWriter.send(peer, "read");
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(peer.writes).toHaveLength(1);
    expect(peer.writes[0]?.map((b) => b.subarray(2).toString())).toEqual(["ack", "read"]);
  });

  it("uncorks even when the writing throws, and lets the error through", async () => {
    const peer = countingPeer();
    expect(() =>
      frameWriter.corked(peer, () => {
        frameWriter.send(peer, "ack");
        throw new Error("boom");
      }),
    ).toThrow("boom");
    frameWriter.send(peer, "after");
    await new Promise((resolve) => setImmediate(resolve));
    expect(peer.writes.flat().map((b) => b.subarray(2).toString())).toEqual(["ack", "after"]);
  });

  it("just runs the writing for a peer without a reachable socket", () => {
    const sent: string[] = [];
    const peer = { send: (data: string) => sent.push(data) };
    frameWriter.corked(peer, () => frameWriter.send(peer, "plain"));
    expect(sent).toEqual(["plain"]);
  });
});
