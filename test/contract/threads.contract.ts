import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mayEdit, mayReplyInThread, membershipOf } from "../../src/core/policy";
import type { ReplyCheck, ReplyInput, ReplyResult } from "../../src/ports";
import type { WireMessage } from "../../src/protocol/frames";
import { post } from "./post";
import type { StoreUnderTest } from "./stores.contract";

const ann = { id: "u-ann", name: "Ann" };
const bob = { id: "u-bob", name: "Bob" };
const cat = { id: "u-cat", name: "Cat" };
const dan = { id: "u-dan", name: "Dan" };

/** The rule the app asks (core/policy mayReplyInThread), on the store's facts. */
const asApp: ReplyCheck = ({ member, root }) =>
  mayReplyInThread({ kind: "public", name: "a" }, membershipOf(member), root);

/** A reply that must be stored. */
function ok(result: ReplyResult): { message: WireMessage; root: WireMessage; duplicate: boolean } {
  if (!result.ok) throw new Error(`reply refused: ${JSON.stringify(result)}`);
  return result;
}

/** The thread store's contract (replies, summaries, pages, follows); every driver must pass it. */
export function describeThreadContract(driver: string, open: () => Promise<StoreUnderTest>) {
  describe(`thread contract: ${driver}`, () => {
    let store: StoreUnderTest;
    let roomId: string;
    let root: WireMessage;
    beforeEach(async () => {
      store = await open();
      for (const user of [ann, bob, cat, dan]) await store.addUser(user.id, user.name);
      const room = await store.rooms.createRoom({ name: "t", slug: "t", createdBy: ann.id });
      roomId = room.id;
      for (const user of [bob, cat]) await store.rooms.join(roomId, user.id);
      root = (await post(store, { roomId, author: ann, clientId: "root", text: "a question" }))
        .message;
    });
    afterEach(() => store.close());

    let n = 0;
    const reply = (author = bob, extra: Partial<ReplyInput> = {}) =>
      store.threads.reply(
        {
          roomId,
          author,
          clientId: `r${++n}`,
          text: `reply ${n}`,
          threadRootId: root.id,
          alsoInRoom: false,
          ...extra,
        },
        asApp,
      );

    it("stores a reply with the room's next seq and changes the root's summary and rev with it", async () => {
      const before = await store.messages.position(roomId);
      const first = ok(await reply(bob));
      expect(first.duplicate).toBe(false);
      expect(first.message).toMatchObject({
        seq: before.lastSeq + 1,
        threadRootId: root.id,
        alsoInRoom: false,
        author: bob,
      });
      expect(first.root.thread).toEqual({
        replyCount: 1,
        lastReplyAt: first.message.createdAt,
        participants: [bob.id],
      });
      expect(first.root.rev).toBe(before.lastRev + 1);
      const after = await store.messages.position(roomId);
      expect(after).toEqual({ lastSeq: before.lastSeq + 1, lastRev: before.lastRev + 1 });
      // A client away during the reply gets the summary by revision on resume.
      const changed = await store.messages.changedSince(roomId, before.lastRev, 10);
      expect(changed.map((m) => [m.id, m.thread?.replyCount])).toEqual([[root.id, 1]]);
      // ...and the reply by seq, like any message.
      const missed = await store.messages.after(roomId, before.lastSeq, 10);
      expect(missed.map((m) => m.id)).toEqual([first.message.id]);
    });

    it("keeps up to three participants, newest first, each once", async () => {
      ok(await reply(bob));
      ok(await reply(cat));
      ok(await reply(bob));
      ok(await reply(ann));
      await store.rooms.join(roomId, dan.id);
      const last = ok(await reply(dan));
      expect(last.root.thread?.participants).toEqual([dan.id, ann.id, bob.id]);
      expect(last.root.thread?.replyCount).toBe(5);
    });

    it("refuses a non-member, a deleted root, a reply as root and a root of another room, writing nothing", async () => {
      const before = await store.messages.position(roomId);
      const refused = async (result: Promise<ReplyResult>, code: string) => {
        const answer = await result;
        expect(answer).toMatchObject({ ok: false, reason: "refused", refusal: { code } });
      };
      await refused(reply(dan), "forbidden");
      const first = ok(await reply(bob));
      await refused(reply(cat, { threadRootId: first.message.id }), "bad_frame");
      const other = await store.rooms.createRoom({ name: "o", slug: "o", createdBy: ann.id });
      const elsewhere = await post(store, {
        roomId: other.id,
        author: ann,
        clientId: "x",
        text: "x",
      });
      await refused(reply(bob, { threadRootId: elsewhere.message.id }), "not_found");
      await refused(reply(bob, { threadRootId: "no-such-id" }), "not_found");
      await store.messages.remove(roomId, root.id, (facts) =>
        mayEdit({ kind: "public", name: "t" }, membershipOf(true), facts, ann.id),
      );
      await refused(reply(bob), "not_found");
      expect(await reply(bob, { roomId: "no-room" })).toEqual({ ok: false, reason: "no_room" });
      const after = await store.messages.position(roomId);
      // One reply stored, one deletion; every refusal rolled its bump back.
      expect(after.lastSeq).toBe(before.lastSeq + 1);
      expect(after.lastRev).toBe(before.lastRev + 2);
      const page = await store.threads.page(roomId, root.id, 0, 10);
      expect(page?.replies.map((m) => m.id)).toEqual([first.message.id]);
    });

    it("answers a retried clientId with the stored reply, once", async () => {
      const input: ReplyInput = {
        roomId,
        author: bob,
        clientId: "same",
        text: "once",
        threadRootId: root.id,
        alsoInRoom: false,
      };
      const first = ok(await store.threads.reply(input, asApp));
      const again = ok(await store.threads.reply(input, asApp));
      expect(again.duplicate).toBe(true);
      expect(again.message.id).toBe(first.message.id);
      expect(again.root.thread?.replyCount).toBe(1);
      expect((await store.messages.position(roomId)).lastSeq).toBe(first.message.seq);
    });

    it("pages replies in seq order after a seq, root first, saying when more remain", async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(ok(await reply(i % 2 ? bob : cat)).message.id);
      // A plain message in between does not enter the thread.
      await post(store, { roomId, author: ann, clientId: "plain", text: "plain" });
      ids.push(ok(await reply(bob)).message.id);
      const first = await store.threads.page(roomId, root.id, 0, 4);
      expect(first?.root.id).toBe(root.id);
      expect(first?.replies.map((m) => m.id)).toEqual(ids.slice(0, 4));
      expect(first?.more).toBe(true);
      const lastSeq = first?.replies.at(-1)?.seq ?? 0;
      const rest = await store.threads.page(roomId, root.id, lastSeq, 4);
      expect(rest?.replies.map((m) => m.id)).toEqual(ids.slice(4));
      expect(rest?.more).toBe(false);
      expect(await store.threads.page(roomId, "nope", 0, 4)).toBeUndefined();
      const otherRoom = await store.rooms.createRoom({ name: "p", slug: "p", createdBy: ann.id });
      expect(await store.threads.page(otherRoom.id, root.id, 0, 4)).toBeUndefined();
    });

    it("keeps thread-only replies out of room unread; replies also sent to the room count", async () => {
      const plain = await post(store, { roomId, author: bob, clientId: "p1", text: "p" });
      const hidden = ok(await reply(bob));
      const shown = ok(await reply(bob, { alsoInRoom: true }));
      const summary = await store.rooms.summaryOf(roomId, cat.id);
      expect(summary?.lastSeq).toBe(shown.message.seq);
      expect(summary?.threadOnlySeqs).toEqual([hidden.message.seq]);
      expect(shown.message.alsoInRoom).toBe(true);
      // Once read past it, it is no longer listed.
      await store.rooms.markRead(roomId, cat.id, hidden.message.seq);
      expect((await store.rooms.summaryOf(roomId, cat.id))?.threadOnlySeqs).toEqual([]);
      expect(plain.message.threadRootId).toBeUndefined();
      // A reply also sent to the room moves its author's room marker; one kept in the thread does not.
      expect((await store.rooms.summaryOf(roomId, bob.id))?.lastReadSeq).toBe(shown.message.seq);
    });

    it("makes the replier, the root's author and the mentioned follow, and counts their unread", async () => {
      const first = ok(await reply(bob, { mentions: [cat.id] }));
      const annState = await store.threads.state(roomId, root.id, ann.id);
      expect(annState).toEqual({
        roomId,
        rootId: root.id,
        following: true,
        lastReadSeq: first.message.seq - 1,
        unread: 1,
        latestSeq: first.message.seq,
      });
      expect(await store.threads.state(roomId, root.id, bob.id)).toMatchObject({
        following: true,
        lastReadSeq: first.message.seq,
        unread: 0,
      });
      expect((await store.threads.state(roomId, root.id, cat.id)).following).toBe(true);
      const second = ok(await reply(bob));
      expect((await store.threads.state(roomId, root.id, ann.id)).unread).toBe(2);
      // Read markers move forward only, and never past the newest reply.
      const read = await store.threads.markRead(roomId, root.id, ann.id, second.message.seq + 50);
      expect(read).toMatchObject({ lastReadSeq: second.message.seq, unread: 0 });
      const back = await store.threads.markRead(roomId, root.id, ann.id, 1);
      expect(back.lastReadSeq).toBe(second.message.seq);
      // Dan, not in it, neither follows nor keeps a marker.
      const dans = await store.threads.markRead(roomId, root.id, dan.id, second.message.seq);
      expect(dans).toMatchObject({ following: false, lastReadSeq: 0 });
    });

    it("follows and unfollows by hand; an unfollowed thread stays unfollowed when replied to", async () => {
      ok(await reply(bob));
      const off = await store.threads.follow(roomId, root.id, ann.id, false);
      expect(off.following).toBe(false);
      ok(await reply(bob));
      expect((await store.threads.state(roomId, root.id, ann.id)).following).toBe(false);
      const on = await store.threads.follow(roomId, root.id, cat.id, true);
      expect(on).toMatchObject({ following: true, unread: 0 });
      expect((await store.threads.followedStates(ann.id, 10)).map((s) => s.rootId)).toEqual([]);
      expect((await store.threads.followedStates(cat.id, 10)).map((s) => s.rootId)).toEqual([
        root.id,
      ]);
    });

    it("keeps seq gap-free and the reply count exact with replies and sends at once", async () => {
      const before = await store.messages.position(roomId);
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          i % 2
            ? reply(i % 4 === 1 ? bob : cat).then((r) => ok(r).message.seq)
            : store.messages
                .appendIfMember({ roomId, author: ann, clientId: `s${i}`, text: `s${i}` })
                .then((r) => {
                  if (!r.ok) throw new Error(r.reason);
                  return r.message.seq;
                }),
        ),
      );
      const expected = Array.from({ length: 30 }, (_, i) => before.lastSeq + 1 + i);
      expect([...results].sort((a, b) => a - b)).toEqual(expected);
      const page = await store.threads.page(roomId, root.id, 0, 100);
      expect(page?.replies).toHaveLength(15);
      expect(page?.root.thread?.replyCount).toBe(15);
      expect(new Set(page?.root.thread?.participants)).toEqual(new Set([bob.id, cat.id]));
    });

    it("lists followed threads newest reply first, only in rooms the user is still in", async () => {
      const other = await store.rooms.createRoom({ name: "q", slug: "q", createdBy: ann.id });
      await store.rooms.join(other.id, bob.id);
      const second = await post(store, {
        roomId: other.id,
        author: ann,
        clientId: "r2",
        text: "b",
      });
      ok(await reply(bob));
      // The next reply must be stored at a later millisecond (ordering by time).
      const at = Date.now();
      while (Date.now() === at) await Promise.resolve();
      ok(
        await store.threads.reply(
          {
            roomId: other.id,
            author: bob,
            clientId: "q1",
            text: "later",
            threadRootId: second.message.id,
            alsoInRoom: false,
          },
          asApp,
        ),
      );
      const listed = await store.threads.followed(ann.id, 10);
      expect(listed.map((t) => [t.room.slug, t.root.id, t.state.unread])).toEqual([
        ["q", second.message.id, 1],
        ["t", root.id, 1],
      ]);
      await store.rooms.leave(other.id, ann.id);
      expect((await store.threads.followed(ann.id, 10)).map((t) => t.root.id)).toEqual([root.id]);
    });
  });
}
