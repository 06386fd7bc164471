import { afterAll, beforeAll, expect, it } from "vitest";
import { upgradeStatus } from "../helpers/clients";
import { joinAs, roomIdFromReady, sendAndAck, settle } from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ env: { LOG_LEVEL: "info" } });
});
afterAll(() => server?.stop());

it("logs JSON lines for socket open, close and refusals, never message text or cookies", async () => {
  const ann = await joinAs(server.url);
  await sendAndAck(ann.socket, roomIdFromReady(ann.socket, "general"), "top secret words");
  expect(
    await upgradeStatus(server.url, { origin: "https://evil.example", cookie: ann.cookie }),
  ).toBe(403);
  ann.socket.close();
  await ann.socket.closed;
  await settle(200);
  const lines = server
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const open = lines.find((l) => l.msg === "ws open");
  expect(open).toMatchObject({
    level: "info",
    user: expect.any(String),
    requestId: expect.any(String),
  });
  expect(lines.find((l) => l.msg === "ws close")).toMatchObject({ requestId: open?.requestId });
  expect(lines.find((l) => l.msg === "upgrade refused")).toMatchObject({ reason: "origin" });
  const all = server.output();
  expect(all).not.toContain("top secret words");
  expect(all).not.toContain(ann.cookie.split("=")[1]?.slice(0, 20));
});
