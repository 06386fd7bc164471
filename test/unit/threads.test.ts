import { describe, expect, it } from "vitest";
import {
  isThreadOnly,
  threadsLinkLabel,
  threadUnread,
  totalThreadUnread,
  withReply,
  withState,
  withThreadOnlySeq,
} from "../../src/client/thread-unread";
import { ThreadTracker } from "../../src/client/threads";
import { unreadCount } from "../../src/client/unread";
import { type FrameDeps, handleFrame } from "../../src/core/handle-frame";
import type { ReplyCheck, ReplyInput } from "../../src/ports";
import type { RoomSummary, ThreadState } from "../../src/protocol/frames";
import { wireMessage } from "../helpers/fixtures";

const ann = { id: "u-ann", name: "Ann", handle: "ann" };
const bob = { id: "u-bob", name: "Bob", handle: "bob" };

const state = (over: Partial<ThreadState> = {}): ThreadState => ({
  roomId: "r",
  rootId: "root",
  following: true,
  lastReadSeq: 10,
  unread: 2,
  latestSeq: 12,
  ...over,
});
const replyBy = (seq: number, author = bob, over = {}) =>
  wireMessage(seq, { author, threadRootId: "root", alsoInRoom: false, ...over });

describe("thread unread rules", () => {
  it("counts the server's unread plus others' replies that came after it, each once", () => {
    let counter = withState(undefined, state());
    expect(threadUnread(counter)).toBe(2);
    counter = withReply(counter, replyBy(13), ann.id) ?? counter;
    counter = withReply(counter, replyBy(13), ann.id) ?? counter;
    expect(threadUnread(counter)).toBe(3);
    // Already counted by the server, one's own, another thread's: no change.
    counter = withReply(counter, replyBy(12), ann.id) ?? counter;
    counter = withReply(counter, replyBy(14, ann), ann.id) ?? counter;
    counter = withReply(counter, replyBy(15, bob, { threadRootId: "other" }), ann.id) ?? counter;
    expect(threadUnread(counter)).toBe(3);
  });

  it("a new server word replaces the baseline and keeps only later live replies", () => {
    let counter = withState(undefined, state());
    counter = withReply(counter, replyBy(13), ann.id) ?? counter;
    counter = withReply(counter, replyBy(16), ann.id) ?? counter;
    // Read on another device up to 13: the server counted to 14, 16 came after.
    counter = withState(counter, state({ lastReadSeq: 13, unread: 0, latestSeq: 14 }));
    expect(counter.live).toEqual([16]);
    expect(threadUnread(counter)).toBe(1);
  });

  it("an unfollowed thread has no unread, and unknown threads are not counted", () => {
    expect(threadUnread(withState(undefined, state({ following: false })))).toBe(0);
    expect(withReply(undefined, replyBy(13), ann.id)).toBeUndefined();
    expect(threadUnread(undefined)).toBe(0);
  });

  it("sums followed threads for the link's name", () => {
    const a = withState(undefined, state());
    const b = withState(undefined, state({ rootId: "b", unread: 3 }));
    const c = withState(undefined, state({ rootId: "c", following: false, unread: 9 }));
    expect(totalThreadUnread([a, b, c])).toBe(5);
    expect(threadsLinkLabel(5)).toBe("Threads, 5 unread");
    expect(threadsLinkLabel(0)).toBe("Threads");
  });
});

describe("room unread with thread replies", () => {
  const summary: RoomSummary = {
    id: "r",
    slug: "r",
    name: "r",
    kind: "public",
    lastSeq: 10,
    lastReadSeq: 5,
    mentioned: false,
    isDefault: false,
    threadOnlySeqs: [4, 7, 9],
  };

  it("skips thread-only replies after the marker, not those before it or beyond lastSeq", () => {
    expect(unreadCount(summary)).toBe(3);
    expect(unreadCount({ ...summary, threadOnlySeqs: undefined })).toBe(5);
    expect(unreadCount({ ...summary, lastReadSeq: 9 })).toBe(1);
    expect(unreadCount({ ...summary, threadOnlySeqs: [11] })).toBe(5);
  });

  it("lists a live thread-only reply once; a reply also sent to the room counts", () => {
    const live = { ...summary, lastSeq: 11 };
    const hidden = withThreadOnlySeq(live, replyBy(11));
    expect(hidden.threadOnlySeqs).toEqual([4, 7, 9, 11]);
    expect(withThreadOnlySeq(hidden, replyBy(11))).toBe(hidden);
    expect(unreadCount(hidden)).toBe(3);
    const shown = withThreadOnlySeq(live, replyBy(11, bob, { alsoInRoom: true }));
    expect(unreadCount(shown)).toBe(4);
    expect(isThreadOnly(wireMessage(3))).toBe(false);
  });
});

