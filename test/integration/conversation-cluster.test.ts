import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unreadCount } from "../../src/client/unread";
import type { SearchHit } from "../../src/ports";
import type { RoomSummary } from "../../src/protocol/frames";
import { ask, replyInThread, subscribeTo } from "../helpers/asking";
import { connect, type Frame, signUp, type TestSocket } from "../helpers/clients";
import {
  joinAs,
  type Member,
  sendAndAck,
  startServeLike,
  userIdOf,
  type WireMessage,
} from "../helpers/integration-extra";
import { nodeChatClient, waitFor } from "../helpers/node-client";
import { presenceOf as presenceFrameOf } from "../helpers/presence";
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

// Issue 11's conversation features across two instances on one PostgreSQL
// and one Redis: pins, room-wide mentions, thread-only replies in the room
// unread, thread read markers and search operators. Each person's socket is
// on the instance the test names, so every assertion crosses the relay, the
// presence leases or the shared database.
const testDb = testDatabase("conversation");
const env = { DATABASE_URL: testDb.url, REDIS_URL: TEST_REDIS_URL };

describe.runIf(ready)("conversation features in a cluster (PostgreSQL + Redis)", () => {
  let a: RunningServer;
  let b: RunningServer;
  const sockets: TestSocket[] = [];
  const stops: (() => void)[] = [];

  beforeAll(async () => {
    await testDb.create();
    // One after the other: both would race to migrate the fresh database.
    a = await startServeLike({ env });
    b = await startServeLike({ env });
  });
  afterAll(async () => {
    for (const stop of stops) stop();
    for (const socket of sockets) socket.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await testDb.drop();
  });

  /** Signs up on `url`, opens the rooms (joining them) and connects there. */
  async function member(url: string, slugs: string[], name?: string): Promise<Member> {
    const m = await joinAs(url, slugs, name);
    sockets.push(m.socket);
    return m;
  }

  /** Another socket of a member, on `url`. */
  async function socketOn(url: string, who: Member): Promise<TestSocket> {
    const socket = await connect(url, who.cookie);
    sockets.push(socket);
    return socket;
  }

  /** A fresh public room created through instance A by its owner, who then connects to A. */
  async function roomOnA(name?: string): Promise<{ id: string; slug: string; owner: Member }> {
    const user = await signUp(a.url, name ? { name } : {});
    const created = await callServerFn<{ ok: boolean; room: { id: string; slug: string } }>(
      a.url,
      "createRoomFn",
      { name: `talk ${randomUUID().slice(0, 8)}` },
      { cookie: user.cookie },
    );
    if (!created.ok || !created.result.ok)
      throw new Error(`createRoomFn: ${JSON.stringify(created)}`);
    const socket = await connect(a.url, user.cookie);
    sockets.push(socket);
    return { ...created.result.room, owner: { ...user, userId: userIdOf(socket), socket } };
  }

  /** The room's summary in the `ready` of a fresh socket of this member on `url`. */
  async function summaryOnConnect(url: string, who: Member, roomId: string): Promise<RoomSummary> {
    const socket = await connect(url, who.cookie);
    socket.close();
    const ready = socket.frames.find((f) => f.type === "ready") as Frame;
    const summary = (ready.rooms as RoomSummary[]).find((r) => r.id === roomId);
    if (!summary) throw new Error(`room ${roomId} not in ready`);
    await socket.closed;
    return summary;
  }

  /** Resolves when the socket hears `who` go online or offline. */
  const presenceOf = (socket: TestSocket, who: Member, online: boolean) =>
    socket.next(presenceFrameOf(who.userId, online));

  const pinnedUpdate = (id: string, pinned: boolean) => (f: Frame) =>
    f.type === "updated" &&
    (f.message as WireMessage).id === id &&
    ((f.message as WireMessage).pinnedAt !== null) === pinned;

  it("a pin through A reaches a member on B live, and one away on B resumes it by rev; unpin likewise", async () => {
    const room = await roomOnA();
    const bob = await member(b.url, [room.slug]);
    const carol = await member(b.url, [room.slug]);
    const message = await sendAndAck(bob.socket, room.id, "pin me across instances");
    let { lastRev } = await subscribeTo(carol.socket, room.id);
    let carolSocket = carol.socket;

    for (const pinned of [true, false]) {
      // Carol goes away, holding the room as it was.
      carolSocket.close();
      await carolSocket.closed;
      const answer = await ask(room.owner.socket, {
        type: "pin",
        roomId: room.id,
        messageId: message.id,
        pinned,
      });
      expect(answer.type).toBe("ok");
      const live = await bob.socket.next(pinnedUpdate(message.id, pinned));
      expect(live.message).toMatchObject({ pinnedBy: pinned ? room.owner.userId : null });

      // Back on B, she resumes after what she held and gets the change.
      carolSocket = await socketOn(b.url, carol);
      const start = carolSocket.frames.length;
      const subscribed = await subscribeTo(carolSocket, room.id, {
        afterSeq: message.seq,
        afterRev: lastRev,
      });
      await carolSocket.next((f) => f.type === "history" && f.done === true);
      const replayed = carolSocket.frames
        .slice(start)
        .filter((f) => f.type === "history")
        .flatMap((f) => f.messages as WireMessage[]);
      expect(replayed.find((m) => m.id === message.id)?.pinnedAt !== null).toBe(pinned);
      expect(subscribed.lastRev).toBeGreaterThan(lastRev);
      lastRev = subscribed.lastRev;
    }
  });

  it("@here through A mentions a member whose only socket is on B, not one offline; @channel both", async () => {
    const room = await roomOnA();
    const bob = await member(b.url, [room.slug]);
    const carol = await member(b.url, [room.slug]);
    await presenceOf(room.owner.socket, bob, true);
    // Gone within the tick of her arrival she would not be announced at all.
    await presenceOf(room.owner.socket, carol, true);
    // Carol leaves B; A hears it through the relay once her lease is released.
    carol.socket.close();
    await presenceOf(room.owner.socket, carol, false);

    const here = await sendAndAck(room.owner.socket, room.id, "@here standup in 5");
    expect(await mentionedAt(room.id, here.seq)).toEqual([bob.userId]);
    expect((await summaryOnConnect(b.url, bob, room.id)).mentioned).toBe(true);
    expect((await summaryOnConnect(b.url, carol, room.id)).mentioned).toBe(false);

    const channel = await sendAndAck(room.owner.socket, room.id, "@channel the deploy is done");
    expect(await mentionedAt(room.id, channel.seq)).toEqual([bob.userId, carol.userId].sort());
    expect((await summaryOnConnect(b.url, carol, room.id)).mentioned).toBe(true);
  });

  it("thread-only replies through A do not count in the room unread a member on B sees", async () => {
    const room = await roomOnA();
    const bob = await member(b.url, [room.slug]);
    const owner = room.owner.socket;
    // Bob's ChatClient on B, as a browser runs it: the live count.
    const chat = nodeChatClient(b.url, bob.cookie);
    stops.push(() => chat.client.stop());
    await waitFor(() => chat.client.roomSummary(room.id) !== undefined, "bob's ready on B");
    const before = (await summaryOnConnect(b.url, bob, room.id)).lastReadSeq;

    const root = await sendAndAck(owner, room.id, "a question for the room");
    await replyInThread(owner, room.id, root.id, "a detail, thread only");
    await replyInThread(owner, room.id, root.id, "another detail, thread only");
    await replyInThread(owner, room.id, root.id, "the answer, also to the room", true);
    const last = await sendAndAck(owner, room.id, "back in the main log");

    const liveUnread = () => unreadCount(chat.client.roomSummary(room.id) as RoomSummary);
    await waitFor(
      () => chat.client.roomSummary(room.id)?.lastSeq === last.seq && liveUnread() === 3,
      "3 unread live on B",
      5_000,
      () => JSON.stringify(chat.client.roomSummary(room.id)),
    );
    const summary = await summaryOnConnect(b.url, bob, room.id);
    expect(summary).toMatchObject({ lastSeq: last.seq, lastReadSeq: before });
    expect(summary.threadOnlySeqs).toEqual([root.seq + 1, root.seq + 2]);
    expect(unreadCount(summary)).toBe(3);
  });

  it("a thread read marker moved on A reaches the same user's socket on B", async () => {
    const room = await roomOnA();
    const bob = await member(b.url, [room.slug]);
    const annOnB = await socketOn(b.url, room.owner);
    const root = await sendAndAck(room.owner.socket, room.id, "who knows?");
    const answer = await replyInThread(bob.socket, room.id, root.id, "I do");
    const state = (socket: TestSocket, want: object) =>
      socket.next(
        (f) =>
          f.type === "thread_state" &&
          Object.entries({ rootId: root.id, ...want }).every(
            ([key, value]) => (f.state as Record<string, unknown>)[key] === value,
          ),
      );
    await state(room.owner.socket, { unread: 1 });
    await state(annOnB, { unread: 1 });

    const read = await ask(room.owner.socket, {
      type: "thread_read",
      roomId: room.id,
      rootId: root.id,
      seq: answer.seq,
    });
    expect(read.type).toBe("ok");
    const onB = await state(annOnB, { unread: 0 });
    expect(onB.state).toMatchObject({
      lastReadSeq: answer.seq,
      following: true,
      latestSeq: answer.seq,
    });
    // And back: unfollowing on B reaches A.
    expect(
      (await ask(annOnB, { type: "follow", roomId: room.id, rootId: root.id, following: false }))
        .type,
    ).toBe("ok");
    await state(room.owner.socket, { following: false });
  });

  it("a search with operators finds the same messages through either instance", async () => {
    const tag = randomUUID().slice(0, 8);
    const room = await roomOnA(`Ann${tag}`);
    const bob = await member(b.url, [room.slug], `Bob${tag}`);
    const word = `heron${tag}`;
    const root = await sendAndAck(room.owner.socket, room.id, `${word} where is the build?`);
    await replyInThread(bob.socket, room.id, root.id, `${word} on the shelf`);
    await sendAndAck(bob.socket, room.id, `${word} unrelated, no thread`);

    const texts = async (url: string, cookie: string, q: string) => {
      const answer = await callServerFn<SearchHit[]>(
        url,
        "searchFn",
        { q },
        { cookie, method: "GET" },
      );
      if (!answer.ok) throw new Error(`search ${q} refused: ${answer.error.message}`);
      return answer.result.map((hit) => hit.message.text).sort();
    };
    const cases: [string, string[]][] = [
      [`${word} from:bob${tag}`, [`${word} on the shelf`, `${word} unrelated, no thread`]],
      [`${word} is:thread`, [`${word} on the shelf`, `${word} where is the build?`]],
      [`from:ann${tag} is:thread`, [`${word} where is the build?`]],
      [`${word} in:${room.slug} from:bob${tag} is:thread`, [`${word} on the shelf`]],
    ];
    for (const [q, expected] of cases) {
      for (const who of [room.owner, bob]) {
        expect({ q, onA: await texts(a.url, who.cookie, q) }).toEqual({ q, onA: expected });
        expect({ q, onB: await texts(b.url, who.cookie, q) }).toEqual({ q, onB: expected });
      }
    }
  });

  /** Who has a stored mention row for the message at `seq` (the shared database). */
  async function mentionedAt(roomId: string, seq: number): Promise<string[]> {
    const { rows } = await adminQuery(
      "select user_id from message_mention where room_id = $1 and seq = $2",
      testDb.url,
      [roomId, seq],
    );
    // Sorted here: the database collation need not order as JavaScript does.
    return rows.map((row) => String(row.user_id)).sort();
  }
});

// An unreachable service: services.ts printed a loud banner (with CI=true
// it throws instead). A visible skipped entry keeps vitest's report honest.
describe.skipIf(ready)(
  "conversation features in a cluster (PostgreSQL or Redis unreachable: skipped, see the banner)",
  () => {
    it("needs the services", () => {});
  },
);
