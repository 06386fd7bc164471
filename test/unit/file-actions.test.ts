import type { Peer } from "crossws";
import { describe, expect, it } from "vitest";
import { type FrameDeps, handleFrame } from "../../src/core/handle-frame";
import { Hub } from "../../src/core/hub";
import { mayAttach, mayAttachList } from "../../src/core/policy";
import { UserSockets } from "../../src/core/presence";
import type {
  AttachInput,
  BlobStore,
  ChangeCheck,
  ChangeResult,
  ReplyCheck,
  ReplyInput,
  Storage,
} from "../../src/ports";
import type { WireFile } from "../../src/protocol/frames";
import { createMetrics } from "../../src/server/metrics.server";
import { createLocalRelay } from "../../src/server/relay/local.server";
import { createEffectRunner } from "../../src/server/ws/effects.server";
import { wireMessage } from "../helpers/fixtures";

const ann = { id: "u-ann", name: "Ann" };
const bob = { id: "u-bob", name: "Bob" };
const file = (id: string): WireFile => ({
  id,
  name: `${id}.png`,
  size: 1,
  type: "image/png",
  image: true,
});

/**
 * Fakes of the stores as the file paths use them: "f-ann" is Ann's
 * unclaimed upload, "f-bob" Bob's, "f-used" Ann's but attached already,
 * anything else unknown. Room "r1" holds Ann and Bob; "m1" is Ann's.
 */
function fakes() {
  const calls: string[] = [];
  const uploads: Record<string, { uploaderId: string; attached: boolean; purpose: string }> = {
    "f-ann": { uploaderId: ann.id, attached: false, purpose: "attachment" },
    "f-ann2": { uploaderId: ann.id, attached: false, purpose: "attachment" },
    "f-bob": { uploaderId: bob.id, attached: false, purpose: "attachment" },
    "f-used": { uploaderId: ann.id, attached: true, purpose: "attachment" },
  };
  /** The claim's gate as the store runs it, asking the check on the first file that fails. */
  const claim = (files: AttachInput) => {
    for (const id of files.fileIds) {
      const facts = uploads[id];
      if (facts && facts.uploaderId === ann.id && !facts.attached) continue;
      return files.check(facts);
    }
    return { ok: true as const };
  };
  const members: Record<string, string[]> = { r1: [ann.id, bob.id] };
  const deps = {
    rooms: {
      isMember: async (roomId: string, userId: string) =>
        members[roomId]?.includes(userId) ?? false,
      getRoom: async (id: string) =>
        members[id] ? { id, slug: id, name: id, kind: "public" } : undefined,
      members: async () => [ann, bob],
    },
    messages: {
      appendIfMember: async () => {
        calls.push("appendIfMember");
        return { ok: true, message: wireMessage(1), duplicate: false };
      },
      async appendWithFiles(
        input: { roomId: string; clientId: string; text: string },
        files: AttachInput,
      ) {
        calls.push(`appendWithFiles:${files.fileIds.join(",")}`);
        if (!members[input.roomId]) return { ok: false, reason: "not_found" };
        const decision = claim(files);
        if (!decision.ok) return { ok: false, reason: "refused", refusal: decision };
        const message = wireMessage(7, {
          roomId: input.roomId,
          author: ann,
          text: input.text,
          files: files.fileIds.map(file),
        });
        return { ok: true, message, duplicate: input.clientId === "again" };
      },
      async edit(
        roomId: string,
        messageId: string,
        text: string,
        check: ChangeCheck,
        files?: AttachInput,
      ): Promise<ChangeResult> {
        calls.push(`edit:${files ? files.fileIds.join(",") : "-"}`);
        const decision = check({ authorId: ann.id });
        if (!decision.ok) return { ok: false, reason: "refused", refusal: decision };
        if (files) {
          const claimed = claim(files);
          if (!claimed.ok) return { ok: false, reason: "refused", refusal: claimed };
        }
        const message = wireMessage(3, { id: messageId, roomId, text, rev: 9 });
        return files
          ? { ok: true, message, forgotten: ["blobs/old", "thumbs/old"] }
          : { ok: true, message };
      },
      async remove(roomId: string, messageId: string, check: ChangeCheck): Promise<ChangeResult> {
        const decision = check({ authorId: ann.id });
        if (!decision.ok) return { ok: false, reason: "refused", refusal: decision };
        const message = wireMessage(3, { id: messageId, roomId, deleted: true, text: "" });
        return messageId === "plain"
          ? { ok: true, message }
          : { ok: true, message, forgotten: ["blobs/a", "thumbs/a"] };
      },
    },
    threads: {
      async reply(input: ReplyInput, check: ReplyCheck) {
        calls.push(`reply:${input.files ? input.files.fileIds.join(",") : "-"}`);
        const root = { authorId: bob.id, deleted: false, isReply: false };
        const decision = check({ member: true, root });
        if (!decision.ok) return { ok: false, reason: "refused", refusal: decision };
        if (input.files) {
          const claimed = claim(input.files);
          if (!claimed.ok) return { ok: false, reason: "refused", refusal: claimed };
        }
        return {
          ok: true,
          message: wireMessage(8, {
            roomId: input.roomId,
            threadRootId: input.threadRootId,
            files: input.files?.fileIds.map(file),
          }),
          root: wireMessage(2, { id: input.threadRootId, roomId: input.roomId }),
          duplicate: false,
        };
      },
      state: async (roomId: string, rootId: string) => ({
        roomId,
        rootId,
        following: true,
        lastReadSeq: 8,
        unread: 0,
        latestSeq: 8,
      }),
    },
  } as unknown as FrameDeps;
  return { deps, calls };
}

