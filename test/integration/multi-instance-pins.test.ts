import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WireMessage } from "../../src/protocol/frames";
import { connect, type Frame, type TestSocket } from "../helpers/clients";
import {
  closeAll,
  joinAs,
  type Member,
  roomIdFromReady,
  sendAndAck,
} from "../helpers/integration-extra";
import type { RunningServer } from "../helpers/server";
import { postgresAvailable, redisAvailable, testDatabase } from "../helpers/services";
import { startTwoInstances, stopTwoInstances } from "../helpers/two-instances";

const ready = (await postgresAvailable()) && (await redisAvailable());

// Pins, saves and @here across two instances on one PostgreSQL (Redis relay).
const testDb = testDatabase();

describe.runIf(ready)("pins, saved and @here across instances (PostgreSQL + Redis)", () => {
  let one: RunningServer;
  let two: RunningServer;
  let ann: Member;
  let bob: Member;
  let extra: TestSocket[] = [];
  let general: string;

  beforeAll(async () => {
    [one, two] = await startTwoInstances(testDb);
    ann = await joinAs(one.url);
    bob = await joinAs(two.url);
    general = roomIdFromReady(ann.socket, "general");
  });

  afterAll(async () => {
    await closeAll([ann?.socket, bob?.socket, ...extra].filter((s) => s !== undefined));
    await stopTwoInstances(testDb, [one, two]);
  });

  const answered = (socket: TestSocket, ref: string) =>
    socket.next((f: Frame) => (f.type === "ok" || f.type === "error") && f.ref === ref);

  it("a pin on one instance reaches a member on the other, live", async () => {
    const message = await sendAndAck(bob.socket, general, "pin across");
    ann.socket.send({
      type: "pin",
      roomId: general,
      messageId: message.id,
      pinned: true,
      ref: "p1",
    });
    expect((await answered(ann.socket, "p1")).type).toBe("ok");
    const got = await bob.socket.next(
      (f) => f.type === "updated" && (f.message as WireMessage).id === message.id,
    );
    expect(got.message).toMatchObject({ pinnedBy: ann.userId });
  });

  it("a save on one instance reaches the user's socket on the other", async () => {
    const annOnTwo = await connect(two.url, ann.cookie);
    extra.push(annOnTwo);
    const message = await sendAndAck(bob.socket, general, "save across");
    ann.socket.send({
      type: "save",
      roomId: general,
      messageId: message.id,
      saved: true,
      ref: "s1",
    });
    expect((await answered(ann.socket, "s1")).type).toBe("ok");
    expect(await annOnTwo.next((f) => f.type === "saved" && f.messageId === message.id)).toEqual({
      type: "saved",
      roomId: general,
      messageId: message.id,
      saved: true,
    });
  });

  it("@here sent on one instance mentions a member online only on the other", async () => {
    const here = await sendAndAck(ann.socket, general, "@here across");
    // Bob's only socket is on instance two; his next connect says he was mentioned.
    const fresh = await connect(two.url, bob.cookie);
    extra.push(fresh);
    const rooms = (fresh.frames.find((f) => f.type === "ready")?.rooms ?? []) as {
      id: string;
      mentioned: boolean;
      lastSeq: number;
    }[];
    expect(rooms.find((r) => r.id === general)).toMatchObject({
      mentioned: true,
      lastSeq: here.seq,
    });
    extra = extra.filter((s) => s !== fresh);
    await closeAll([fresh]);
  });
});
