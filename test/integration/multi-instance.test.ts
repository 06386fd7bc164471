import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WireMessage } from "../../src/protocol/frames";
import {
  closeAll,
  joinAs,
  type Member,
  roomIdFromReady,
  sendAndAck,
  startServeLike,
} from "../helpers/integration-extra";
import type { RunningServer } from "../helpers/server";
import {
  postgresAvailable,
  redisAvailable,
  TEST_REDIS_URL,
  testDatabase,
} from "../helpers/services";

const ready = (await postgresAvailable()) && (await redisAvailable());

// Two instances on one PostgreSQL, relaying live events through Redis.
const testDb = testDatabase();
const { url: databaseUrl } = testDb;

describe.runIf(ready)("several instances (PostgreSQL + Redis)", () => {
  let one: RunningServer;
  let two: RunningServer;
  let ann: Member;
  let bob: Member;
  let general: string;

  beforeAll(async () => {
    await testDb.create();
    const env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
    };
    [one, two] = await Promise.all([startServeLike({ env }), startServeLike({ env })]);
    ann = await joinAs(one.url);
    bob = await joinAs(two.url);
    general = roomIdFromReady(ann.socket, "general");
  });

  afterAll(async () => {
    await closeAll([ann?.socket, bob?.socket].filter((s) => s !== undefined));
    await Promise.all([one?.stop(), two?.stop()]);
    await testDb.drop();
  });

  it("a message sent on one instance reaches a member connected to the other, live", async () => {
    const sent = await sendAndAck(ann.socket, general, "across instances");
    const got = await bob.socket.next(
      (f) => f.type === "message" && (f.message as WireMessage).id === sent.id,
    );
    expect((got.message as WireMessage).seq).toBe(sent.seq);
    // And back, with the next seq.
    const reply = await sendAndAck(bob.socket, general, "and back");
    expect(reply.seq).toBe(sent.seq + 1);
    await ann.socket.next(
      (f) => f.type === "message" && (f.message as WireMessage).id === reply.id,
    );
  });

  it("typing and edits cross instances; an instance does not echo its own events twice", async () => {
    ann.socket.send({ type: "typing", roomId: general });
    await bob.socket.next((f) => f.type === "typing");
    const m = await sendAndAck(bob.socket, general, "typo");
    bob.socket.send({ type: "edit", roomId: general, messageId: m.id, text: "fixed" });
    await ann.socket.next(
      (f) => f.type === "updated" && (f.message as WireMessage).text === "fixed",
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const updates = bob.socket.frames.filter(
      (f) => f.type === "updated" && (f.message as WireMessage).id === m.id,
    );
    expect(updates).toHaveLength(1);
  });
});
