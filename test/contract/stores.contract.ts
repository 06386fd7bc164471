import { type Kysely, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { postRefusal } from "../../src/core/actions/send";
import { mayEdit, mayPost, membershipOf } from "../../src/core/policy";
import { parseSearchQuery } from "../../src/core/search-query";
import {
  type ChangeCheck,
  type MessageStore,
  RoomLookalikeError,
  type RoomStore,
  RoomTakenError,
  type SavedMessages,
  type SearchIndex,
  type ThreadStore,
  type UserDirectory,
} from "../../src/ports";
import { migrateToLatest, type SqlDialect } from "../../src/server/storage/migrations.server";
import type { Database } from "../../src/server/storage/schema.server";
import { post } from "./post";

export type StoreUnderTest = {
  rooms: RoomStore;
  messages: MessageStore;
  users: UserDirectory;
  search: SearchIndex;
  threads: ThreadStore;
  saved: SavedMessages;
  /** The database under the stores, and its dialect (migration tests). */
  db: Kysely<Database>;
  dialect: SqlDialect;
  /** Makes a user the store can name as an author. */
  addUser(id: string, name: string): Promise<void>;
  close(): Promise<void>;
};

const ann = { id: "u-ann", name: "Ann" };
const bob = { id: "u-bob", name: "Bob" };

/** The policy a member's change asks (core/policy mayEdit, the same rule as mayDelete). */
const byMember =
  (actorId: string): ChangeCheck =>
  (facts) =>
    mayEdit({ kind: "public", name: "a" }, membershipOf(true), facts, actorId);

/** The RoomStore + MessageStore contract; every driver must pass it. */
export function describeStoreContract(driver: string, open: () => Promise<StoreUnderTest>) {
  describe(`store contract: ${driver}`, () => {
    let store: StoreUnderTest;
    beforeEach(async () => {
      store = await open();
      await store.addUser(ann.id, ann.name);
      await store.addUser(bob.id, bob.name);
    });
    afterEach(() => store.close());

    const room = (slug: string) => store.rooms.createRoom({ name: slug, slug, createdBy: ann.id });
    const append = (roomId: string, clientId: string, text = clientId, author = ann) =>
      post(store, { roomId, author, clientId, text });

    it("creates rooms with unique slugs", async () => {
      const created = await room("design");
      expect(await store.rooms.getRoomBySlug("design")).toEqual(created);
      expect(await store.rooms.getRoom(created.id)).toEqual(created);
      await expect(room("design")).rejects.toBeInstanceOf(RoomTakenError);
      expect((await store.rooms.listVisible(bob.id)).map((r) => r.slug)).toEqual(["design"]);
    });

    it("ensureRoom is idempotent", async () => {
      const first = await store.rooms.ensureRoom({ name: "general", slug: "general" });
      const second = await store.rooms.ensureRoom({ name: "general", slug: "general" });
      expect(second).toEqual(first);
      expect(await store.rooms.listVisible(ann.id)).toHaveLength(1);
    });

    it("keeps the default-room attribute: set by ensureRoom, never by createRoom or openDm", async () => {
      const general = await store.rooms.ensureRoom({
        name: "general",
        slug: "general",
        isDefault: true,
      });
      expect(general.isDefault).toBe(true);
      // As stored: a second ensure without the flag leaves it alone.
      expect(await store.rooms.ensureRoom({ name: "general", slug: "general" })).toEqual(general);
      expect(await store.rooms.getRoom(general.id)).toEqual(general);
      expect(await store.rooms.getRoomBySlug("general")).toEqual(general);
      const other = await room("other");
      expect(other.isDefault).toBe(false);
      expect((await store.rooms.getRoom(other.id))?.isDefault).toBe(false);
      const dm = await store.rooms.openDm(ann, bob);
      expect(dm.isDefault).toBe(false);
      expect(
        (await store.rooms.listVisible(ann.id)).map((r) => [r.slug, r.isDefault]),
      ).toContainEqual(["general", true]);
      // Room summaries (the wire) carry it, so the client compares no slug.
      await store.rooms.join(general.id, ann.id);
      await store.rooms.join(other.id, ann.id);
      const summaries = await store.rooms.summariesOf(ann.id);
      expect(summaries.map((r) => [r.id, r.isDefault]).sort()).toEqual(
        [
          [general.id, true],
          [other.id, false],
          [dm.id, false],
        ].sort(),
      );
      expect((await store.rooms.summaryOf(general.id, ann.id))?.isDefault).toBe(true);
    });

    it("migration 0006 makes an existing general room the default room, and only it", async () => {
      const general = await store.rooms.createRoom({
        name: "general",
        slug: "general",
        createdBy: null,
      });
      const other = await room("other");
      const dm = await store.rooms.openDm(ann, bob);
      // Back to the schema before the step, with the rooms a database of then held.
      await sql`delete from parley_migration where name = '0006_default_room'`.execute(store.db);
      await sql`alter table room drop column is_default`.execute(store.db);
      await migrateToLatest(store.db as never, store.dialect);
      expect((await store.rooms.getRoom(general.id))?.isDefault).toBe(true);
      expect((await store.rooms.getRoom(other.id))?.isDefault).toBe(false);
      expect((await store.rooms.getRoom(dm.id))?.isDefault).toBe(false);
    });

    it("the send path's SQL gate (appendIfMember) decides exactly as policy mayPost", async () => {
      const general = await store.rooms.ensureRoom({
        name: "general",
        slug: "general",
        isDefault: true,
      });
      const open = await room("open");
      const closed = await store.rooms.createRoom({
        name: "closed",
        slug: "closed",
        createdBy: ann.id,
        kind: "private",
      });
      const dm = await store.rooms.openDm(ann, bob);
      const left = await room("left");
      await store.rooms.join(general.id, ann.id);
      await store.rooms.join(open.id, ann.id);
      await store.rooms.join(closed.id, ann.id);
      await store.rooms.join(left.id, bob.id);
      await store.rooms.leave(left.id, bob.id);
      const carol = { id: "u-carol", name: "Carol" };
      await store.addUser(carol.id, carol.name);
      const rooms = [general.id, open.id, closed.id, dm.id, left.id, "no-such-room"];
      let allowed = 0;
      let refused = 0;
      for (const roomId of rooms) {
        for (const author of [ann, bob, carol]) {
          const facts = await store.rooms.getRoom(roomId);
          const membership = membershipOf(await store.rooms.isMember(roomId, author.id));
          const decision = mayPost(facts, membership);
          const clientId = `c-${author.id}`;
          const result = await store.messages.appendIfMember({
            roomId,
            author,
            clientId,
            text: "x",
          });
          const where = `${author.name} in ${facts?.slug ?? roomId}`;
          expect(result.ok, where).toBe(decision.ok);
          if (!result.ok) {
            expect(postRefusal(result.reason), where).toEqual(decision);
            refused++;
          } else allowed++;
        }
      }
      // Both outcomes and both refusals were seen.
      expect([allowed, refused]).toEqual([5, 13]);
    });

    it("tracks membership", async () => {
      const a = await room("a");
      const b = await room("b");
      expect(await store.rooms.isMember(a.id, ann.id)).toBe(false);
      await store.rooms.join(a.id, ann.id);
      await store.rooms.join(a.id, ann.id);
      await store.rooms.join(b.id, bob.id);
      expect(await store.rooms.isMember(a.id, ann.id)).toBe(true);
      expect((await store.rooms.summariesOf(ann.id)).map((r) => r.id)).toEqual([a.id]);
      expect((await store.rooms.summariesOf(bob.id)).map((r) => r.id)).toEqual([b.id]);
      expect(await store.rooms.members(a.id)).toEqual([ann]);
      expect(await store.rooms.leave(a.id, ann.id)).toBe(true);
      expect(await store.rooms.leave(a.id, ann.id)).toBe(false);
      expect(await store.rooms.isMember(a.id, ann.id)).toBe(false);
    });

    it("pages members by name then id, after a member, and counts them", async () => {
      const a = await room("a");
      // Two people share a name: the id breaks the tie, so no page skips one.
      const people = [
        { id: "u-p3", name: "Pat" },
        { id: "u-p1", name: "Pat" },
        { id: "u-q", name: "Quinn" },
      ];
      for (const person of people) await store.addUser(person.id, person.name);
      for (const id of [ann.id, bob.id, ...people.map((p) => p.id)])
        await store.rooms.join(a.id, id);
      expect(await store.rooms.memberCount(a.id)).toBe(5);
      const first = await store.rooms.membersPage(a.id, { limit: 2 });
      expect(first.map((m) => m.id)).toEqual([ann.id, bob.id]);
      const second = await store.rooms.membersPage(a.id, { afterId: bob.id, limit: 2 });
      expect(second.map((m) => m.id)).toEqual(["u-p1", "u-p3"]);
      const last = await store.rooms.membersPage(a.id, { afterId: "u-p3", limit: 2 });
      expect(last.map((m) => m.id)).toEqual(["u-q"]);
      expect(await store.rooms.membersPage(a.id, { afterId: "u-q", limit: 2 })).toEqual([]);
      // A cursor naming nobody gives nothing rather than the first page again.
      expect(await store.rooms.membersPage(a.id, { afterId: "u-nobody", limit: 2 })).toEqual([]);
      expect(await store.rooms.memberCount((await room("empty")).id)).toBe(0);
    });

    it("assigns each room its own gap-free seq, even under concurrent appends", async () => {
      const a = await room("a");
      const b = await room("b");
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) => append(i % 2 ? a.id : b.id, `c${i}`)),
      );
      const seqs = (roomId: string) =>
        results
          .filter((r) => r.message.roomId === roomId)
          .map((r) => r.message.seq)
          .sort((x, y) => x - y);
      const oneToTwenty = Array.from({ length: 20 }, (_, i) => i + 1);
      expect(seqs(a.id)).toEqual(oneToTwenty);
      expect(seqs(b.id)).toEqual(oneToTwenty);
    });

    it("returns the stored message with author, text and time", async () => {
      const a = await room("a");
      const { message, duplicate } = await append(a.id, "c1", "hello", bob);
      expect(duplicate).toBe(false);
      expect(message).toMatchObject({
        roomId: a.id,
        seq: 1,
        author: bob,
        text: "hello",
        editedAt: null,
        deleted: false,
        rev: 0,
        reactions: [],
      });
      expect(Number.isNaN(Date.parse(message.createdAt))).toBe(false);
      expect(await store.messages.history(a.id, { limit: 10 })).toEqual([message]);
    });

    it("stores a retried clientId once and returns the original", async () => {
      const a = await room("a");
      const first = await append(a.id, "same", "first");
      const again = await append(a.id, "same", "changed text");
      expect(again.duplicate).toBe(true);
      expect(again.message).toEqual(first.message);
      const next = await append(a.id, "other");
      expect(next.message.seq).toBe(2);
      expect(await store.messages.history(a.id, { limit: 10 })).toHaveLength(2);
    });

    it("stores concurrent retries of one clientId once, without using up a seq", async () => {
      const a = await room("a");
      const results = await Promise.all(Array.from({ length: 6 }, () => append(a.id, "same")));
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
      expect(await store.messages.position(a.id)).toEqual({ lastSeq: 1, lastRev: 0 });
    });

    it("keeps clientIds per room", async () => {
      const a = await room("a");
      const b = await room("b");
      await append(a.id, "same");
      expect((await append(b.id, "same")).duplicate).toBe(false);
    });

    it("pages history by seq, newest page first, each page ascending", async () => {
      const a = await room("a");
      for (let i = 1; i <= 7; i++) await append(a.id, `c${i}`);
      const page = (beforeSeq?: number) =>
        store.messages.history(a.id, { beforeSeq, limit: 3 }).then((ms) => ms.map((m) => m.seq));
      expect(await page()).toEqual([5, 6, 7]);
      expect(await page(5)).toEqual([2, 3, 4]);
      expect(await page(2)).toEqual([1]);
      expect(await page(1)).toEqual([]);
    });

    it("lists messages after a seq, ascending and bounded", async () => {
      const a = await room("a");
      for (let i = 1; i <= 5; i++) await append(a.id, `c${i}`);
      const after = await store.messages.after(a.id, 2, 2);
      expect(after.map((m) => m.seq)).toEqual([3, 4]);
      expect(await store.messages.after(a.id, 5, 10)).toEqual([]);
    });

    it("refuses to append to a room that does not exist and stores nothing", async () => {
      await expect(append("no-such-room", "c1")).rejects.toThrow();
      expect(await store.messages.history("no-such-room", { limit: 10 })).toEqual([]);
    });
    it("shows private rooms only to members; public ones to all", async () => {
      const open = await room("open");
      const secret = await store.rooms.createRoom({
        name: "secret",
        slug: "secret",
        createdBy: ann.id,
        kind: "private",
      });
      await store.rooms.join(secret.id, ann.id);
      expect(secret.kind).toBe("private");
      expect((await store.rooms.listVisible(ann.id)).map((r) => r.slug)).toEqual([
        "open",
        "secret",
      ]);
      expect((await store.rooms.listVisible(bob.id)).map((r) => r.id)).toEqual([open.id]);
    });

    it("lists public rooms in the directory with member counts, never private ones or DMs", async () => {
      const design = await store.rooms.createRoom({
        name: "Design",
        slug: "design",
        createdBy: ann.id,
      });
      const ops = await store.rooms.createRoom({
        name: "ops_100%",
        slug: "ops-100",
        createdBy: ann.id,
      });
      const secret = await store.rooms.createRoom({
        name: "Design secret",
        slug: "design-secret",
        createdBy: ann.id,
        kind: "private",
      });
      await store.rooms.join(secret.id, ann.id);
      await store.rooms.join(design.id, ann.id);
      await store.rooms.join(design.id, bob.id);
      await store.rooms.join(ops.id, ann.id);
      await store.rooms.openDm(ann, bob);
      await store.db
        .updateTable("room")
        .set({ topic: "Pixels" })
        .where("id", "=", design.id)
        .execute();
      const all = await store.rooms.directory(bob.id, "", 50);
      expect(all.map((r) => [r.name, r.memberCount, r.member, r.topic])).toEqual([
        ["Design", 2, true, "Pixels"],
        ["ops_100%", 1, false, null],
      ]);
      // By name, case-insensitively; LIKE's wildcards are plain characters.
      expect((await store.rooms.directory(bob.id, "SIGN", 50)).map((r) => r.slug)).toEqual([
        "design",
      ]);
      expect((await store.rooms.directory(bob.id, "_1", 50)).map((r) => r.slug)).toEqual([
        "ops-100",
      ]);
      expect((await store.rooms.directory(bob.id, "%", 50)).map((r) => r.slug)).toEqual([
        "ops-100",
      ]);
      expect(await store.rooms.directory(bob.id, "p%s", 50)).toEqual([]);
      expect(await store.rooms.directory(bob.id, "", 1)).toHaveLength(1);
    });

    it("gives a pair of users one DM room, named after the other person", async () => {
      const dm = await store.rooms.openDm(ann, bob);
      const again = await store.rooms.openDm(bob, ann);
      expect(again.id).toBe(dm.id);
      expect(dm.kind).toBe("dm");
      expect(await store.rooms.isMember(dm.id, ann.id)).toBe(true);
      expect(await store.rooms.isMember(dm.id, bob.id)).toBe(true);
      expect((await store.rooms.summaryOf(dm.id, ann.id))?.name).toBe("Bob");
      expect((await store.rooms.summaryOf(dm.id, bob.id))?.name).toBe("Ann");
      expect(await store.rooms.listVisible("u-carol")).toEqual([]);
    });

    it("tracks unread by read marker; writing marks read; markers never move back", async () => {
      const a = await room("a");
      await store.rooms.join(a.id, ann.id);
      await store.rooms.join(a.id, bob.id);
      for (let i = 1; i <= 3; i++) await append(a.id, `c${i}`, "hi", ann);
      let bobView = await store.rooms.summaryOf(a.id, bob.id);
      expect(bobView).toMatchObject({ lastSeq: 3, lastReadSeq: 0, mentioned: false });
      expect((await store.rooms.summaryOf(a.id, ann.id))?.lastReadSeq).toBe(3);
      expect(await store.rooms.markRead(a.id, bob.id, 2)).toBe(2);
      expect(await store.rooms.markRead(a.id, bob.id, 1)).toBe(2);
      bobView = await store.rooms.summaryOf(a.id, bob.id);
      expect(bobView).toMatchObject({ lastSeq: 3, lastReadSeq: 2 });
    });

    it("clamps a read marker to the room's last seq", async () => {
      const a = await room("a");
      await store.rooms.join(a.id, ann.id);
      await store.rooms.join(a.id, bob.id);
      await append(a.id, "c1", "one", ann);
      await append(a.id, "c2", "two", ann);
      expect(await store.rooms.markRead(a.id, bob.id, Number.MAX_SAFE_INTEGER)).toBe(2);
      expect(await store.rooms.summaryOf(a.id, bob.id)).toMatchObject({
        lastSeq: 2,
        lastReadSeq: 2,
      });
      // The next message is unread again: the marker did not run ahead.
      await append(a.id, "c3", "three", ann);
      expect((await store.rooms.summaryOf(a.id, bob.id))?.lastReadSeq).toBe(2);
      expect(await store.rooms.markRead(a.id, bob.id, 3)).toBe(3);
    });

    it("flags an unread mention until it is read", async () => {
      const a = await room("a");
      await store.rooms.join(a.id, ann.id);
      await store.rooms.join(a.id, bob.id);
      const { message } = await post(store, {
        roomId: a.id,
        author: ann,
        clientId: "m1",
        text: "@bob look",
        mentions: [bob.id, ann.id],
      });
      expect((await store.rooms.summaryOf(a.id, bob.id))?.mentioned).toBe(true);
      expect((await store.rooms.summaryOf(a.id, ann.id))?.mentioned).toBe(false);
      await store.rooms.markRead(a.id, bob.id, message.seq);
      expect((await store.rooms.summaryOf(a.id, bob.id))?.mentioned).toBe(false);
    });

    it("edits and deletes only the author's messages, bumping the room revision", async () => {
      const a = await room("a");
      const { message } = await append(a.id, "c1", "first", ann);
      const asked: unknown[] = [];
      const hijack = await store.messages.edit(a.id, message.id, "hijack", (facts) => {
        asked.push(facts);
        return byMember(bob.id)(facts);
      });
      // The store reports the facts, the policy decides, nothing is written.
      expect(asked).toEqual([{ authorId: ann.id }]);
      expect(hijack).toEqual({
        ok: false,
        reason: "refused",
        refusal: { ok: false, code: "forbidden", message: "you can only change your own messages" },
      });
      expect(await store.messages.position(a.id)).toEqual({ lastSeq: 1, lastRev: 0 });
      const edited = await store.messages.edit(a.id, message.id, "second", byMember(ann.id));
      expect(edited.ok && edited.message).toMatchObject({ text: "second", rev: 1, seq: 1 });
      expect(edited.ok && edited.message.editedAt).not.toBeNull();
      expect(await store.messages.remove(a.id, message.id, byMember(bob.id))).toMatchObject({
        reason: "refused",
      });
      const removed = await store.messages.remove(a.id, message.id, byMember(ann.id));
      expect(removed.ok && removed.message).toMatchObject({ deleted: true, text: "", rev: 2 });
      expect(await store.messages.edit(a.id, message.id, "again", byMember(ann.id))).toEqual({
        ok: false,
        reason: "not_found",
      });
      expect(await store.messages.position(a.id)).toEqual({ lastSeq: 1, lastRev: 2 });
      expect((await store.messages.changedSince(a.id, 1, 10)).map((m) => m.rev)).toEqual([2]);
      expect(await store.messages.edit(a.id, "nope", "x", byMember(ann.id))).toEqual({
        ok: false,
        reason: "not_found",
      });
    });

    it("attaches a link preview once, as a change, and its author's removal sticks", async () => {
      const a = await room("a");
      const { message } = await append(a.id, "c1", "see https://x.example", ann);
      const preview = { url: "https://x.example/", title: "X", siteName: "Ex" };
      const image = {
        id: "f-prev",
        uploaderId: ann.id,
        name: "preview.webp",
        size: 10,
        contentType: "image/webp",
        blobKey: "previews/f-prev",
        width: 40,
        height: 20,
      };
      const attached = await store.messages.attachPreview(a.id, message.id, preview, image);
      expect(attached).toMatchObject({ id: message.id, rev: 1, preview });
      expect(await store.messages.position(a.id)).toEqual({ lastSeq: 1, lastRev: 1 });
      const file = await store.db
        .selectFrom("file")
        .selectAll()
        .where("id", "=", "f-prev")
        .executeTakeFirstOrThrow();
      expect(file).toMatchObject({
        purpose: "preview",
        room_id: a.id,
        message_id: message.id,
        uploader_id: ann.id,
        thumb_key: "previews/f-prev",
      });
      // A second preview never replaces the first, and moves nothing.
      expect(await store.messages.attachPreview(a.id, message.id, { ...preview, title: "Y" })).toBe(
        undefined,
      );
      expect((await store.messages.changedSince(a.id, 0, 10))[0]?.preview?.title).toBe("X");

      // Only the author removes it (the store asks the check on the author's facts).
      const refused = await store.messages.removePreview(a.id, message.id, byMember(bob.id));
      expect(refused).toMatchObject({ ok: false, reason: "refused" });
      const removed = await store.messages.removePreview(a.id, message.id, byMember(ann.id));
      expect(removed).toMatchObject({ ok: true, blobKeys: ["previews/f-prev"] });
      expect(removed.ok && removed.message.preview).toBeUndefined();
      expect(removed.ok && removed.message.rev).toBe(2);
      expect(
        await store.db.selectFrom("file").select("id").where("id", "=", "f-prev").execute(),
      ).toEqual([]);
      // A fetch finishing after the removal attaches nothing.
      expect(await store.messages.attachPreview(a.id, message.id, preview)).toBe(undefined);
      expect(await store.messages.position(a.id)).toEqual({ lastSeq: 1, lastRev: 2 });

      // A deleted message takes no preview and has none to remove.
      const { message: other } = await append(a.id, "c2", "https://y.example", ann);
      await store.messages.remove(a.id, other.id, byMember(ann.id));
      expect(await store.messages.attachPreview(a.id, other.id, preview)).toBe(undefined);
      expect(await store.messages.removePreview(a.id, other.id, byMember(ann.id))).toEqual({
        ok: false,
        reason: "not_found",
      });
    });

    it("toggles reactions per user and emoji", async () => {
      const a = await room("a");
      const { message } = await append(a.id, "c1");
      await store.messages.toggleReaction(a.id, message.id, ann.id, "👍");
      await store.messages.toggleReaction(a.id, message.id, bob.id, "👍");
      const both = await store.messages.toggleReaction(a.id, message.id, bob.id, "🎉");
      expect(both.ok && both.message.reactions).toEqual([
        { emoji: "👍", userIds: [ann.id, bob.id] },
        { emoji: "🎉", userIds: [bob.id] },
      ]);
      const undone = await store.messages.toggleReaction(a.id, message.id, ann.id, "👍");
      expect(undone.ok && undone.message.reactions).toEqual([
        { emoji: "👍", userIds: [bob.id] },
        { emoji: "🎉", userIds: [bob.id] },
      ]);
      const [page] = await store.messages.history(a.id, { limit: 1 });
      expect(page?.reactions).toHaveLength(2);
    });

    it("keeps any emoji as sent, the longest included, quick ones first then by first use", async () => {
      const a = await room("a");
      const { message } = await append(a.id, "c1");
      // The longest RGI emoji (15 code units, 35 bytes), a subdivision flag, a tone.
      const picked = ["👩🏻‍❤️‍💋‍👨🏼", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "👍🏽"];
      for (const emoji of picked)
        await store.messages.toggleReaction(a.id, message.id, ann.id, emoji);
      const last = await store.messages.toggleReaction(a.id, message.id, bob.id, "🎉");
      expect(last.ok && last.message.reactions.map((r) => r.emoji)).toEqual(["🎉", ...picked]);
      const [page] = await store.messages.history(a.id, { limit: 1 });
      expect(page?.reactions.map((r) => r.emoji)).toEqual(["🎉", ...picked]);
    });

    it("bounds a range fetch by beforeSeq", async () => {
      const a = await room("a");
      for (let i = 1; i <= 6; i++) await append(a.id, `c${i}`);
      expect((await store.messages.after(a.id, 1, 10, 5)).map((m) => m.seq)).toEqual([2, 3, 4]);
    });

    it("finds users by name, case-insensitively, every namesake up to the limit, and by id", async () => {
      expect(await store.users.findByName("  ANN ", 2)).toEqual([ann]);
      expect(await store.users.findByName("nobody", 2)).toEqual([]);
      expect(await store.users.findById(bob.id)).toEqual(bob);
      await store.addUser("u-ann2", "ann");
      await store.addUser("u-ann3", "ANN");
      expect((await store.users.findByName("Ann", 2)).map((u) => u.id)).toEqual([
        "u-ann",
        "u-ann2",
      ]);
      expect(await store.users.findByName("Ann", 10)).toHaveLength(3);
    });

    it("searches people by name prefix, limited, with no wildcards", async () => {
      await store.addUser("u-anna", "Anna");
      await store.addUser("u-pct", "100% real");
      const search = (prefix: string, limit: number) =>
        store.users.searchPeople({ prefix, handleOnly: false }, limit);
      expect((await search("an", 10)).map((u) => u.id)).toEqual(["u-ann", "u-anna"]);
      expect(await search("an", 1)).toHaveLength(1);
      expect(await search("   ", 10)).toEqual([]);
      expect(await search("%", 10)).toEqual([]);
      expect(await search("_nn", 10)).toEqual([]);
      expect((await search("100%", 10)).map((u) => u.id)).toEqual(["u-pct"]);
    });

    it("blocks and unblocks, one way only", async () => {
      expect(await store.users.isBlocked(bob.id, ann.id)).toBe(false);
      await store.users.block(bob.id, ann.id);
      await store.users.block(bob.id, ann.id);
      expect(await store.users.isBlocked(bob.id, ann.id)).toBe(true);
      expect(await store.users.isBlocked(ann.id, bob.id)).toBe(false);
      expect(await store.users.blockedBy(bob.id)).toEqual([ann.id]);
      expect(await store.users.blockedBy(ann.id)).toEqual([]);
      expect(await store.users.unblock(bob.id, ann.id)).toBe(true);
      expect(await store.users.unblock(bob.id, ann.id)).toBe(false);
      expect(await store.users.isBlocked(bob.id, ann.id)).toBe(false);
    });

    it("refuses a public room whose name looks like another public room's, never a private one's", async () => {
      await store.rooms.createRoom({ name: "general", slug: "general", createdBy: null });
      // Cyrillic е: another slug, the same skeleton.
      await expect(
        store.rooms.createRoom({ name: "g\u0435neral", slug: "g-neral", createdBy: ann.id }),
      ).rejects.toBeInstanceOf(RoomLookalikeError);
      await expect(
        store.rooms.createRoom({ name: "GENERAL", slug: "general", createdBy: ann.id }),
      ).rejects.toBeInstanceOf(RoomTakenError);
      await expect(
        store.rooms.createRoom({
          name: "g\u0435neral",
          slug: "g-neral--x1",
          createdBy: ann.id,
          kind: "private",
        }),
      ).rejects.toBeInstanceOf(RoomLookalikeError);
      // Private names are not compared: the same name twice, and a public one after.
      for (const slug of ["plans--a", "plans--b"]) {
        await store.rooms.createRoom({ name: "plans", slug, createdBy: ann.id, kind: "private" });
      }
      const open = await store.rooms.createRoom({
        name: "plans",
        slug: "plans",
        createdBy: bob.id,
      });
      expect(open.kind).toBe("public");
      await expect(
        store.rooms.createRoom({ name: "PLANS", slug: "p-lans", createdBy: bob.id }),
      ).rejects.toBeInstanceOf(RoomLookalikeError);
    });

    it("finds the DM of two users without creating one", async () => {
      expect(await store.rooms.dmBetween(ann.id, bob.id)).toBeUndefined();
      const dm = await store.rooms.openDm(ann, bob);
      expect(await store.rooms.dmBetween(bob.id, ann.id)).toEqual(dm);
      expect(await store.rooms.dmBetween(ann.id, "u-nobody")).toBeUndefined();
    });

    it("searches the rooms a user belongs to, by word prefix, skipping deleted messages", async () => {
      const a = await room("a");
      const b = await room("b");
      await store.rooms.join(a.id, ann.id);
      await store.rooms.join(b.id, bob.id);
      await append(a.id, "c1", "The deployment finished", ann);
      await append(b.id, "c2", "deployment in the other room", bob);
      const gone = await append(a.id, "c3", "deploy secret", ann);
      await store.messages.remove(a.id, gone.message.id, byMember(ann.id));
      const hits = await store.search.search(ann.id, parseSearchQuery("deploy").query, 10);
      expect(hits.map((h) => h.message.text)).toEqual(["The deployment finished"]);
      expect(hits[0]?.room.slug).toBe("a");
      expect(
        await store.search.search(ann.id, parseSearchQuery('"unbalanced AND (').query, 10),
      ).toEqual([]);
      expect(await store.search.search(ann.id, parseSearchQuery("   ").query, 10)).toEqual([]);
    });
  });
}