describe("ThreadTracker", () => {
  it("holds an open thread's root and replies from pages and live messages, in seq order", () => {
    const tracker = new ThreadTracker();
    tracker.open("r", "root", undefined);
    expect(tracker.view("root", 1).loading).toBe(true);
    const root = wireMessage(1, { id: "root" });
    tracker.page(root, [replyBy(3)], state({ latestSeq: 3, unread: 0, lastReadSeq: 3 }), false);
    tracker.messages([replyBy(2), replyBy(5), wireMessage(4)], ann.id);
    const updated = {
      ...root,
      rev: 7,
      thread: { replyCount: 3, lastReplyAt: null, participants: [] },
    };
    tracker.messages([updated], ann.id);
    const view = tracker.view("root", 2);
    expect(view.root?.rev).toBe(7);
    expect(view.replies.map((m) => m.seq)).toEqual([2, 3, 5]);
    expect(view).toMatchObject({ loading: false, following: true, unread: 1 });
    expect(tracker.opened()).toEqual([{ roomId: "r", rootId: "root", afterSeq: 5 }]);
    // A stale root (lower rev) does not replace the newer one.
    tracker.messages([root], ann.id);
    expect(tracker.view("root", 3).root?.rev).toBe(7);
    tracker.close("root");
    expect(tracker.opened()).toEqual([]);
  });

  it("resets followed threads on a new connection", () => {
    const tracker = new ThreadTracker();
    tracker.state(state());
    tracker.reset([state({ rootId: "b", unread: 4 })]);
    expect(tracker.followed(1)).toMatchObject({ unread: 4, list: [{ rootId: "b" }] });
  });
});

/** Fakes for the thread actions: room "r1" has Ann and Bob; "r2" only Bob. */
function fakes(options: { rootDeleted?: boolean } = {}) {
  const replies: ReplyInput[] = [];
  const members: Record<string, string[]> = { r1: [ann.id, bob.id], r2: [bob.id] };
  const deps = {
    rooms: {
      isMember: async (roomId: string, userId: string) =>
        members[roomId]?.includes(userId) ?? false,
      getRoom: async (id: string) =>
        members[id] ? { id, slug: id, name: id, kind: "private" } : undefined,
      members: async () => [ann, bob],
    },
    threads: {
      async reply(input: ReplyInput, check: ReplyCheck) {
        if (!members[input.roomId]) return { ok: false, reason: "no_room" };
        const root =
          input.threadRootId === "gone"
            ? undefined
            : { authorId: bob.id, deleted: options.rootDeleted ?? false, isReply: false };
        const decision = check({
          member: members[input.roomId]?.includes(input.author.id) ?? false,
          root,
        });
        if (!decision.ok) return { ok: false, reason: "refused", refusal: decision };
        replies.push(input);
        const message = wireMessage(9, {
          roomId: input.roomId,
          author: input.author,
          text: input.text,
        });
        const rootMessage = wireMessage(1, { id: input.threadRootId, author: bob, rev: 4 });
        return {
          ok: true,
          message: { ...message, threadRootId: input.threadRootId },
          root: rootMessage,
          duplicate: false,
        };
      },
      rootFacts: async (_r: string, rootId: string) =>
        rootId === "gone"
          ? undefined
          : { authorId: bob.id, deleted: false, isReply: rootId === "a-reply" },
      page: async (roomId: string, rootId: string) =>
        rootId === "gone"
          ? undefined
          : {
              root: wireMessage(1, { id: rootId, roomId }),
              replies: [wireMessage(2)],
              more: false,
            },
      state: async (roomId: string, rootId: string, userId: string) =>
        state({ roomId, rootId, following: userId !== "u-nobody" }),
      markRead: async (roomId: string, rootId: string, _u: string, seq: number) =>
        state({ roomId, rootId, lastReadSeq: seq, unread: 0 }),
      follow: async (roomId: string, rootId: string, _u: string, following: boolean) =>
        state({ roomId, rootId, following }),
    },
  } as unknown as FrameDeps;
  return { deps, replies };
}