const send = (fileIds: string[] | undefined, extra: Record<string, unknown> = {}) =>
  ({ type: "send", roomId: "r1", clientId: "c1", text: "", fileIds, ...extra }) as const;

describe("sends with files", () => {
  it("take appendWithFiles, not the hot path, and ack, publish and mark read with the files", async () => {
    const { deps, calls } = fakes();
    const effects = await handleFrame(send(["f-ann", "f-ann2"]), ann, deps);
    expect(calls).toEqual(["appendWithFiles:f-ann,f-ann2"]);
    expect(effects.map((e) => e.kind)).toEqual(["reply", "publish", "user", "notify"]);
    expect(effects[0]).toMatchObject({
      frame: {
        type: "ack",
        clientId: "c1",
        message: { files: [{ id: "f-ann" }, { id: "f-ann2" }] },
      },
    });
    expect(effects[1]).toMatchObject({ frame: { type: "message", message: { seq: 7 } } });
  });

  it("a send without files stays on the hot path", async () => {
    const { deps, calls } = fakes();
    await handleFrame({ type: "send", roomId: "r1", clientId: "c1", text: "hi" }, ann, deps);
    expect(calls).toEqual(["appendIfMember"]);
  });

  it("refuses a file that would not claim with mayAttach's words, naming the clientId", async () => {
    const { deps } = fakes();
    for (const [id, facts] of [
      ["f-bob", { uploaderId: bob.id, attached: false, purpose: "attachment" }],
      ["f-used", { uploaderId: ann.id, attached: true, purpose: "attachment" }],
      ["f-none", undefined],
    ] as const) {
      const refusal = mayAttach(facts, ann.id);
      if (refusal.ok) throw new Error("the fixture should be refused");
      const effects = await handleFrame(send(["f-ann", id]), ann, deps);
      expect(effects).toEqual([
        {
          kind: "reply",
          frame: { type: "error", code: refusal.code, message: refusal.message, clientId: "c1" },
        },
      ]);
    }
  });

  it("refuses a list naming a file twice before the store is asked", async () => {
    const { deps, calls } = fakes();
    const effects = await handleFrame(send(["f-ann", "f-ann"]), ann, deps);
    expect(effects).toMatchObject([
      { kind: "reply", frame: { type: "error", code: "bad_frame", clientId: "c1" } },
    ]);
    expect(calls).toEqual([]);
  });

  it("answers a retry with its ack only, as a send does", async () => {
    const { deps } = fakes();
    const effects = await handleFrame(send(["f-ann"], { clientId: "again" }), ann, deps);
    expect(effects.map((e) => e.kind)).toEqual(["reply"]);
  });

  it("words a refused room as mayPost does", async () => {
    const { deps } = fakes();
    const effects = await handleFrame(send(["f-ann"], { roomId: "nope" }), ann, deps);
    expect(effects).toMatchObject([
      { frame: { type: "error", code: "not_found", clientId: "c1" } },
    ]);
  });

  it("a thread reply passes its files to the reply's transaction; a bad one is refused", async () => {
    const { deps, calls } = fakes();
    const ok = await handleFrame(send(["f-ann"], { threadRootId: "root" }), ann, deps);
    expect(ok[0]).toMatchObject({ frame: { type: "ack", message: { files: [{ id: "f-ann" }] } } });
    const refused = await handleFrame(send(["f-bob"], { threadRootId: "root" }), ann, deps);
    expect(refused).toMatchObject([
      { frame: { type: "error", code: "forbidden", clientId: "c1" } },
    ]);
    const twice = await handleFrame(send(["f-ann", "f-ann"], { threadRootId: "root" }), ann, deps);
    expect(twice).toMatchObject([{ frame: { type: "error", code: "bad_frame" } }]);
    expect(calls).toEqual(["reply:f-ann", "reply:f-bob"]);
  });
});

