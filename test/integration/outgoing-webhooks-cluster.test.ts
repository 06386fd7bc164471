import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type Frame, signUp, type TestSocket } from "../helpers/clients";
import { startServeLike } from "../helpers/integration-extra";
import type { RunningServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";
import {
  adminQuery,
  postgresAvailable,
  redisAvailable,
  TEST_REDIS_URL,
  testDatabase,
} from "../helpers/services";

const ready = (await postgresAvailable()) && (await redisAvailable());
const testDb = testDatabase();

// Issue 15: outgoing webhooks on two instances sharing PostgreSQL and Redis:
// the bot user is made on PostgreSQL, both workers poll the same rows and
// the receiver gets the event once; the bot's answer reaches a socket on
// the other instance.
describe.runIf(ready)("outgoing webhooks across instances (PostgreSQL + Redis)", () => {
  let one: RunningServer;
  let two: RunningServer;
  let receiver: Server;
  const got: string[] = [];
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (c: Buffer) => chunks.push(c));
      request.on("end", () => {
        got.push(Buffer.concat(chunks).toString());
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify({ text: "seen on both" }));
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    await testDb.create();
    const env = {
      DATABASE_URL: testDb.url,
      REDIS_URL: TEST_REDIS_URL,
      PARLEY_WEBHOOK_ALLOW_HOSTS: "127.0.0.1",
      PARLEY_WEBHOOK_RETRY_BASE_MS: "200",
    };
    [one, two] = await Promise.all([startServeLike({ env }), startServeLike({ env })]);
  }, 60_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await Promise.all([one?.stop(), two?.stop()]);
    await testDb.drop();
    receiver?.closeAllConnections();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it("delivers once with two workers, and the bot's answer reaches the other instance", async () => {
    const owner = await signUp(one.url, { name: "Olive" });
    const made = await callServerFn<{ ok: boolean; room?: { id: string } }>(
      one.url,
      "createRoomFn",
      { name: `cluster hooks ${randomUUID().slice(0, 6)}` },
      { cookie: owner.cookie },
    );
    const roomId = made.ok ? made.result.room?.id : undefined;
    if (!roomId) throw new Error(JSON.stringify(made));
    const port = (receiver.address() as AddressInfo).port;
    const hook = await callServerFn<{ ok: boolean; webhook?: { botUserId: string } }>(
      one.url,
      "createOutgoingWebhookFn",
      {
        roomId,
        name: "Cluster bot",
        targetUrl: `http://127.0.0.1:${port}/hook`,
        events: ["message_created"],
      },
      { cookie: owner.cookie },
    );
    expect(hook.ok && hook.result.ok).toBe(true);
    const botId = hook.ok ? hook.result.webhook?.botUserId : undefined;
    const onOne = await connect(one.url, owner.cookie);
    const onTwo = await connect(two.url, owner.cookie);
    sockets.push(onOne, onTwo);
    onTwo.send({ type: "subscribe", roomId });
    await onTwo.next((f) => f.type === "subscribed");
    const clientId = randomUUID();
    onOne.send({ type: "send", roomId, clientId, text: "across the cluster" });
    await onOne.next((f) => f.type === "ack" && f.clientId === clientId);
    const reply = await onTwo.next(
      (f: Frame) => f.type === "message" && (f.message as { text: string }).text === "seen on both",
      20_000,
    );
    expect((reply.message as { author: { id: string } }).author.id).toBe(botId);
    const { rows } = await adminQuery("select status, attempts from webhook_delivery", testDb.url);
    expect(rows).toEqual([{ status: "done", attempts: 1 }]);
    expect(got.filter((b) => b.includes("across the cluster"))).toHaveLength(1);
  }, 60_000);
});