describe("thread actions", () => {
  it("a reply is acked, published to the room with its root's summary, and moves thread states", async () => {
    const { deps, replies } = fakes();
    const effects = await handleFrame(
      { type: "send", roomId: "r1", clientId: "c", text: "sure @bob", threadRootId: "m1" },
      ann,
      deps,
    );
    expect(replies[0]).toMatchObject({ threadRootId: "m1", alsoInRoom: false, mentions: [bob.id] });
    expect(effects.map((e) => [e.kind, "frame" in e ? e.frame.type : ""])).toEqual([
      ["reply", "ack"],
      ["publish", "message"],
      ["publish", "updated"],
      ["user", "thread_state"],
      ["user", "thread_state"],
      ["notify", ""],
    ]);
    expect(effects[2]).toMatchObject({ exceptSelf: false, frame: { message: { id: "m1" } } });
    expect(effects.slice(3, 5).map((e) => (e.kind === "user" ? e.userId : ""))).toEqual([
      ann.id,
      bob.id,
    ]);
    expect(effects[5]).toMatchObject({ kind: "notify", op: "stored", mentions: [bob.id] });
  });

  it("a reply also sent to the room moves the room read marker too", async () => {
    const { deps } = fakes();
    const effects = await handleFrame(
      {
        type: "send",
        roomId: "r1",
        clientId: "c",
        text: "x",
        threadRootId: "m1",
        alsoToRoom: true,
      },
      ann,
      deps,
    );
    expect(effects.some((e) => e.kind === "user" && e.frame.type === "read")).toBe(true);
  });

  it("refuses a reply to a deleted root, to no message, from a non-member and in no room, naming the clientId", async () => {
    const cases: [FrameDeps, string, string, string][] = [
      [fakes({ rootDeleted: true }).deps, "r1", "m1", "not_found"],
      [fakes().deps, "r1", "gone", "not_found"],
      [fakes().deps, "r2", "m1", "forbidden"],
      [fakes().deps, "nope", "m1", "not_found"],
    ];
    for (const [deps, roomId, threadRootId, code] of cases) {
      const effects = await handleFrame(
        { type: "send", roomId, clientId: "c", text: "x", threadRootId },
        ann,
        deps,
      );
      expect(effects).toEqual([
        {
          kind: "reply",
          frame: { type: "error", code, message: expect.any(String), clientId: "c" },
        },
      ]);
    }
  });

  it("opens a thread with its page and the user's state; refuses a non-member and a missing root", async () => {
    const { deps } = fakes();
    const [answer] = await handleFrame({ type: "thread", roomId: "r1", rootId: "m1" }, ann, deps);
    expect(answer).toMatchObject({
      kind: "reply",
      frame: {
        type: "thread_history",
        roomId: "r1",
        root: { id: "m1" },
        more: false,
        state: { following: true },
      },
    });
    const outsider = await handleFrame({ type: "thread", roomId: "r2", rootId: "m1" }, ann, deps);
    expect(outsider).toMatchObject([{ frame: { type: "error", code: "forbidden" } }]);
    const missing = await handleFrame({ type: "thread", roomId: "r1", rootId: "gone" }, ann, deps);
    expect(missing).toMatchObject([{ frame: { type: "error", code: "not_found" } }]);
  });

  it("thread read markers and follows go to all of the user's sockets", async () => {
    const { deps } = fakes();
    const read = await handleFrame(
      { type: "thread_read", roomId: "r1", rootId: "m1", seq: 7 },
      ann,
      deps,
    );
    expect(read).toEqual([
      {
        kind: "user",
        userId: ann.id,
        frame: { type: "thread_state", state: expect.objectContaining({ lastReadSeq: 7 }) },
      },
    ]);
    const off = await handleFrame(
      { type: "follow", roomId: "r1", rootId: "m1", following: false },
      ann,
      deps,
    );
    expect(off).toMatchObject([
      { kind: "user", userId: ann.id, frame: { state: { following: false } } },
    ]);
    const ofReply = await handleFrame(
      { type: "follow", roomId: "r1", rootId: "a-reply", following: true },
      ann,
      deps,
    );
    expect(ofReply).toMatchObject([{ frame: { type: "error", code: "bad_frame" } }]);
    const outsider = await handleFrame(
      { type: "thread_read", roomId: "r2", rootId: "m1", seq: 1 },
      ann,
      deps,
    );
    expect(outsider).toMatchObject([{ frame: { type: "error", code: "forbidden" } }]);
  });
});