describe("edits and deletes with files", () => {
  const edit = (fileIds?: string[]) =>
    ({ type: "edit", roomId: "r1", messageId: "m1", text: "", fileIds }) as const;

  it("an edit with a list publishes the change, then forgets the dropped files' blobs", async () => {
    const { deps, calls } = fakes();
    const effects = await handleFrame(edit(["f-ann"]), ann, deps);
    expect(calls).toEqual(["edit:f-ann"]);
    expect(effects).toEqual([
      expect.objectContaining({
        kind: "publish",
        frame: expect.objectContaining({ type: "updated" }),
      }),
      { kind: "forget_blobs", keys: ["blobs/old", "thumbs/old"] },
    ]);
  });

  it("an edit without a list leaves the files alone and forgets nothing", async () => {
    const { deps, calls } = fakes();
    const effects = await handleFrame({ ...edit(), text: "words" }, ann, deps);
    expect(calls).toEqual(["edit:-"]);
    expect(effects.map((e) => e.kind)).toEqual(["publish"]);
  });

  it("an edit attaching someone else's file, or one twice, is refused", async () => {
    const { deps } = fakes();
    expect(await handleFrame(edit(["f-bob"]), ann, deps)).toMatchObject([
      { kind: "reply", frame: { type: "error", code: "forbidden" } },
    ]);
    expect(await handleFrame(edit(["f-ann", "f-ann"]), ann, deps)).toMatchObject([
      { kind: "reply", frame: { type: "error", code: "bad_frame" } },
    ]);
  });

  it("a delete publishes the deleted message, then forgets its files' blobs", async () => {
    const { deps } = fakes();
    const effects = await handleFrame({ type: "delete", roomId: "r1", messageId: "m1" }, ann, deps);
    expect(effects.map((e) => e.kind)).toEqual(["publish", "forget_blobs"]);
    expect(effects[1]).toEqual({ kind: "forget_blobs", keys: ["blobs/a", "thumbs/a"] });
    const plain = await handleFrame(
      { type: "delete", roomId: "r1", messageId: "plain" },
      ann,
      deps,
    );
    expect(plain.map((e) => e.kind)).toEqual(["publish"]);
  });

  it("a delete by someone else forgets nothing", async () => {
    const { deps } = fakes();
    const effects = await handleFrame({ type: "delete", roomId: "r1", messageId: "m1" }, bob, deps);
    expect(effects).toMatchObject([{ kind: "reply", frame: { code: "forbidden" } }]);
  });
});

describe("policy: attaching files", () => {
  it("only the uploader's own unclaimed upload", () => {
    const upload = { uploaderId: ann.id, attached: false, purpose: "attachment" };
    expect(mayAttach(upload, ann.id)).toEqual({ ok: true });
    expect(mayAttach(upload, bob.id)).toMatchObject({ ok: false, code: "forbidden" });
    expect(mayAttach({ ...upload, attached: true }, ann.id)).toMatchObject({
      ok: false,
      code: "forbidden",
      message: "a file of this message is not yours to attach or is already attached",
    });
    expect(mayAttach({ ...upload, purpose: "preview" }, ann.id)).toMatchObject({ ok: false });
    expect(mayAttach(undefined, ann.id)).toMatchObject({ ok: false, code: "not_found" });
  });

  it("each file once", () => {
    expect(mayAttachList(["a", "b"])).toEqual({ ok: true });
    expect(mayAttachList(["a", "b", "a"])).toMatchObject({ ok: false, code: "bad_frame" });
  });
});

describe("forget_blobs", () => {
  function runnerWith(blobs: BlobStore) {
    const warned: { msg: string; fields?: object }[] = [];
    const log = {
      debug() {},
      info() {},
      warn: (msg: string, fields?: object) => warned.push({ msg, fields }),
      error() {},
    };
    const runner = createEffectRunner({
      hub: new Hub<Peer>(() => {}, 1 << 20),
      online: new UserSockets<Peer>(),
      storage: {} as Storage,
      metrics: createMetrics(),
      relay: createLocalRelay(),
      onlineAmong: async () => new Set(),
      blobs,
      log,
    });
    return { runner, warned };
  }

  const storeOf = (failing: string[]) => {
    const deleted: string[] = [];
    const blobs = {
      where: "fake",
      async delete(key: string) {
        if (failing.includes(key)) throw new Error(`disk said no to ${key}`);
        deleted.push(key);
      },
    } as unknown as BlobStore;
    return { blobs, deleted };
  };

  it("deletes every key from the blob store", async () => {
    const { blobs, deleted } = storeOf([]);
    const { runner } = runnerWith(blobs);
    await runner.apply([{ kind: "forget_blobs", keys: ["blobs/a", "thumbs/a", "blobs/b"] }]);
    expect(deleted.sort()).toEqual(["blobs/a", "blobs/b", "thumbs/a"]);
  });

  it("logs a delete that fails and still deletes the others, never throwing", async () => {
    const { blobs, deleted } = storeOf(["blobs/a"]);
    const { runner, warned } = runnerWith(blobs);
    await expect(
      runner.apply([{ kind: "forget_blobs", keys: ["blobs/a", "thumbs/a"] }]),
    ).resolves.toBeUndefined();
    expect(deleted).toEqual(["thumbs/a"]);
    expect(warned).toEqual([
      {
        msg: "blob delete failed",
        fields: { key: "blobs/a", error: "Error: disk said no to blobs/a" },
      },
    ]);
  });
});
