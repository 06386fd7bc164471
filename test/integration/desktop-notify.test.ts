import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type Frame, type TestSocket } from "../helpers/clients";
import {
  closeAll,
  joinAs,
  type Member,
  nextError,
  roomIdFromReady,
  sendAndAck,
  startServeLike,
} from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";
import {
  postgresAvailable,
  redisAvailable,
  TEST_REDIS_URL,
  testDatabase,
} from "../helpers/services";

// Issue 13: in-page desktop notifications reach a user only while none of
// their tabs is visible, on any instance. Absence is asserted by order, not
// by waiting: one instance works its notifications off one queue, so when
// a later mention's `notify` arrives first, the earlier one never will.

const handleOf = (socket: TestSocket) =>
  ((socket.frames.find((f) => f.type === "ready")?.user ?? {}) as { handle: string }).handle;

/** Reports the tab's visibility and waits for the server to have taken it. */
async function report(socket: TestSocket, visible: boolean, ref: string) {
  socket.send({ type: "visibility", visible, ref });
  const answer = await socket.next((f) => (f.type === "ok" || f.type === "error") && f.ref === ref);
  expect(answer.type).toBe("ok");
}

const notifies = (socket: TestSocket) => socket.frames.filter((f) => f.type === "notify");
const notifyFor = (seq: number) => (f: Frame) => f.type === "notify" && f.seq === seq;

describe("desktop notifications on one instance", () => {
  let server: RunningServer;
  let ann: Member;
  let bob: Member;
  let cat: Member;
  let extra: TestSocket[] = [];
  let general: string;

  beforeAll(async () => {
    server = await startServer();
    ann = await joinAs(server.url, ["general"], "Ann");
    bob = await joinAs(server.url, ["general"], "Bob");
    cat = await joinAs(server.url, ["general"], "Cat");
    general = roomIdFromReady(ann.socket, "general");
  });

  afterAll(async () => {
    await closeAll(
      [ann?.socket, bob?.socket, cat?.socket, ...extra].filter((s) => s !== undefined),
    );
    await server?.stop();
  });

  it("a mention reaches every socket of the mentioned user when all their tabs are hidden", async () => {
    const second = await connect(server.url, bob.cookie);
    extra.push(second);
    await report(bob.socket, false, "h1");
    await report(second, false, "h2");
    const message = await sendAndAck(ann.socket, general, `hello @${handleOf(bob.socket)}`);
    const expected = {
      type: "notify",
      roomId: general,
      messageId: message.id,
      seq: message.seq,
      tag: `m:${general}:${message.seq}`,
      title: "Ann in #general",
      body: `hello @${handleOf(bob.socket)}`,
      url: `/r/general?m=${message.seq}`,
    };
    expect(await bob.socket.next(notifyFor(message.seq))).toEqual(expected);
    expect(await second.next(notifyFor(message.seq))).toEqual(expected);
    // The author is never told of their own message.
    expect(notifies(ann.socket)).toEqual([]);
    await closeAll([second]);
    extra = [];
  });

  it("no notify while a tab of theirs is visible; one once it turns hidden", async () => {
    await report(bob.socket, true, "v1");
    await report(cat.socket, false, "v0");
    // Cat (hidden) is mentioned too: his notify means Bob's decision is made.
    const both = `look @${handleOf(bob.socket)} @${handleOf(cat.socket)}`;
    const seen = await sendAndAck(ann.socket, general, both);
    await cat.socket.next(notifyFor(seen.seq));
    await report(bob.socket, false, "v2");
    const missed = await sendAndAck(ann.socket, general, `again @${handleOf(bob.socket)}`);
    await bob.socket.next(notifyFor(missed.seq));
    expect(bob.socket.frames.some(notifyFor(seen.seq))).toBe(false);
  });

  it("a closed visible tab stops counting", async () => {
    const looking = await connect(server.url, bob.cookie);
    await report(looking, true, "c1");
    await report(bob.socket, false, "c2");
    await closeAll([looking]);
    // The close hook may still be running: wait for a mention to come through.
    let seq = 0;
    for (let attempt = 0; attempt < 50 && seq === 0; attempt++) {
      const sent = await sendAndAck(ann.socket, general, `closed @${handleOf(bob.socket)}`);
      const got = await bob.socket.next(notifyFor(sent.seq), 200).catch(() => undefined);
      if (got) seq = sent.seq;
    }
    expect(seq).toBeGreaterThan(0);
  });

  it("a plain message (no mention) notifies nobody at the default level", async () => {
    const plain = await sendAndAck(ann.socket, general, "nothing for you");
    const mention = await sendAndAck(ann.socket, general, `but this @${handleOf(bob.socket)}`);
    await bob.socket.next(notifyFor(mention.seq));
    expect(bob.socket.frames.some(notifyFor(plain.seq))).toBe(false);
  });

  it("a malformed visibility frame gets a clear error", async () => {
    const start = bob.socket.frames.length;
    bob.socket.send({ type: "visibility", visible: "yes", ref: "bad1" });
    const error = await nextError(bob.socket, start);
    expect(error).toMatchObject({ type: "error", code: "bad_frame", ref: "bad1" });
    expect(String(error.message)).toMatch(/visible/);
    const missing = bob.socket.frames.length;
    bob.socket.send({ type: "visibility", ref: "bad2" });
    expect(await nextError(bob.socket, missing)).toMatchObject({ code: "bad_frame", ref: "bad2" });
    // The socket is still usable afterwards.
    await report(bob.socket, false, "after");
  });
});

const clusterReady = (await postgresAvailable()) && (await redisAvailable());
const testDb = testDatabase();

