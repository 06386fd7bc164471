import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_MESSAGE_CHARS } from "../../src/protocol/frames";
import { connect, type Frame, type TestSocket } from "../helpers/clients";
import {
  closeAll,
  joinAs,
  type Member,
  openDb,
  privateRoom,
  roomIdFromReady,
  sendAndAck,
  settle,
  startServeLike,
  type WireMessage,
} from "../helpers/integration-extra";
import type { RunningServer } from "../helpers/server";

// Threads over the socket of the built server (issue 11): replies are room
// messages naming a root; the root's summary travels with its rev.
let server: RunningServer;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  server = await startServeLike();
});
afterAll(async () => {
  await closeAll(sockets);
  await server?.stop();
});

async function member(slugs: string[] = ["general"]): Promise<Member> {
  const m = await joinAs(server.url, slugs);
  sockets.push(m.socket);
  return m;
}

/** Sends a reply and resolves with its answer (ack or error) carrying `ref`. */
async function reply(
  socket: TestSocket,
  roomId: string,
  rootId: string,
  text: string,
  extra: object = {},
): Promise<Frame> {
  const ref = randomUUID();
  const clientId = randomUUID();
  socket.send({ type: "send", roomId, clientId, text, threadRootId: rootId, ref, ...extra });
  return socket.next((f) => (f.type === "ack" || f.type === "error") && f.ref === ref);
}

/** Sends a frame with a fresh ref; resolves with its answer (ok or error). */
async function ask(socket: TestSocket, frame: object): Promise<Frame> {
  const ref = randomUUID();
  socket.send({ ...frame, ref });
  return socket.next((f) => (f.type === "ok" || f.type === "error") && f.ref === ref);
}

const updatedRoot = (rootId: string, replyCount: number) => (f: Frame) =>
  f.type === "updated" &&
  (f.message as WireMessage).id === rootId &&
  (f.message as WireMessage).thread?.replyCount === replyCount;

