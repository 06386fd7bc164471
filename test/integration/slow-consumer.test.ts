import { afterAll, beforeAll, expect, it } from "vitest";
import type { WireMessage } from "../../src/protocol/frames";
import { joinAs, roomIdFromReady } from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

it("closes a reader that stopped reading (4008) while everyone else keeps up", {
  timeout: 90_000,
}, async () => {
  const sender = await joinAs(server.url);
  const reader = await joinAs(server.url);
  const paused = await joinAs(server.url);
  const roomId = roomIdFromReady(sender.socket, "general");
  // Stop reading on one client: the server's queue for it grows once the
  // kernel buffers are full.
  const raw = (paused.socket.ws as unknown as { _socket: { pause(): void; resume(): void } })
    ._socket;
  raw.pause();
  const text = "x".repeat(3_900);
  const total = 2_500;
  for (let i = 0; i < total; i++)
    sender.socket.send({ type: "send", roomId, clientId: `c${i}`, text });
  await reader.socket.next(
    (f) =>
      f.type === "message" &&
      (f.message as WireMessage).text === text &&
      reader.socket.frames.filter((g) => g.type === "message").length === total,
    60_000,
  );
  raw.resume();
  const closed = await paused.socket.closed;
  expect(closed.code).toBe(4008);
  const rss =
    Number(
      (await import("node:fs"))
        .readFileSync(`/proc/${server.pid}/status`, "utf8")
        .match(/VmRSS:\s+(\d+)/)?.[1],
    ) / 1024;
  console.log(
    `slow consumer closed after ${paused.socket.frames.length} frames; server RSS ${rss.toFixed(0)} MiB`,
  );
  expect(rss).toBeLessThan(400);
  // The fan-out wrote straight to the sockets: the built server found ws's
  // internals (src/server/ws/library-internals.server.ts).
  expect(server.output()).not.toContain("direct socket writes are off");
  sender.socket.close();
  reader.socket.close();
});
