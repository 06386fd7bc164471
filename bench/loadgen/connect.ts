// Opens one client connection of the load generator with the client that
// suits the system: the lite WebSocket client (default), the `ws` package
// (BENCH_CLIENT=ws), or socket.io-client for Socket.IO.
import WebSocket from "ws";
import { openLite } from "./lite-ws.ts";
import type { ConnSpec, Kind } from "./protocol.ts";

export type Transport = { send(frame: string): void; close(): void };

/** Where a connection's frames go: as text, or (lite client) as bytes to peek at first. */
export type Sink = {
  text(frame: string): void;
  bytes(buf: Buffer, start: number, end: number): void;
};

let ioModule: typeof import("socket.io-client") | undefined;

/** Resolves once the connection is open; `fail` hears of errors after that too. */
export async function connect(
  kind: Kind,
  base: string,
  spec: ConnSpec,
  sink: Sink,
  fail: (error: Error) => void,
): Promise<Transport> {
  // Parley authenticates by cookie at /_ws; the baselines take rooms from the URL.
  const url = (spec.cookie ? `${base}/_ws` : `${base}/?rooms=${spec.slugs.join(",")}`).replace(
    /^http/,
    "ws",
  );
  // Parley checks the Origin against the Host, as a browser would send them.
  const headers: Record<string, string> = spec.cookie ? { cookie: spec.cookie, origin: base } : {};
  if (kind === "lite") return openLite(url, headers, sink.bytes);
  if (kind === "ws") {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    ws.on("message", (data) => sink.text(String(data)));
    ws.on("error", fail);
    ws.once("unexpected-response", (_req, res) => fail(new Error(`upgrade ${res.statusCode}`)));
    return { send: (f) => ws.send(f), close: () => ws.terminate() };
  }
  ioModule ??= await import("socket.io-client");
  const socket = ioModule.io(base, {
    transports: ["websocket"],
    query: { rooms: spec.slugs.join(",") },
    forceNew: true,
    reconnection: false,
  });
  socket.on("frame", (frame: string) => sink.text(frame));
  socket.on("connect_error", fail);
  return { send: (f) => socket.emit("send", f), close: () => socket.disconnect() };
}