describe.runIf(clusterReady)("desktop notifications across instances (PostgreSQL + Redis)", () => {
  let one: RunningServer;
  let two: RunningServer;
  let ann: Member;
  let bob: Member;
  let cat: Member;
  let redis: Redis;
  let general: string;

  beforeAll(async () => {
    await testDb.create();
    const env = { DATABASE_URL: testDb.url, REDIS_URL: TEST_REDIS_URL };
    [one, two] = await Promise.all([startServeLike({ env }), startServeLike({ env })]);
    ann = await joinAs(one.url, ["general"], "Ann");
    bob = await joinAs(one.url, ["general"], "Bob");
    cat = await joinAs(one.url, ["general"], "Cat");
    general = roomIdFromReady(ann.socket, "general");
    redis = new Redis(TEST_REDIS_URL);
  });

  afterAll(async () => {
    await closeAll([ann?.socket, bob?.socket, cat?.socket].filter((s) => s !== undefined));
    await Promise.all([one?.stop(), two?.stop()]);
    await redis?.quit();
    await testDb.drop();
  });

  /** Bob's latest visibility expiry in Redis, or null when no instance holds one. */
  const bobsLease = () => redis.zscore("parley:visibility:online", bob.userId);

  it("warns that instances sharing PostgreSQL need one VAPID pair when none is set", () => {
    expect(one.output()).toContain("set PARLEY_VAPID_PUBLIC_KEY and PARLEY_VAPID_PRIVATE_KEY");
  });

  it("no notify while the user has a visible tab on another instance; one after it closes", async () => {
    await report(bob.socket, false, "x1");
    const elsewhere = await connect(two.url, bob.cookie);
    await report(elsewhere, true, "x2");
    // Held in Redis, under visibility's own prefix (presence's stays apart).
    expect(Number(await bobsLease())).toBeGreaterThan(Date.now());
    await report(cat.socket, false, "x3");
    // Cat (hidden) is mentioned in the same message: the notifier decides
    // for everyone at once, so Cat's notify means Bob's decision is made.
    const both = `psst @${handleOf(bob.socket)} @${handleOf(cat.socket)}`;
    const seen = await sendAndAck(ann.socket, general, both);
    await cat.socket.next(notifyFor(seen.seq));
    await closeAll([elsewhere]);
    // The lease goes with the tab (its instance releases it on close).
    for (let i = 0; i < 100 && (await bobsLease()) !== null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await bobsLease()).toBeNull();
    const missed = await sendAndAck(ann.socket, general, `now @${handleOf(bob.socket)}`);
    expect(await bob.socket.next(notifyFor(missed.seq))).toMatchObject({
      title: "Ann in #general",
      body: `now @${handleOf(bob.socket)}`,
    });
    expect(bob.socket.frames.some(notifyFor(seen.seq))).toBe(false);
  });

  it("a notify made on one instance reaches the user's hidden tab on the other", async () => {
    const far = await connect(two.url, bob.cookie);
    await report(far, false, "f1");
    const message = await sendAndAck(ann.socket, general, `far @${handleOf(bob.socket)}`);
    expect(await far.next(notifyFor(message.seq))).toMatchObject({ messageId: message.id });
    await closeAll([far]);
  });
});

const lapseDb = testDatabase();

describe.runIf(clusterReady)("visibility of a crashed instance lapses (PostgreSQL + Redis)", () => {
  let one: RunningServer;
  let two: RunningServer;
  let ann: Member;
  let bob: Member;
  let cat: Member;
  let redis: Redis;
  let general: string;

  beforeAll(async () => {
    await lapseDb.create();
    // The shortest lease there is, so the lapse comes within seconds.
    const env = {
      DATABASE_URL: lapseDb.url,
      REDIS_URL: TEST_REDIS_URL,
      PARLEY_PRESENCE_TTL_SECONDS: "3",
    };
    [one, two] = await Promise.all([startServeLike({ env }), startServeLike({ env })]);
    ann = await joinAs(one.url, ["general"], "Ann");
    bob = await joinAs(one.url, ["general"], "Bob");
    cat = await joinAs(one.url, ["general"], "Cat");
    general = roomIdFromReady(ann.socket, "general");
    redis = new Redis(TEST_REDIS_URL);
  });

  afterAll(async () => {
    await closeAll([ann?.socket, bob?.socket, cat?.socket].filter((s) => s !== undefined));
    await Promise.all([one?.stop(), two?.stop()]);
    await redis?.quit();
    await lapseDb.drop();
  });

  it("a visible tab on an instance that was killed stops suppressing after the TTL", {
    timeout: 30_000,
  }, async () => {
    await report(bob.socket, false, "k1");
    await report(cat.socket, false, "k2");
    const elsewhere = await connect(two.url, bob.cookie);
    await report(elsewhere, true, "k3");
    const both = `psst @${handleOf(bob.socket)} @${handleOf(cat.socket)}`;
    const seen = await sendAndAck(ann.socket, general, both);
    // Cat's notify means the decision for Bob (visible on two) was made.
    await cat.socket.next(notifyFor(seen.seq));
    await two.kill();
    // Nobody releases the lease now: it runs out, as the tick stopped renewing it.
    const lapsed = async () => {
      const score = await redis.zscore("parley:visibility:online", bob.userId);
      return score === null || Number(score) <= Date.now();
    };
    const deadline = Date.now() + 10_000;
    while (!(await lapsed()) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await lapsed()).toBe(true);
    const missed = await sendAndAck(ann.socket, general, `back @${handleOf(bob.socket)}`);
    expect(await bob.socket.next(notifyFor(missed.seq))).toMatchObject({ messageId: missed.id });
    expect(bob.socket.frames.some(notifyFor(seen.seq))).toBe(false);
  });
});
