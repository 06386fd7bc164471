import { connect as tcpConnect } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningServer, startServer } from "../helpers/server";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ env: { PARLEY_HEADERS_TIMEOUT_MS: "1500" } });
});
afterAll(() => server?.stop());

it("cuts off a handshake trickled byte by byte", { timeout: 20_000 }, async () => {
  const handshake = `GET /_ws HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n`;
  const socket = tcpConnect(server.port, "127.0.0.1");
  let sent = 0;
  const started = Date.now();
  const timer = setInterval(() => {
    if (sent < handshake.length && !socket.destroyed) socket.write(handshake[sent++] ?? "");
  }, 200);
  const ended = await new Promise<number>((resolve) => {
    socket.on("close", () => resolve(Date.now() - started));
    socket.on("error", () => {});
  });
  clearInterval(timer);
  // The headers never completed (~200 bytes at 5 bytes/s) and were cut off
  // soon after the 1.5 s limit, not after Node's default minute.
  expect(sent).toBeLessThan(handshake.length);
  expect(ended).toBeLessThan(6_000);
});
