import { describe, expect, it } from "vitest";
import { ChatClient } from "../../src/client/chat-client";
import { memoryOutbox } from "../../src/client/outbox";
import type { ChatSocket } from "../../src/client/socket";
import { unreadCount } from "../../src/client/unread";
import type { ClientFrame, ServerFrame, ThreadState } from "../../src/protocol/frames";
import { wireMessage } from "../helpers/fixtures";

/** A socket double: records sent frames, lets the test deliver server frames. */
function setup() {
  let onFrame: (frame: ServerFrame) => void = () => {};
  const sent: ClientFrame[] = [];
  const socket = {
    status: "connected",
    isOpen: true,
    start() {},
    stop() {},
    send(frame: ClientFrame) {
      sent.push(frame);
      return true;
    },
    onFrame(listener: (frame: ServerFrame) => void) {
      onFrame = listener;
      return () => {};
    },
    onStatus: () => () => {},
  };
  const client = new ChatClient(socket as unknown as ChatSocket, memoryOutbox());
  client.start();
  const deliver = (frame: ServerFrame) => onFrame(frame);
  deliver({ type: "ready", v: 2, user: me, rooms: [summary], threads: [followed] });
  return { client, sent, deliver };
}

const me = { id: "u-me", name: "Me" };
const bob = { id: "u-bob", name: "Bob" };
const summary = {
  id: "r",
  slug: "r",
  name: "r",
  kind: "public" as const,
  lastSeq: 3,
  lastReadSeq: 3,
  mentioned: false,
  isDefault: false,
};
const followed: ThreadState = {
  roomId: "r",
  rootId: "root",
  following: true,
  lastReadSeq: 2,
  unread: 0,
  latestSeq: 2,
};
const root = wireMessage(1, { id: "root", roomId: "r" });
const reply = (seq: number, over = {}) =>
  wireMessage(seq, { roomId: "r", author: bob, threadRootId: "root", alsoInRoom: false, ...over });

describe("ChatClient threads", () => {
  it("sends a reply through the outbox with its root, kept out of the room's pending list", () => {
    const { client, sent } = setup();
    void client.send("r", "an answer", { rootId: "root", alsoToRoom: false });
    expect(sent.at(-1)).toMatchObject({
      type: "send",
      roomId: "r",
      text: "an answer",
      threadRootId: "root",
      alsoToRoom: false,
    });
    expect(client.roomView("r").pending).toEqual([]);
    expect(client.threadView("root").pending.map((p) => p.text)).toEqual(["an answer"]);
  });

  it("opens a thread, holds its page and live replies, and asks for the next page while more remain", () => {
    const { client, sent, deliver } = setup();
    void client.openThread("r", "root");
    expect(sent.at(-1)).toMatchObject({ type: "thread", roomId: "r", rootId: "root", afterSeq: 0 });
    deliver({
      type: "thread_history",
      roomId: "r",
      root,
      replies: [reply(2)],
      more: true,
      state: followed,
    });
    expect(sent.at(-1)).toMatchObject({ type: "thread", rootId: "root", afterSeq: 2 });
    deliver({ type: "message", message: reply(4) });
    const view = client.threadView("root");
    expect(view.root?.id).toBe("root");
    expect(view.replies.map((m) => m.seq)).toEqual([2, 4]);
    expect(view.unread).toBe(1);
    client.closeThread("root");
    deliver({
      type: "thread_history",
      roomId: "r",
      root,
      replies: [reply(3)],
      more: true,
      state: followed,
    });
    // Closed: no more pages are asked for.
    expect(sent.filter((f) => f.type === "thread")).toHaveLength(2);
  });

  it("counts followed threads' unread live, agrees with a thread_state from another device, and skips thread-only replies in room unread", () => {
    const { client, deliver } = setup();
    deliver({ type: "message", message: reply(4) });
    deliver({ type: "message", message: reply(5, { alsoInRoom: true }) });
    expect(client.followedThreads().unread).toBe(2);
    const room = client.roomSummary("r");
    expect(room && unreadCount(room)).toBe(1);
    // Read on another device: the server's word is the new baseline.
    deliver({
      type: "thread_state",
      state: { ...followed, lastReadSeq: 5, unread: 0, latestSeq: 5 },
    });
    expect(client.followedThreads().unread).toBe(0);
  });

  it("marks an open thread read up to its newest reply, once", async () => {
    const { client, sent, deliver } = setup();
    void client.openThread("r", "root");
    deliver({
      type: "thread_history",
      roomId: "r",
      root,
      replies: [reply(2), reply(4)],
      more: false,
      state: { ...followed, unread: 1, latestSeq: 4 },
    });
    void client.markThreadRead("r", "root");
    expect(sent.at(-1)).toMatchObject({ type: "thread_read", rootId: "root", seq: 4 });
    expect(client.followedThreads().unread).toBe(0);
    const count = sent.length;
    await client.markThreadRead("r", "root");
    expect(sent).toHaveLength(count);
  });

  it("resumes open threads after the newest reply on a new connection", () => {
    const { client, sent, deliver } = setup();
    void client.openThread("r", "root");
    deliver({
      type: "thread_history",
      roomId: "r",
      root,
      replies: [reply(2)],
      more: false,
      state: followed,
    });
    deliver({ type: "ready", v: 2, user: me, rooms: [summary] });
    expect(sent.at(-1)).toMatchObject({ type: "thread", rootId: "root", afterSeq: 2 });
  });
});