describe("threads over the socket", () => {
  it("a reply bumps the root's rev, and a client away during the reply gets the new summary on resume", async () => {
    const ann = await member();
    const bob = await member();
    const general = roomIdFromReady(ann.socket, "general");
    const root = await sendAndAck(ann.socket, general, `question ${randomUUID()}`);
    bob.socket.send({ type: "subscribe", roomId: general });
    await bob.socket.next((f) => f.type === "subscribed");
    const seen = bob.socket.frames.length;
    // Ann goes away, holding the root as it was.
    ann.socket.close();
    await ann.socket.closed;

    const answer = await reply(bob.socket, general, root.id, "an answer");
    expect(answer.type).toBe("ack");
    const stored = answer.message as WireMessage;
    expect(stored).toMatchObject({ threadRootId: root.id, alsoInRoom: false, seq: root.seq + 1 });
    // Bob's other sockets hear the root change live (sender included).
    const live = await bob.socket.next(updatedRoot(root.id, 1));
    expect(bob.socket.frames.indexOf(live)).toBeGreaterThanOrEqual(seen);
    const liveRoot = live.message as WireMessage;
    expect(liveRoot.rev).toBeGreaterThan(root.rev);
    expect(liveRoot.thread).toMatchObject({ replyCount: 1, participants: [bob.userId] });

    // Ann comes back and resumes from what she held: the root's rev and the reply's seq.
    const back = await connect(server.url, ann.cookie);
    sockets.push(back);
    back.send({ type: "subscribe", roomId: general, afterSeq: root.seq, afterRev: root.rev });
    await back.next((f) => f.type === "history" && f.done === true);
    const replayed = back.frames
      .filter((f) => f.type === "history")
      .flatMap((f) => f.messages as WireMessage[]);
    const resumedRoot = replayed.filter((m) => m.id === root.id).at(-1);
    expect(resumedRoot?.thread?.replyCount).toBe(1);
    expect(resumedRoot?.rev).toBe(liveRoot.rev);
    expect(replayed.some((m) => m.id === stored.id && m.threadRootId === root.id)).toBe(true);
    // Ann started the thread: she follows it now, with the reply unread, on every device.
    const ready = back.frames.find((f) => f.type === "ready");
    const threads = (ready?.threads ?? []) as {
      rootId: string;
      unread: number;
      following: boolean;
    }[];
    expect(threads.find((t) => t.rootId === root.id)).toMatchObject({ following: true, unread: 1 });
    // And her room unread does not count a reply kept in the thread.
    const summary = ((ready?.rooms ?? []) as { id: string; threadOnlySeqs?: number[] }[]).find(
      (r) => r.id === general,
    );
    expect(summary?.threadOnlySeqs).toContain(stored.seq);
  });

  it("opens a thread: the root first, then the replies in order, with the user's state", async () => {
    const ann = await member();
    const bob = await member();
    const general = roomIdFromReady(ann.socket, "general");
    const root = await sendAndAck(ann.socket, general, "root");
    const first = (await reply(bob.socket, general, root.id, "one")).message as WireMessage;
    const second = (await reply(ann.socket, general, root.id, "two", { alsoToRoom: true }))
      .message as WireMessage;
    expect(second.alsoInRoom).toBe(true);
    const answered = await ask(ann.socket, { type: "thread", roomId: general, rootId: root.id });
    expect(answered.type).toBe("ok");
    const page: Frame = ann.socket.frames.findLast((f) => f.type === "thread_history") ?? {
      type: "none",
    };
    expect((page.root as WireMessage).id).toBe(root.id);
    expect((page.replies as WireMessage[]).map((m) => m.id)).toEqual([first.id, second.id]);
    expect(page).toMatchObject({ more: false, state: { following: true, unread: 0 } });
  });

  it("thread read markers agree across two sockets of one user", async () => {
    const ann = await member();
    const bob = await member();
    const general = roomIdFromReady(ann.socket, "general");
    const annTwo = await connect(server.url, ann.cookie);
    sockets.push(annTwo);
    const root = await sendAndAck(ann.socket, general, "who knows?");
    const answer = (await reply(bob.socket, general, root.id, "me")).message as WireMessage;
    // Ann follows (she started it): both her sockets hear her state, one unread.
    const unreadState = (socket: TestSocket, unread: number) =>
      socket.next(
        (f) =>
          f.type === "thread_state" &&
          (f.state as { rootId: string }).rootId === root.id &&
          (f.state as { unread: number }).unread === unread,
      );
    await unreadState(ann.socket, 1);
    await unreadState(annTwo, 1);
    // She reads it on one device: the other hears it.
    const read = await ask(ann.socket, {
      type: "thread_read",
      roomId: general,
      rootId: root.id,
      seq: answer.seq,
    });
    expect(read.type).toBe("ok");
    const onTwo = await unreadState(annTwo, 0);
    expect(onTwo.state).toMatchObject({ lastReadSeq: answer.seq, following: true });
    // Unfollowing on the second device reaches the first.
    expect(
      (await ask(annTwo, { type: "follow", roomId: general, rootId: root.id, following: false }))
        .type,
    ).toBe("ok");
    await ann.socket.next(
      (f) =>
        f.type === "thread_state" &&
        (f.state as { rootId: string; following: boolean }).rootId === root.id &&
        !(f.state as { following: boolean }).following,
    );
  });

  it("a non-member cannot reply to, open, read or follow a thread of a private room", async () => {
    const ann = await member();
    const eve = await member();
    const roomId = privateRoom(server.dataDir, [ann.userId]).id;
    const lobby = await connect(server.url, ann.cookie);
    sockets.push(lobby);
    const root = await sendAndAck(lobby, roomId, "secret plans");
    const before = eve.socket.frames.length;
    for (const frame of [
      { type: "send", clientId: randomUUID(), text: "let me in", threadRootId: root.id },
      { type: "thread", rootId: root.id },
      { type: "thread_read", rootId: root.id, seq: root.seq },
      { type: "follow", rootId: root.id, following: true },
    ]) {
      const answer = await ask(eve.socket, { ...frame, roomId });
      expect(answer).toMatchObject({ type: "error", code: "forbidden" });
    }
    // Nothing of the room reached Eve, and nothing was stored.
    await settle(200);
    const leaked = eve.socket.frames
      .slice(before)
      .filter((f) => f.type !== "error" && f.type !== "presence" && f.type !== "presence_batch");
    expect(leaked).toEqual([]);
    const db = openDb(server.dataDir);
    try {
      const row = db.prepare("SELECT reply_count FROM message WHERE id = ?").get(root.id);
      expect(Number(row?.reply_count)).toBe(0);
      const follows = db
        .prepare("SELECT count(*) AS n FROM thread_follow WHERE root_id = ?")
        .get(root.id);
      expect(Number(follows?.n)).toBe(0);
    } finally {
      db.close();
    }
  });

  it("refuses a reply to a deleted root and an over-long reply, storing nothing", async () => {
    const ann = await member();
    const general = roomIdFromReady(ann.socket, "general");
    const root = await sendAndAck(ann.socket, general, "soon gone");
    const tooLong = await reply(ann.socket, general, root.id, "x".repeat(MAX_MESSAGE_CHARS + 1));
    expect(tooLong).toMatchObject({ type: "error", code: "too_large" });
    expect(
      (await ask(ann.socket, { type: "delete", roomId: general, messageId: root.id })).type,
    ).toBe("ok");
    const late = await reply(ann.socket, general, root.id, "too late");
    expect(late).toMatchObject({ type: "error", code: "not_found" });
    expect(late.message).toMatch(/deleted/);
    // A reply to a reply is refused too: threads are one level deep.
    const other = await sendAndAck(ann.socket, general, "another root");
    const first = (await reply(ann.socket, general, other.id, "a reply")).message as WireMessage;
    const nested = await reply(ann.socket, general, first.id, "nested");
    expect(nested).toMatchObject({ type: "error", code: "bad_frame" });
    const db = openDb(server.dataDir);
    try {
      const rows = db
        .prepare("SELECT count(*) AS n FROM message WHERE thread_root_id IN (?, ?)")
        .get(root.id, first.id);
      expect(Number(rows?.n)).toBe(0);
    } finally {
      db.close();
    }
  });
});
