import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Frame, TestSocket } from "../helpers/clients";
import {
  joinAs,
  roomIdFromReady,
  sendAndAck,
  startServeLike,
  type WireMessage,
} from "../helpers/integration-extra";
import type { RunningServer } from "../helpers/server";
import {
  postgresAvailable,
  redisAvailable,
  TEST_REDIS_URL,
  testDatabase,
} from "../helpers/services";

const ready = (await postgresAvailable()) && (await redisAvailable());

// Threads across two instances on one PostgreSQL and one Redis (issue 11).
const testDb = testDatabase("threads");
const env = { DATABASE_URL: testDb.url, REDIS_URL: TEST_REDIS_URL };

describe.runIf(ready)("threads in a cluster (PostgreSQL + Redis)", () => {
  let one: RunningServer;
  let two: RunningServer;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    await testDb.create();
    one = await startServeLike({ env });
    two = await startServeLike({ env });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await Promise.all([one?.stop(), two?.stop()]);
    await testDb.drop();
  });

  it("a thread reply on one instance updates the root's summary, and the follower's unread, on the other", async () => {
    const ann = await joinAs(one.url);
    const bob = await joinAs(two.url);
    sockets.push(ann.socket, bob.socket);
    const general = roomIdFromReady(ann.socket, "general");
    const root = await sendAndAck(ann.socket, general, `cluster question ${randomUUID()}`);

    const ref = randomUUID();
    bob.socket.send({
      type: "send",
      roomId: general,
      clientId: randomUUID(),
      text: "from the other instance",
      threadRootId: root.id,
      ref,
    });
    const ack = await bob.socket.next((f) => f.type === "ack" && f.ref === ref);
    const stored = ack.message as WireMessage;

    // Ann, on instance one, sees the reply and the root's new summary live.
    const reply = await ann.socket.next(
      (f) => f.type === "message" && (f.message as WireMessage).id === stored.id,
    );
    expect((reply.message as WireMessage).threadRootId).toBe(root.id);
    const updated = await ann.socket.next(
      (f: Frame) => f.type === "updated" && (f.message as WireMessage).id === root.id,
    );
    const summary = (updated.message as WireMessage).thread;
    expect(summary).toMatchObject({ replyCount: 1, participants: [bob.userId] });
    expect((updated.message as WireMessage).rev).toBeGreaterThan(root.rev);
    // She started the thread, so she follows it: her state crossed instances too.
    const state = await ann.socket.next(
      (f) => f.type === "thread_state" && (f.state as { rootId: string }).rootId === root.id,
    );
    expect(state.state).toMatchObject({ following: true, unread: 1, latestSeq: stored.seq });
  });
});
