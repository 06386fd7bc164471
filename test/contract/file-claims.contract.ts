import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mayAttach, mayEdit, mayReplyInThread, membershipOf } from "../../src/core/policy";
import { parseSearchQuery } from "../../src/core/search-query";
import type { AttachInput, ChangeCheck, SendWithFilesResult } from "../../src/ports";
import type { WireMessage } from "../../src/protocol/frames";
import { post } from "./post";
import type { StoreUnderTest } from "./stores.contract";

const ann = { id: "u-ann", name: "Ann" };
const bob = { id: "u-bob", name: "Bob" };

/** The rule the app asks of a file that did not claim (core/policy mayAttach). */
const filesOf = (actorId: string, fileIds: readonly string[]): AttachInput => ({
  fileIds,
  check: (file) => mayAttach(file, actorId),
});

/** The policy a member's change asks (mayEdit, the same rule as mayDelete). */
const byMember =
  (actorId: string): ChangeCheck =>
  (facts) =>
    mayEdit({ kind: "public", name: "a" }, membershipOf(true), facts, actorId);

function sent(result: SendWithFilesResult): { message: WireMessage; duplicate: boolean } {
  if (!result.ok) throw new Error(`send refused: ${JSON.stringify(result)}`);
  return result;
}

/**
 * Files claimed in the message's transaction: sends, replies and edits
 * attach their author's unclaimed uploads, a deleted message lets its files
 * go. File rows are inserted directly, as an upload would leave them.
 */
