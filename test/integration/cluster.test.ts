import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_RELAY_CHANNEL } from "../../src/server/relay/redis.server";
import { subscribeTo } from "../helpers/asking";
import { connect, type Frame, signUp, type TestSocket } from "../helpers/clients";
import {
  joinAs,
  type Member,
  roomIdFromReady,
  sendAndAck,
  settle,
  startServeLike,
  userIdOf,
  type WireMessage,
} from "../helpers/integration-extra";
import { changeAbout, onlineSeen, presenceOf } from "../helpers/presence";
import type { RunningServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";
import {
  postgresAvailable,
  redisAvailable,
  TEST_REDIS_URL,
  testDatabase,
} from "../helpers/services";

const ready = (await postgresAvailable()) && (await redisAvailable());

// Presence, membership and sign-out across three instances on one
// PostgreSQL and one Redis (issue 5), with a short presence lease so that an
// instance's death shows within seconds.
const testDb = testDatabase();
const { url: databaseUrl } = testDb;
const TTL_SECONDS = 3;
const env = {
  DATABASE_URL: databaseUrl,
  REDIS_URL: TEST_REDIS_URL,
  PARLEY_PRESENCE_TTL_SECONDS: String(TTL_SECONDS),
};

const isBatch = (f: Frame) => f.type === "presence_batch";

/** The latest state a socket heard about `userId`, from the presence frames it got. */
const lastHeard = (frames: Frame[], userId: string) =>
  frames.flatMap((f) => (changeAbout(f, userId) ? [changeAbout(f, userId)?.online] : [])).at(-1);

/** Runs SQL on the test's database (setup of private rooms, checks). */
async function query(text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** A private room whose only members are `userIds`. */
async function privateRoom(userIds: string[]) {
  const id = randomUUID();
  const slug = `private-${id.slice(0, 8)}`;
  await query("insert into room (id, slug, name, kind, created_at) values ($1, $2, $2, $3, $4)", [
    id,
    slug,
    "private",
    Date.now(),
  ]);
  for (const userId of userIds) {
    await query("insert into room_member (room_id, user_id, joined_at) values ($1, $2, $3)", [
      id,
      userId,
      Date.now(),
    ]);
  }
  return id;
}

describe.runIf(ready)("a cluster of instances (PostgreSQL + Redis)", () => {
  let one: RunningServer;
  let two: RunningServer;
  let ann: Member;
  let general: string;
  const sockets: TestSocket[] = [];
  const track = <T extends { socket: TestSocket } | TestSocket>(value: T): T => {
    sockets.push("socket" in value ? value.socket : value);
    return value;
  };

  beforeAll(async () => {
    await testDb.create();
    one = await startServeLike({ env });
    two = await startServeLike({ env });
    ann = track(await joinAs(one.url));
    general = roomIdFromReady(ann.socket, "general");
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await Promise.all([one?.stop(), two?.stop()]);
    await testDb.drop();
  });

  it("a user on two instances is online once: closing one socket is not offline", async () => {
    const bob = track(await joinAs(two.url));
    await ann.socket.next(presenceOf(bob.userId, true));
    // A newcomer on the other instance finds both online in the member list.
    const carol = track(await joinAs(two.url));
    carol.socket.send({ type: "subscribe", roomId: general });
    const subscribed = await carol.socket.next((f) => f.type === "subscribed");
    const online = (subscribed.members as { id: string; online: boolean }[])
      .filter((m) => m.online)
      .map((m) => m.id);
    expect(online).toEqual(expect.arrayContaining([ann.userId, bob.userId, carol.userId]));

    const bobOnOne = track(await connect(one.url, bob.cookie));
    bob.socket.close();
    await bob.socket.closed;
    await settle(500);
    expect(ann.socket.frames.some(presenceOf(bob.userId, false))).toBe(false);
    expect(carol.socket.frames.some(presenceOf(bob.userId, false))).toBe(false);

    bobOnOne.close();
    await ann.socket.next(presenceOf(bob.userId, false));
    await carol.socket.next(presenceOf(bob.userId, false));
  });

  it("an 'offline' that overtook the truth is answered by the instance still holding the user", async () => {
    const ivy = track(await joinAs(two.url));
    await ann.socket.next(presenceOf(ivy.userId, true));
    // As if another instance's release raced Ivy's reconnect: a stale
    // "offline" for her arrives through Redis from a foreign instance.
    const stale = {
      type: "presence",
      roomId: general,
      user: { id: ivy.userId, name: ivy.name },
      online: false,
    };
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const envelope = {
        origin: "stale-instance",
        roomId: `r:${general}`,
        data: JSON.stringify(stale),
      };
      await redis.publish(DEFAULT_RELAY_CHANNEL, JSON.stringify(envelope));
    } finally {
      await redis.quit();
    }
    // Instance two still has her socket: it says so, and that is the last
    // word. Both reach instance one within a presence tick as a rule, and
    // then cancel out (ann hears nothing); a late answer follows the
    // "offline" in the next tick. Either way Ann ends with Ivy online.
    await settle(1_500);
    expect(lastHeard(ann.socket.frames, ivy.userId)).toBe(true);
  });

  it("a stale 'offline' relayed as user-level presence news is answered the same way", async () => {
    const kim = track(await joinAs(two.url));
    await ann.socket.next(presenceOf(kim.userId, true));
    // The relay message an instance now sends for a presence change: the
    // user, which way, and their rooms (one frame per recipient socket).
    const news = { user: { id: kim.userId, name: kim.name }, online: false, rooms: [general] };
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const envelope = {
        origin: "stale-instance",
        roomId: `p:${kim.userId}`,
        data: JSON.stringify(news),
      };
      await redis.publish(DEFAULT_RELAY_CHANNEL, JSON.stringify(envelope));
    } finally {
      await redis.quit();
    }
    // As above: the stale "offline" and instance two's answer cancel out
    // within a tick, or the answer follows it; Kim ends online for Ann.
    await settle(1_500);
    const heard = ann.socket.frames.flatMap((f) => {
      const change = changeAbout(f, kim.userId);
      return change ? [change.online] : [];
    });
    expect(heard[0]).toBe(true);
    expect(heard.at(-1)).toBe(true);
    expect(heard.length === 1 || heard.join() === "true,false,true").toBe(true);
  });

  it("arrivals on both instances within a tick: watchers on each end with the same online set", async () => {
    // Watchers and arrivals all in a fresh private room; ids first (a
    // socket with no rooms is announced to nobody), then the room.
    const people = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const user = await signUp(i % 2 ? two.url : one.url);
        const probe = await connect(one.url, user.cookie);
        const id = userIdOf(probe);
        probe.close();
        await probe.closed;
        return { ...user, id, url: i % 2 ? two.url : one.url };
      }),
    );
    const w2 = track(await joinAs(two.url));
    const roomId = await privateRoom([ann.userId, w2.userId, ...people.map((p) => p.id)]);
    const onOne = track(await connect(one.url, ann.cookie));
    const onTwo = track(await connect(two.url, w2.cookie));
    await subscribeTo(onOne, roomId);
    await subscribeTo(onTwo, roomId);
    const before = [onOne, onTwo].map((s) => s.frames.filter(isBatch).length);
    const arrived = await Promise.all(
      people.map(async (person) => {
        const socket = track(await connect(person.url, person.cookie));
        await subscribeTo(socket, roomId);
        return socket;
      }),
    );
    const everyone = new Set([ann.userId, w2.userId, ...people.map((p) => p.id)]);
    for (const watcher of [onOne, onTwo, ...arrived]) {
      await expect
        .poll(() => onlineSeen(watcher, roomId).size, { timeout: 10_000, interval: 100 })
        .toBe(everyone.size);
      expect(onlineSeen(watcher, roomId)).toEqual(everyone);
    }
    const batches = [onOne, onTwo].map(
      (s, i) => s.frames.filter(isBatch).length - (before[i] ?? 0),
    );
    console.log(
      `cluster presence: 8 arrivals over two instances, watcher batches ${batches.join(", ")}`,
    );
    // A few ticks' worth, not one frame per arrival.
    for (const count of batches) expect(count).toBeLessThan(people.length);
  });

  it("an instance killed with SIGKILL takes its users out of presence within the lease", async () => {
    const three = await startServeLike({ env });
    try {
      const dave = track(await joinAs(three.url));
      await ann.socket.next(presenceOf(dave.userId, true));
      const started = performance.now();
      await three.kill();
      // Lease (3 s) plus one sweep interval (1 s), with room for a loaded machine.
      await ann.socket.next(presenceOf(dave.userId, false), (TTL_SECONDS + 6) * 1000);
      const took = performance.now() - started;
      console.log(
        `presence: offline ${Math.round(took)} ms after the kill (lease ${TTL_SECONDS} s)`,
      );
      expect(took).toBeGreaterThan(1_000);
    } finally {
      await three.stop();
    }
  });

  it("invites and leaves move the user's sockets on every instance", async () => {
    const erin = track(await joinAs(two.url));
    const erinOnOne = track(await connect(one.url, erin.cookie));
    const room = await privateRoom([ann.userId]);
    ann.socket.send({ type: "invite", roomId: room, userName: erin.name });
    await erin.socket.next(
      (f) => f.type === "room_added" && (f.room as { id: string }).id === room,
    );
    await erinOnOne.next((f) => f.type === "room_added" && (f.room as { id: string }).id === room);
    const hello = await sendAndAck(ann.socket, room, "welcome, erin");
    const isHello = (f: Frame) =>
      f.type === "message" && (f.message as WireMessage).id === hello.id;
    await erin.socket.next(isHello);
    await erinOnOne.next(isHello);

    // She leaves through her socket on `one`; the one on `two` must stop too.
    erinOnOne.send({ type: "leave", roomId: room });
    await erin.socket.next((f) => f.type === "room_removed" && f.roomId === room);
    await settle(300);
    const after = await sendAndAck(ann.socket, room, "after she left");
    await settle(1_000);
    for (const socket of [erin.socket, erinOnOne]) {
      const got = socket.frames.filter(
        (f) => f.type === "message" && (f.message as WireMessage).id === after.id,
      );
      expect(got).toHaveLength(0);
    }
  });

  it("a room joined through a page on one instance reaches the user's socket on another", async () => {
    const finn = track(await joinAs(two.url));
    const room = await privateRoom([ann.userId]);
    await query("update room set kind = 'public' where id = $1", [room]);
    const [{ slug }] = await query("select slug from room where id = $1", [room]);
    const page = await fetch(`${one.url}/r/${slug}`, { headers: { cookie: finn.cookie } });
    expect(page.status).toBe(200);
    await finn.socket.next(
      (f) => f.type === "room_added" && (f.room as { id: string }).id === room,
    );
    const sent = await sendAndAck(ann.socket, room, "hello finn");
    await finn.socket.next(
      (f) => f.type === "message" && (f.message as WireMessage).id === sent.id,
    );
  });

  it("a DM opened through a server function on one instance reaches both people on another", async () => {
    const gus = track(await joinAs(two.url));
    const hal = track(await joinAs(two.url));
    const opened = await callServerFn<{ ok: boolean; slug: string }>(
      one.url,
      "openDmFn",
      { userId: hal.userId },
      { cookie: gus.cookie },
    );
    expect(opened.ok && opened.result.ok).toBe(true);
    const [{ id: room }] = await query("select id from room where kind = 'dm' and slug = $1", [
      opened.ok ? opened.result.slug : "",
    ]);
    const isAdded = (f: Frame) => f.type === "room_added" && (f.room as { id: string }).id === room;
    await gus.socket.next(isAdded);
    await hal.socket.next(isAdded);
    // Their sockets on `two` are in the room's topic: a message arrives live.
    const sent = await sendAndAck(gus.socket, room, "hello hal");
    await hal.socket.next((f) => f.type === "message" && (f.message as WireMessage).id === sent.id);
  });

  it("read markers and unread counts agree across instances", async () => {
    const gus = track(await joinAs(two.url));
    const gusOnOne = track(await connect(one.url, gus.cookie));
    const last = await sendAndAck(ann.socket, general, "unread for gus");
    await gus.socket.next((f) => f.type === "message" && (f.message as WireMessage).id === last.id);
    gusOnOne.send({ type: "read", roomId: general, seq: last.seq });
    const read = await gus.socket.next((f) => f.type === "read" && f.roomId === general);
    expect(read.seq).toBe(last.seq);
    // A fresh connection on either instance reports the same unread state.
    for (const url of [one.url, two.url]) {
      const fresh = track(await connect(url, gus.cookie));
      const summary = (
        (fresh.frames[0]?.rooms as { id: string; lastReadSeq: number; lastSeq: number }[]) ?? []
      ).find((r) => r.id === general);
      expect(summary?.lastReadSeq).toBe(last.seq);
    }
  });

  it("many writers on both instances into one room get a gap-free seq", async () => {
    const writers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => joinAs(i % 2 === 0 ? one.url : two.url).then(track)),
    );
    const acks = await Promise.all(
      writers.map(async (writer, w) => {
        const mine: WireMessage[] = [];
        const inFlight = Array.from({ length: 25 }, (_, n) =>
          sendAndAck(writer.socket, general, `w${w} n${n}`),
        );
        for (const ack of await Promise.all(inFlight)) mine.push(ack);
        return mine;
      }),
    );
    const seqs = acks
      .flat()
      .map((m) => m.seq)
      .sort((x, y) => x - y);
    const rows = await query("select seq from message where room_id = $1 order by seq", [general]);
    const stored = rows.map((row) => Number(row.seq));
    // Every seq from 1 to the last is used exactly once, and ours are among them.
    expect(stored).toEqual(Array.from({ length: stored.length }, (_, i) => i + 1));
    expect(new Set(seqs).size).toBe(150);
    for (const seq of seqs) expect(stored).toContain(seq);
  });

  it("signing out on one instance closes that session's sockets on every instance", async () => {
    const hank = track(await joinAs(two.url));
    const hankOnOne = track(await connect(one.url, hank.cookie));
    const started = performance.now();
    const response = await fetch(`${one.url}/api/auth/sign-out`, {
      method: "POST",
      headers: { cookie: hank.cookie, origin: one.url, "content-type": "application/json" },
      body: "{}",
    });
    expect(response.ok).toBe(true);
    const closes = await Promise.all([hank.socket.closed, hankOnOne.closed]);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(closes.map((c) => c.code)).toEqual([4001, 4001]);
  });

  it("revoking other sessions on one instance closes their sockets on every instance", async () => {
    const ivy = await signUp(one.url);
    const again = await fetch(`${two.url}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { origin: two.url, "content-type": "application/json" },
      body: JSON.stringify({ email: ivy.email, password: "correct horse battery" }),
    });
    expect(again.status).toBe(200);
    const second = again.headers
      .getSetCookie()
      .map((c) => c.split(";")[0] ?? "")
      .find((c) => c.startsWith("better-auth.session_token="));
    const onTwo = track(await connect(two.url, second ?? ""));
    const kept = track(await connect(two.url, ivy.cookie));
    const started = performance.now();
    const response = await fetch(`${one.url}/api/auth/revoke-other-sessions`, {
      method: "POST",
      headers: { cookie: ivy.cookie, origin: one.url, "content-type": "application/json" },
      body: "{}",
    });
    expect(response.ok).toBe(true);
    expect((await onTwo.closed).code).toBe(4001);
    const took = performance.now() - started;
    console.log(
      `revoked session's socket on the other instance closed after ${Math.round(took)} ms`,
    );
    expect(took).toBeLessThan(1_000);
    expect(kept.ws.readyState).toBe(kept.ws.OPEN);
  });
});
