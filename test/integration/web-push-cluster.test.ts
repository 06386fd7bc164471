import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import webpush from "web-push";
import { notifyTag, type PushPayload } from "../../src/protocol/push";
import { connect, type TestSocket } from "../helpers/clients";
import {
  closeAll,
  joinAs,
  type Member,
  roomIdFromReady,
  sendAndAck,
  startServeLike,
} from "../helpers/integration-extra";
import { browserKeys, decryptPush, verifyVapid } from "../helpers/push-decrypt";
import { type PushService, startPushService } from "../helpers/push-service";
import type { RunningServer } from "../helpers/server";
import {
  postgresAvailable,
  redisAvailable,
  TEST_REDIS_URL,
  testDatabase,
} from "../helpers/services";

// Issue 13: the instance that pushed a notification is the one that knows
// its tag, so a read made on another instance must reach it (through the
// relayed `read` frame) for the device's notification to be closed.

const ready = (await postgresAvailable()) && (await redisAvailable());

describe.runIf(ready)("web push across two instances (PostgreSQL, Redis)", () => {
  const testDb = testDatabase("parley_push_cluster");
  // Instances sharing a database share one VAPID pair (README).
  const vapid = webpush.generateVAPIDKeys();
  let push: PushService;
  let one: RunningServer;
  let two: RunningServer;
  let ann: Member;
  let bob: Member;
  let cat: Member;
  let bobOnTwo: TestSocket | undefined;

  beforeAll(async () => {
    await testDb.create();
    push = await startPushService();
    const env = {
      DATABASE_URL: testDb.url,
      REDIS_URL: TEST_REDIS_URL,
      NODE_EXTRA_CA_CERTS: push.certFile,
      PARLEY_VAPID_PUBLIC_KEY: vapid.publicKey,
      PARLEY_VAPID_PRIVATE_KEY: vapid.privateKey,
    };
    [one, two] = await Promise.all([startServeLike({ env }), startServeLike({ env })]);
    ann = await joinAs(one.url, ["general"], "Ann");
    bob = await joinAs(one.url, ["general"], "Bob");
    cat = await joinAs(one.url, ["general"], "Cat");
  });

  afterAll(async () => {
    await closeAll(
      [ann?.socket, bob?.socket, cat?.socket, bobOnTwo].filter((s) => s !== undefined),
    );
    await Promise.all([one?.stop(), two?.stop()]);
    await push?.close();
    await testDb.drop();
  });

  it("instances given one VAPID pair do not warn about it", () => {
    expect(one.output()).not.toContain("set PARLEY_VAPID_PUBLIC_KEY");
  });

  /** Stores a browser-like subscription of `member`'s through instance one. */
  async function subscribe(member: Member) {
    const device = randomUUID();
    const keys = browserKeys();
    const stored = await fetch(`${one.url}/api/push/subscriptions`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: one.url, cookie: member.cookie },
      body: JSON.stringify({ endpoint: push.endpoint(device), keys: keys.keys }),
    });
    expect(stored.status).toBe(201);
    return { device, keys };
  }
  const handleOf = (member: Member): string => {
    const user = member.socket.frames.find((f) => f.type === "ready")?.user as
      | { handle?: string }
      | undefined;
    if (!user?.handle) throw new Error("ready carried no handle");
    return user.handle;
  };

  it("no push while the user has a visible tab on the other instance", async () => {
    const bobs = await subscribe(bob);
    const cats = await subscribe(cat);
    const visible = await connect(two.url, bob.cookie);
    visible.send({ type: "visibility", visible: true, ref: "v1" });
    await visible.next((f) => f.type === "ok" && f.ref === "v1");
    const general = roomIdFromReady(ann.socket, "general");
    await sendAndAck(ann.socket, general, `@${handleOf(bob)} @${handleOf(cat)} standup?`);
    // Both were decided in one pass: Cat's push arriving means Bob's was
    // decided too, and none came for him.
    await push.next((p) => p.device === cats.device);
    expect(push.pushesTo(bobs.device)).toHaveLength(0);
    // The same decision sends the in-page frame, which goes out before any
    // push (a local socket write): none reached Bob's hidden tab either.
    expect(bob.socket.frames.filter((f) => f.type === "notify")).toHaveLength(0);
    await closeAll([visible]);
  });

  it("a mention pushed by one instance is closed when it is read on the other", async () => {
    const { device, keys } = await subscribe(bob);
    const general = roomIdFromReady(ann.socket, "general");
    const handle = handleOf(bob);
    const message = await sendAndAck(ann.socket, general, `@${handle} the build is green`);
    const open = (index: number) => async () => {
      const received = await push.next(() => push.pushesTo(device).length > index);
      const pushed = push.pushesTo(device)[index] ?? received;
      verifyVapid(pushed.headers.authorization as string, vapid.publicKey);
      return JSON.parse(decryptPush(pushed.body, keys)) as PushPayload;
    };
    expect(await open(0)()).toMatchObject({ type: "show", seq: message.seq });

    // Bob reads on instance two; instance one pushed, so instance one closes.
    bobOnTwo = await connect(two.url, bob.cookie);
    bobOnTwo.send({ type: "read", roomId: general, seq: message.seq, ref: "r1" });
    await bobOnTwo.next((f) => f.type === "ok" && f.ref === "r1");
    expect(await open(1)()).toEqual({ type: "close", tags: [notifyTag(general, message.seq)] });
  });
});