export function describeFileClaimsContract(driver: string, open: () => Promise<StoreUnderTest>) {
  describe(`file claims contract: ${driver}`, () => {
    let store: StoreUnderTest;
    let roomId: string;
    beforeEach(async () => {
      store = await open();
      await store.addUser(ann.id, ann.name);
      await store.addUser(bob.id, bob.name);
      const room = await store.rooms.createRoom({ name: "f", slug: "f", createdBy: ann.id });
      roomId = room.id;
      await store.rooms.join(roomId, ann.id);
      await store.rooms.join(roomId, bob.id);
    });
    afterEach(() => store.close());

    /** An upload as POST /api/files stores it: unclaimed, an attachment unless told. */
    async function upload(
      id: string,
      uploaderId = ann.id,
      extra: { type?: string; width?: number; height?: number; purpose?: string } = {},
    ) {
      const type = extra.type ?? "image/png";
      await store.db
        .insertInto("file")
        .values({
          id,
          uploader_id: uploaderId,
          name: `${id}.${type === "image/png" ? "png" : "pdf"}`,
          size: 1234,
          content_type: type,
          blob_key: `blobs/${id}`,
          thumb_key: type.startsWith("image/") ? `thumbs/${id}` : null,
          width: extra.width ?? null,
          height: extra.height ?? null,
          created_at: Date.now(),
          ...(extra.purpose ? { purpose: extra.purpose } : {}),
        })
        .execute();
    }

    const send = (clientId: string, fileIds: string[], text = "", author = ann) =>
      store.messages.appendWithFiles(
        { roomId, author, clientId, text },
        filesOf(author.id, fileIds),
      );

    const fileRow = (id: string) =>
      store.db
        .selectFrom("file")
        .select(["room_id", "message_id", "position"])
        .where("id", "=", id)
        .executeTakeFirst();

    const messageCount = async () => (await store.messages.history(roomId, { limit: 100 })).length;

    it("a send claims its files in the list's order and the message carries them", async () => {
      await upload("f-a", ann.id, { width: 640, height: 480 });
      await upload("f-b", ann.id, { type: "application/pdf" });
      await upload("f-c", ann.id, { width: 10, height: 20 });
      const { message, duplicate } = sent(await send("c1", ["f-c", "f-a", "f-b"], "look"));
      expect(duplicate).toBe(false);
      expect(message.files).toEqual([
        {
          id: "f-c",
          name: "f-c.png",
          size: 1234,
          type: "image/png",
          image: true,
          width: 10,
          height: 20,
        },
        {
          id: "f-a",
          name: "f-a.png",
          size: 1234,
          type: "image/png",
          image: true,
          width: 640,
          height: 480,
        },
        { id: "f-b", name: "f-b.pdf", size: 1234, type: "application/pdf", image: false },
      ]);
      expect(await fileRow("f-c")).toEqual({
        room_id: roomId,
        message_id: message.id,
        position: 0,
      });
      expect(await fileRow("f-b")).toEqual({
        room_id: roomId,
        message_id: message.id,
        position: 2,
      });
      // Every reader shows them: history, the gap fetch, the revision replay.
      const [fromHistory] = await store.messages.history(roomId, { limit: 10 });
      expect(fromHistory?.files?.map((f) => f.id)).toEqual(["f-c", "f-a", "f-b"]);
      const [fromAfter] = await store.messages.after(roomId, 0, 10);
      expect(fromAfter).toEqual(fromHistory);
      // ...and the author has read up to it, as with any send.
      expect((await store.rooms.summaryOf(roomId, ann.id))?.lastReadSeq).toBe(message.seq);
    });

    it("a send with files keeps an incoming webhook's via", async () => {
      await upload("f-a");
      const via = { webhook: "CI" };
      const { message } = sent(
        await store.messages.appendWithFiles(
          { roomId, author: ann, clientId: "c1", text: "build log", via },
          filesOf(ann.id, ["f-a"]),
        ),
      );
      expect(message.via).toEqual(via);
      const [stored] = await store.messages.history(roomId, { limit: 10 });
      expect(stored?.via).toEqual(via);
    });

    it("search hits and saved messages carry their files", async () => {
      await upload("f-a");
      const { message } = sent(await send("c1", ["f-a"], "quarterly numbers"));
      const hits = await store.search.search(bob.id, parseSearchQuery("quarterly").query, 10);
      expect(hits.map((hit) => hit.message.files?.map((f) => f.id))).toEqual([["f-a"]]);
      expect(await store.saved.save(bob.id, roomId, message.id, true)).toBe("ok");
      const saved = await store.saved.list(bob.id, 10);
      expect(saved.map((hit) => hit.message.files?.map((f) => f.id))).toEqual([["f-a"]]);
    });

    it("a send with files stores its mentions as any send does", async () => {
      await upload("f-a");
      const { message } = sent(
        await store.messages.appendWithFiles(
          { roomId, author: ann, clientId: "c1", text: "for @Bob", mentions: [bob.id] },
          filesOf(ann.id, ["f-a"]),
        ),
      );
      expect(await store.rooms.summaryOf(roomId, bob.id)).toMatchObject({
        lastSeq: message.seq,
        mentioned: true,
      });
    });

    it("a message of files alone has empty text", async () => {
      await upload("f-a");
      const { message } = sent(await send("c1", ["f-a"], ""));
      expect(message.text).toBe("");
      expect(message.files?.map((f) => f.id)).toEqual(["f-a"]);
    });

    it("a claimed file cannot be claimed again: the second send is refused and stores nothing", async () => {
      await upload("f-a");
      await upload("f-b");
      const first = sent(await send("c1", ["f-a"], "first"));
      const before = await store.messages.position(roomId);
      const second = await send("c2", ["f-b", "f-a"], "second");
      expect(second).toEqual({
        ok: false,
        reason: "refused",
        refusal: mayAttach({ uploaderId: ann.id, attached: true, purpose: "attachment" }, ann.id),
      });
      expect(await store.messages.position(roomId)).toEqual(before);
      expect(await messageCount()).toBe(1);
      // f-b, claimed before f-a failed, was rolled back with the rest.
      expect(await fileRow("f-b")).toEqual({ room_id: null, message_id: null, position: 0 });
      expect(await fileRow("f-a")).toMatchObject({ message_id: first.message.id });
    });

    it("two sends racing for one file: exactly one claims it, the other stores nothing", async () => {
      await upload("f-a");
      const before = await store.messages.position(roomId);
      const results = await Promise.all(
        Array.from({ length: 4 }, (_, i) => send(`race-${i}`, ["f-a"], `try ${i}`)),
      );
      const won = results.filter((r) => r.ok);
      expect(won).toHaveLength(1);
      for (const lost of results.filter((r) => !r.ok)) {
        expect(lost).toMatchObject({
          ok: false,
          reason: "refused",
          refusal: { code: "forbidden" },
        });
      }
      expect(await store.messages.position(roomId)).toEqual({
        lastSeq: before.lastSeq + 1,
        lastRev: before.lastRev,
      });
      expect(await messageCount()).toBe(1);
    });

    it("refuses another user's file, an unknown id and a preview image, storing nothing", async () => {
      await upload("f-bob", bob.id);
      await upload("f-preview", ann.id, { purpose: "preview" });
      const before = await store.messages.position(roomId);
      const theirs = await send("c1", ["f-bob"], "x");
      expect(theirs).toMatchObject({
        ok: false,
        reason: "refused",
        refusal: { code: "forbidden" },
      });
      const unknown = await send("c2", ["f-nope"], "x");
      expect(unknown).toMatchObject({
        ok: false,
        reason: "refused",
        refusal: { code: "not_found" },
      });
      const preview = await send("c3", ["f-preview"], "x");
      expect(preview).toMatchObject({
        ok: false,
        reason: "refused",
        refusal: { code: "forbidden" },
      });
      expect(await store.messages.position(roomId)).toEqual(before);
      expect(await messageCount()).toBe(0);
      expect(await fileRow("f-bob")).toEqual({ room_id: null, message_id: null, position: 0 });
      // The refused client ids are free: the same send with the author's own file goes through.
      await upload("f-mine");
      expect(sent(await send("c1", ["f-mine"], "x")).message.files).toHaveLength(1);
    });

    it("a duplicate send answers the stored message and claims nothing new", async () => {
      await upload("f-a");
      await upload("f-b");
      const first = sent(await send("c1", ["f-a"], "once"));
      const again = sent(await send("c1", ["f-b"], "once"));
      expect(again.duplicate).toBe(true);
      expect(again.message).toEqual(first.message);
      expect(await fileRow("f-b")).toEqual({ room_id: null, message_id: null, position: 0 });
      expect((await store.messages.position(roomId)).lastSeq).toBe(first.message.seq);
    });

    it("is gated like a send: a non-member and a missing room are refused", async () => {
      await upload("f-a");
      const other = await store.rooms.createRoom({ name: "g", slug: "g", createdBy: bob.id });
      await store.rooms.join(other.id, bob.id);
      const notMember = await store.messages.appendWithFiles(
        { roomId: other.id, author: ann, clientId: "c1", text: "x" },
        filesOf(ann.id, ["f-a"]),
      );
      expect(notMember).toEqual({ ok: false, reason: "forbidden" });
      const noRoom = await store.messages.appendWithFiles(
        { roomId: "nowhere", author: ann, clientId: "c1", text: "x" },
        filesOf(ann.id, ["f-a"]),
      );
      expect(noRoom).toEqual({ ok: false, reason: "not_found" });
      expect(await fileRow("f-a")).toEqual({ room_id: null, message_id: null, position: 0 });
    });

    it("an edit's list becomes the message's files: new ones claimed, dropped ones deleted", async () => {
      for (const id of ["f-a", "f-b", "f-c"]) await upload(id);
      const { message } = sent(await send("c1", ["f-a", "f-b"], "two"));
      const edited = await store.messages.edit(
        roomId,
        message.id,
        "",
        byMember(ann.id),
        filesOf(ann.id, ["f-c", "f-a"]),
      );
      if (!edited.ok) throw new Error(`edit refused: ${JSON.stringify(edited)}`);
      expect(edited.message.files?.map((f) => f.id)).toEqual(["f-c", "f-a"]);
      expect(edited.message.text).toBe("");
      expect(edited.message.rev).toBeGreaterThan(message.rev);
      expect(edited.forgotten?.sort()).toEqual(["blobs/f-b", "thumbs/f-b"]);
      expect(await fileRow("f-b")).toBeUndefined();
      expect(await fileRow("f-a")).toMatchObject({ message_id: message.id, position: 1 });
      // A reconnecting client gets the new list by revision.
      const [changed] = await store.messages.changedSince(roomId, message.rev, 10);
      expect(changed?.files?.map((f) => f.id)).toEqual(["f-c", "f-a"]);
    });

    it("an edit without a file list keeps the files; an empty list drops them all", async () => {
      await upload("f-a");
      const { message } = sent(await send("c1", ["f-a"], "one"));
      const textOnly = await store.messages.edit(roomId, message.id, "new", byMember(ann.id));
      expect(textOnly).toMatchObject({ ok: true, message: { text: "new" } });
      if (!textOnly.ok) throw new Error("edit refused");
      expect(textOnly.message.files?.map((f) => f.id)).toEqual(["f-a"]);
      expect(textOnly.forgotten).toBeUndefined();
      const none = await store.messages.edit(
        roomId,
        message.id,
        "text only",
        byMember(ann.id),
        filesOf(ann.id, []),
      );
      if (!none.ok) throw new Error("edit refused");
      expect(none.message.files).toBeUndefined();
      expect(none.forgotten?.sort()).toEqual(["blobs/f-a", "thumbs/f-a"]);
    });

    it("an edit claiming a file it may not is refused whole: text, files and rev unchanged", async () => {
      await upload("f-a");
      await upload("f-bob", bob.id);
      const { message } = sent(await send("c1", ["f-a"], "keep"));
      const before = await store.messages.position(roomId);
      const refused = await store.messages.edit(
        roomId,
        message.id,
        "changed",
        byMember(ann.id),
        filesOf(ann.id, ["f-bob"]),
      );
      expect(refused).toMatchObject({
        ok: false,
        reason: "refused",
        refusal: { code: "forbidden" },
      });
      expect(await store.messages.position(roomId)).toEqual(before);
      const [stored] = await store.messages.history(roomId, { limit: 1 });
      expect(stored).toEqual(message);
      // Someone else's edit is refused by mayEdit before any file is touched.
      const notAuthor = await store.messages.edit(
        roomId,
        message.id,
        "",
        byMember(bob.id),
        filesOf(bob.id, ["f-bob"]),
      );
      expect(notAuthor).toMatchObject({ ok: false, reason: "refused" });
      expect(await fileRow("f-bob")).toEqual({ room_id: null, message_id: null, position: 0 });
    });

    it("deleting a message deletes its files and preview image and answers their blob keys", async () => {
      await upload("f-a");
      await upload("f-doc", ann.id, { type: "application/pdf" });
      const { message } = sent(await send("c1", ["f-a", "f-doc"], "bye"));
      // The preview fetcher's image: a file of the message, purpose "preview".
      await upload("f-prev", ann.id, { purpose: "preview" });
      await store.db
        .updateTable("file")
        .set({ room_id: roomId, message_id: message.id })
        .where("id", "=", "f-prev")
        .execute();
      const removed = await store.messages.remove(roomId, message.id, byMember(ann.id));
      if (!removed.ok) throw new Error("delete refused");
      expect(removed.message.deleted).toBe(true);
      expect(removed.message.files).toBeUndefined();
      expect(removed.forgotten?.sort()).toEqual([
        "blobs/f-a",
        "blobs/f-doc",
        "blobs/f-prev",
        "thumbs/f-a",
        "thumbs/f-prev",
      ]);
      const left = await store.db.selectFrom("file").select("id").execute();
      expect(left).toEqual([]);
      const [stored] = await store.messages.history(roomId, { limit: 1 });
      expect(stored?.files).toBeUndefined();
    });

    it("a message without files deletes as before, forgetting nothing", async () => {
      const { message } = await post(store, { roomId, author: ann, clientId: "p", text: "plain" });
      const removed = await store.messages.remove(roomId, message.id, byMember(ann.id));
      expect(removed).toMatchObject({ ok: true });
      if (removed.ok) expect(removed.forgotten).toBeUndefined();
    });

    it("a thread reply carries files, claimed in its transaction, and a bad one refuses it", async () => {
      const root = (await post(store, { roomId, author: bob, clientId: "root", text: "q" }))
        .message;
      await upload("f-a");
      await upload("f-bob", bob.id);
      const check = ({
        member,
        root: facts,
      }: {
        member: boolean;
        root: Parameters<typeof mayReplyInThread>[2];
      }) => mayReplyInThread({ kind: "public", name: "f" }, membershipOf(member), facts);
      const reply = (clientId: string, fileIds: string[]) =>
        store.threads.reply(
          {
            roomId,
            author: ann,
            clientId,
            text: "",
            threadRootId: root.id,
            alsoInRoom: false,
            files: filesOf(ann.id, fileIds),
          },
          check,
        );
      const before = await store.messages.position(roomId);
      const refused = await reply("r1", ["f-bob"]);
      expect(refused).toMatchObject({
        ok: false,
        reason: "refused",
        refusal: { code: "forbidden" },
      });
      expect(await store.messages.position(roomId)).toEqual(before);
      const ok = await reply("r2", ["f-a"]);
      if (!ok.ok) throw new Error(`reply refused: ${JSON.stringify(ok)}`);
      expect(ok.message.files?.map((f) => f.id)).toEqual(["f-a"]);
      expect(ok.root.thread?.replyCount).toBe(1);
      const page = await store.threads.page(roomId, root.id, 0, 10);
      expect(page?.replies[0]?.files?.map((f) => f.id)).toEqual(["f-a"]);
    });

    it("the claim's gate and mayAttach agree on every kind of file", async () => {
      // uploader, attached, purpose: the gate claims exactly what the rule allows.
      const cases = [
        { id: "k1", uploader: ann.id, purpose: "attachment", attached: false },
        { id: "k2", uploader: bob.id, purpose: "attachment", attached: false },
        { id: "k3", uploader: ann.id, purpose: "preview", attached: false },
        { id: "k4", uploader: ann.id, purpose: "attachment", attached: true },
      ];
      const holder = sent(await send("holder", [], "holder")).message;
      for (const c of cases) {
        await upload(c.id, c.uploader, { purpose: c.purpose });
        if (c.attached) {
          await store.db
            .updateTable("file")
            .set({ room_id: roomId, message_id: holder.id })
            .where("id", "=", c.id)
            .execute();
        }
        const rule = mayAttach(
          { uploaderId: c.uploader, attached: c.attached, purpose: c.purpose },
          ann.id,
        );
        const result = await send(`s-${c.id}`, [c.id], "x");
        expect(result.ok, c.id).toBe(rule.ok);
      }
    });
  });
}
