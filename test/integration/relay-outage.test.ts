import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPage, signUp } from "../helpers/clients";
import {
  joinAs,
  roomIdFromReady,
  sendAndAck,
  startServeLike,
  type WireMessage,
} from "../helpers/integration-extra";
import { nodeChatClient, waitFor } from "../helpers/node-client";
import { ownRedis } from "../helpers/own-redis";
import { freePort, type RunningServer } from "../helpers/server";
import { postgresAvailable, redisServerBinary, testDatabase } from "../helpers/services";

// Redis pub/sub is at most once: what is published while it is down is gone.
// When it comes back, each instance resyncs its sockets (a fresh `ready`),
// so clients catch up from PostgreSQL with no further traffic (issue 5).
const redisServer = await redisServerBinary();
const ready = redisServer !== null && (await postgresAvailable());
const testDb = testDatabase();
const { url: databaseUrl } = testDb;

describe.runIf(ready)("a Redis outage", () => {
  const redisDir = mkdtempSync(join(tmpdir(), "parley-redis-"));
  let redis: ReturnType<typeof ownRedis>;
  let one: RunningServer;
  let two: RunningServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    redis = ownRedis(redisServer ?? "redis-server", await freePort(), redisDir);
    await redis.start();
    await testDb.create();
    env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      PARLEY_PRESENCE_TTL_SECONDS: "3",
    };
    one = await startServeLike({ env });
    two = await startServeLike({ env });
  });

  afterAll(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
    await redis?.kill();
    rmSync(redisDir, { recursive: true, force: true });
    await testDb.drop();
  });

  it("is repaired when Redis returns: missed messages and presence arrive unprompted", {
    timeout: 60_000,
  }, async () => {
    const [ann, bob, carol] = await Promise.all(
      ["ann", "bob", "carol"].map((name) =>
        signUp(one.url, { name: `${name}-${randomUUID().slice(0, 4)}` }),
      ),
    );
    if (!ann || !bob || !carol) throw new Error("sign-ups failed");
    for (const person of [ann, bob, carol]) await getPage(one.url, "/r/general", person.cookie);
    const a = nodeChatClient(one.url, ann.cookie);
    const b = nodeChatClient(two.url, bob.cookie);
    await waitFor(() => a.client.user !== null && b.client.user !== null, "both ready");
    const general = a.client.rooms().find((r) => r.slug === "general")?.id ?? "";
    a.client.open(general, [], a.client.roomSummary(general)?.lastSeq ?? 0);
    b.client.open(general, [], b.client.roomSummary(general)?.lastSeq ?? 0);
    const bobId = b.client.user?.id ?? "";
    await waitFor(
      () => a.client.roomView(general).members.some((m) => m.id === bobId && m.online),
      "ann to see bob online",
    );

    await redis.kill();
    const ids = Array.from({ length: 5 }, (_, i) => a.client.send(general, `during outage ${i}`));
    await waitFor(() => a.client.pending.length === 0, "ann's messages acked (PostgreSQL is up)");
    // Carol arrives on the other instance while the relay is down.
    const c = nodeChatClient(two.url, carol.cookie);
    await waitFor(() => c.client.user !== null, "carol ready");
    await new Promise((resolve) => setTimeout(resolve, 500));
    const texts = () => b.client.roomView(general).messages.map((m) => m.text);
    expect(texts().filter((t) => t.startsWith("during outage"))).toEqual([]);

    const restarted = performance.now();
    await redis.start();
    const carolId = c.client.user?.id ?? "";
    await waitFor(
      () => texts().filter((t) => t.startsWith("during outage")).length === ids.length,
      "bob to catch up after Redis returned",
      20_000,
    );
    await waitFor(
      () => a.client.roomView(general).members.some((m) => m.id === carolId && m.online),
      "ann to see carol online",
      20_000,
    );
    console.log(
      `relay outage: caught up ${Math.round(performance.now() - restarted)} ms after Redis restarted`,
    );
    expect(texts().filter((t) => t.startsWith("during outage"))).toEqual(
      ids.map((_, i) => `during outage ${i}`),
    );
    // Caught up once: nothing doubled.
    const seqs = b.client.roomView(general).messages.map((m) => m.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    for (const client of [a, b, c]) client.client.stop();
  });
  it("an instance started while Redis is down hears the others once Redis is up", {
    timeout: 60_000,
  }, async () => {
    await redis.kill();
    const three = await startServeLike({ env });
    try {
      const dave = await joinAs(three.url);
      // Long enough for three's first subscribe (made at its first upgrade) to fail.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect((await fetch(`${three.url}/readyz`)).status).toBe(503);
      await redis.start();
      const ann = await joinAs(one.url);
      const general = roomIdFromReady(ann.socket, "general");
      // Until three has subscribed to the relay its sockets miss these; it
      // must get there by itself (it found Redis down at startup).
      const sent: WireMessage[] = [];
      const arrived = () =>
        dave.socket.frames.filter(
          (f) => f.type === "message" && sent.some((m) => m.id === (f.message as WireMessage).id),
        ).length;
      const deadline = Date.now() + 20_000;
      while (arrived() === 0 && Date.now() < deadline) {
        sent.push(await sendAndAck(ann.socket, general, `hello three ${sent.length}`));
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(arrived()).toBeGreaterThan(0);
      expect((await fetch(`${three.url}/readyz`)).status).toBe(200);
      ann.socket.close();
      dave.socket.close();
    } finally {
      await three.stop();
    }
  });
});
