import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import wsAdapter from "crossws/adapters/node";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { Sink } from "../../src/core/hub";
import { createFrameWriter } from "../../src/server/ws/frame-writer.server";
import {
  createWsInternals,
  hasWsShape,
  releaseUpgradeRequest,
  responseUnderway,
} from "../../src/server/ws/library-internals.server";

/** A crossws-like peer whose `_internal.ws` is `ws` (any shape), recording peer.send. */
const peerWith = (ws: unknown) => {
  const sent: string[] = [];
  const peer = {
    _internal: { ws },
    sent,
    send: (data: string) => sent.push(data),
    bufferedAmount: 5,
  };
  return peer as typeof peer & Sink;
};

const recorder = () => {
  const lines: Array<{ msg: string; fields?: object }> = [];
  return { lines, warn: (msg: string, fields?: object) => lines.push({ msg, fields }) };
};

describe("ws internals missing", () => {
  it("sends every frame through peer.send and logs once that direct writes are off", () => {
    const { lines, warn } = recorder();
    const internals = createWsInternals(warn);
    const writer = createFrameWriter(internals);
    // A future ws that renamed its sender: the socket is there, the rest is not.
    const chunks: Buffer[] = [];
    const socket = new Writable({
      write(chunk, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    });
    const changed = { readyState: 1, _socket: socket, sender: {} };
    const [a, b] = [peerWith(changed), peerWith(changed)];
    writer.write(a, writer.prepare("one"), "one");
    writer.send(a, "two");
    writer.write(b, writer.prepare("three"), "three");
    expect(a.sent).toEqual(["one", "two"]);
    expect(b.sent).toEqual(["three"]);
    expect(chunks).toEqual([]);
    // The slow-consumer check falls back to the public bufferedAmount.
    expect(writer.queued(a)).toBe(5);
    expect(internals.enabled).toBe(false);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.msg).toMatch(/direct socket writes are off/);
    // Once off, even a peer with the right shape goes through peer.send.
    const good = peerWith({
      _readyState: 1,
      _socket: socket,
      _sender: { _state: 0, _bufferedBytes: 0 },
    });
    writer.send(good, "four");
    expect(good.sent).toEqual(["four"]);
    expect(lines).toHaveLength(1);
  });

  it("decides on the first crossws peer, not on sinks without adapter state", () => {
    const { lines, warn } = recorder();
    const internals = createWsInternals(warn);
    const got: string[] = [];
    const plain: Sink = { send: (data) => got.push(data), bufferedAmount: 0 };
    createFrameWriter(internals).send(plain, "x");
    expect(got).toEqual(["x"]);
    expect(internals.enabled).toBeUndefined();
    expect(lines).toEqual([]);
  });

  it("checks each field's kind", () => {
    const socket = { write() {}, writableLength: 0 };
    const ok = { _readyState: 1, _socket: socket, _sender: { _state: 0, _bufferedBytes: 0 } };
    expect(hasWsShape(ok)).toBe(true);
    expect(hasWsShape({ ...ok, _socket: null })).toBe(true);
    expect(hasWsShape({ ...ok, _readyState: "1" })).toBe(false);
    expect(hasWsShape({ ...ok, _sender: { _state: 0 } })).toBe(false);
    expect(hasWsShape({ ...ok, _socket: {} })).toBe(false);
    expect(hasWsShape(undefined)).toBe(false);
  });
});

describe("ws internals of the installed crossws", () => {
  it("has the shape on a real peer, so direct writes are on and frames arrive", async () => {
    const { lines, warn } = recorder();
    const internals = createWsInternals(warn);
    const writer = createFrameWriter(internals);
    const ws = wsAdapter({
      idleTimeout: 0,
      hooks: {
        open(peer) {
          writer.send(peer, "direct hello");
        },
      },
    });
    const server = createServer();
    server.on("upgrade", (req, socket, head) => void ws.handleUpgrade(req, socket, head));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const client = new WebSocket(`ws://127.0.0.1:${port}/`);
      const first = await new Promise<string>((resolve, reject) => {
        client.once("message", (data) => resolve(String(data)));
        client.once("error", reject);
      });
      client.close();
      expect(first).toBe("direct hello");
      expect(internals.enabled).toBe(true);
      expect(lines).toEqual([]);
    } finally {
      await ws.close(1001, "test over");
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("http internals", () => {
  it("frees crossws's parked Request and tolerates its absence", () => {
    const req: { _request?: unknown } = { _request: new Request("http://x/") };
    releaseUpgradeRequest(req);
    expect("_request" in req).toBe(false);
    expect(() => releaseUpgradeRequest({})).not.toThrow();
  });

  it("tells a response under way from none, and defaults to none", () => {
    expect(responseUnderway({ _httpMessage: { headersSent: true } })).toBe(true);
    expect(responseUnderway({ _httpMessage: { headersSent: false } })).toBe(false);
    expect(responseUnderway({})).toBe(false);
  });
});
