import { describe, expect, it } from "vitest";
import { type FrameDeps, handleFrame } from "../../src/core/handle-frame";
import type { ChangeCheck } from "../../src/ports";
import { FETCH_LIMIT, type WireMessage } from "../../src/protocol/frames";
import { wireMessage } from "../helpers/fixtures";

const ann = { id: "u-ann", name: "Ann", handle: "ann" };
const bob = { id: "u-bob", name: "Bob", handle: "bob" };

/** Small fakes: room "r1" (Ann and Bob), "r2" exists without Ann, "dm" is a DM. */
function fakes() {
  const stored: { text: string; mentions?: string[] }[] = [];
  const joined: string[] = [];
  const savedLog: string[] = [];
  const members: Record<string, string[]> = {
    r1: [ann.id, bob.id],
    r2: [bob.id],
    dm: [ann.id, bob.id],
  };
  const kinds: Record<string, string> = { r1: "private", r2: "public", dm: "dm" };
  const deps = {
    rooms: {
      isMember: async (roomId: string, userId: string) =>
        members[roomId]?.includes(userId) ?? false,
      getRoom: async (id: string) =>
        kinds[id] ? { id, slug: id, name: id, kind: kinds[id] } : undefined,
      members: async () => [ann, bob],
      markRead: async (_r: string, _u: string, seq: number) => Math.max(seq, 5),
      join: async (roomId: string, userId: string) => {
        joined.push(`${roomId}:${userId}`);
      },
      leave: async () => true,
      summaryOf: async (id: string) => ({
        id,
        slug: id,
        name: id,
        kind: "private",
        lastSeq: 0,
        lastReadSeq: 0,
        mentioned: false,
        isDefault: false,
      }),
    },
    messages: {
      // The store checks membership in the append's own transaction.
      async appendIfMember({
        roomId,
        author,
        text,
        mentions,
      }: {
        roomId: string;
        author: typeof ann;
        text: string;
        mentions?: string[];
      }) {
        if (!kinds[roomId]) return { ok: false, reason: "not_found" };
        if (!members[roomId]?.includes(author.id)) return { ok: false, reason: "forbidden" };
        stored.push({ text, mentions });
        const message: WireMessage = wireMessage(stored.length, { roomId, author, text });
        return { ok: true, message, duplicate: false };
      },
      position: async () => ({ lastSeq: 2_500, lastRev: 0 }),
      // The store reads the message's author and asks the policy: "m" is Bob's.
      edit: async (_r: string, _m: string, _t: string, check: ChangeCheck) => {
        const decision = check({ authorId: bob.id });
        return decision.ok ? { ok: true } : { ok: false, reason: "refused", refusal: decision };
      },
      remove: async () => ({ ok: false, reason: "not_found" }),
      toggleReaction: async (roomId: string) => ({
        ok: true,
        message: wireMessage(1, { roomId, rev: 3 }),
      }),
      // "gone" was deleted; any other message is Bob's, whose preview image is "previews/p1".
      removePreview: async (roomId: string, messageId: string, check: ChangeCheck) => {
        if (messageId === "gone") return { ok: false, reason: "not_found" };
        const decision = check({ authorId: bob.id });
        if (!decision.ok) return { ok: false, reason: "refused", refusal: decision };
        const message = wireMessage(1, { id: messageId, roomId, rev: 5 });
        return { ok: true, message, blobKeys: ["previews/p1"] };
      },
      // "gone" was deleted; any other message is Bob's, and pinning asks the policy on it.
      pin: async (
        roomId: string,
        messageId: string,
        pinned: boolean,
        userId: string,
        check: ChangeCheck,
      ) => {
        if (messageId === "gone") return { ok: false, reason: "not_found" };
        const decision = check({ authorId: bob.id });
        if (!decision.ok) return { ok: false, reason: "refused", refusal: decision };
        const at = pinned ? new Date(0).toISOString() : null;
        return {
          ok: true,
          message: wireMessage(1, {
            id: messageId,
            roomId,
            rev: 4,
            pinnedAt: at,
            pinnedBy: pinned ? userId : null,
          }),
        };
      },
    },
    saved: {
      // "gone" is not (or no longer) in the room.
      save: async (userId: string, roomId: string, messageId: string, saved: boolean) => {
        if (saved && messageId === "gone") return "not_found";
        savedLog.push(`${userId}:${roomId}:${messageId}:${saved}`);
        return "ok";
      },
    },
    users: {
      // Two people are called "Dana": a name alone cannot say which.
      findByName: async (name: string, limit: number) =>
        (name === "Carol"
          ? [{ id: "u-carol", name }]
          : name === "Dana"
            ? [
                { id: "u-dana1", name },
                { id: "u-dana2", name },
              ]
            : []
        ).slice(0, limit),
      findById: async (id: string) =>
        ({ "u-carol": "Carol", "u-dana1": "Dana", "u-dana2": "Dana", "u-bob": "Bob" })[id] !==
        undefined
          ? { id, name: id === "u-carol" ? "Carol" : "Dana" }
          : undefined,
      // Dana 2 blocked Ann.
      isBlocked: async (blocker: string, blocked: string) =>
        blocker === "u-dana2" && blocked === ann.id,
    },
  } as unknown as FrameDeps;
  return { deps, stored, joined, savedLog };
}

describe("handleFrame", () => {
  it("stores a member's message, acks it, publishes it to others and moves the read marker", async () => {
    const { deps, stored } = fakes();
    const effects = await handleFrame(
      { type: "send", roomId: "r1", clientId: "c1", text: "hi" },
      ann,
      deps,
    );
    expect(stored).toEqual([{ text: "hi", mentions: [] }]);
    expect(effects.map((e) => e.kind)).toEqual(["reply", "publish", "user", "notify"]);
    expect(effects[0]).toMatchObject({
      frame: { type: "ack", clientId: "c1", message: { seq: 1 } },
    });
    expect(effects[1]).toMatchObject({
      roomId: "r1",
      exceptSelf: true,
      frame: { type: "message" },
    });
    expect(effects[2]).toMatchObject({ userId: ann.id, frame: { type: "read", seq: 1 } });
  });

  it("asks for a preview of a message's first http(s) link, after its other effects", async () => {
    const { deps } = fakes();
    const effects = await handleFrame(
      {
        type: "send",
        roomId: "r1",
        clientId: "c1",
        text: "see https://a.example/x, or http://b.example",
      },
      ann,
      deps,
    );
    expect(effects.map((e) => e.kind)).toEqual(["reply", "publish", "user", "preview", "notify"]);
    expect(effects[3]).toEqual({
      kind: "preview",
      op: "make",
      roomId: "r1",
      messageId: expect.any(String),
      authorId: ann.id,
      url: "https://a.example/x",
    });
  });

  it("removes a preview for its author only: updated for everyone, then its image discarded", async () => {
    const { deps } = fakes();
    expect(
      await handleFrame({ type: "remove_preview", roomId: "r1", messageId: "m" }, bob, deps),
    ).toEqual([
      {
        kind: "publish",
        roomId: "r1",
        exceptSelf: false,
        frame: { type: "updated", message: expect.objectContaining({ id: "m", rev: 5 }) },
      },
      { kind: "forget_blobs", keys: ["previews/p1"] },
    ]);
    expect(
      await handleFrame({ type: "remove_preview", roomId: "r1", messageId: "m" }, ann, deps),
    ).toMatchObject([{ kind: "reply", frame: { type: "error", code: "forbidden" } }]);
    expect(
      await handleFrame({ type: "remove_preview", roomId: "r1", messageId: "gone" }, bob, deps),
    ).toMatchObject([{ kind: "reply", frame: { type: "error", code: "not_found" } }]);
  });

  it("resolves @mentions among the members", async () => {
    const { deps, stored } = fakes();
    await handleFrame(
      { type: "send", roomId: "r1", clientId: "c1", text: "hey @bob and @nobody" },
      ann,
      deps,
    );
    expect(stored[0]?.mentions).toEqual([bob.id]);
  });

  it("acks a send with the handles that name nobody in the room, for the author to invite", async () => {
    const { deps } = fakes();
    const effects = await handleFrame(
      { type: "send", roomId: "r1", clientId: "c1", text: "hey @BOB, @Nobody and @here" },
      ann,
      deps,
    );
    const ack = effects.find((e) => e.kind === "reply" && e.frame.type === "ack");
    expect(ack).toMatchObject({ frame: { type: "ack", unresolved: ["nobody"] } });
    const plain = await handleFrame(
      { type: "send", roomId: "r1", clientId: "c2", text: "hey @bob" },
      ann,
      deps,
    );
    const second = plain.find((e) => e.kind === "reply" && e.frame.type === "ack");
    expect(second && "frame" in second && "unresolved" in second.frame).toBe(false);
  });

  it("refuses every frame type to a non-member, naming the frame's clientId for sends", async () => {
    const { deps, stored } = fakes();
    const frames = [
      { type: "send", roomId: "r2", clientId: "c1", text: "hi" },
      { type: "subscribe", roomId: "r2" },
      { type: "fetch", roomId: "r2", afterSeq: 0 },
      { type: "typing", roomId: "r2" },
      { type: "read", roomId: "r2", seq: 1 },
      { type: "edit", roomId: "r2", messageId: "m", text: "x" },
      { type: "delete", roomId: "r2", messageId: "m" },
      { type: "react", roomId: "r2", messageId: "m", emoji: "👍" },
      { type: "invite", roomId: "r2", userName: "Carol" },
      { type: "leave", roomId: "r2" },
      { type: "pin", roomId: "r2", messageId: "m", pinned: true },
      { type: "save", roomId: "r2", messageId: "m", saved: true },
      { type: "remove_preview", roomId: "r2", messageId: "m" },
    ] as const;
    for (const frame of frames) {
      const effects = await handleFrame(frame, ann, deps);
      expect(effects).toEqual([
        {
          kind: "reply",
          frame: {
            type: "error",
            code: "forbidden",
            message: expect.any(String),
            clientId: frame.type === "send" ? "c1" : undefined,
          },
        },
      ]);
    }
    expect(stored).toEqual([]);
  });

  it("answers not_found for an unknown room", async () => {
    const { deps } = fakes();
    const effects = await handleFrame({ type: "subscribe", roomId: "nope" }, ann, deps);
    expect(effects).toMatchObject([{ kind: "reply", frame: { code: "not_found" } }]);
  });

  it("subscribes with the resume position", async () => {
    const { deps } = fakes();
    expect(
      await handleFrame({ type: "subscribe", roomId: "r1", afterSeq: 7, afterRev: 2 }, ann, deps),
    ).toEqual([{ kind: "subscribe", roomId: "r1", afterSeq: 7, afterRev: 2 }]);
  });

  it("bounds a fetch to FETCH_LIMIT messages and says more remains", async () => {
    const { deps } = fakes();
    expect(await handleFrame({ type: "fetch", roomId: "r1", afterSeq: 0 }, ann, deps)).toEqual([
      { kind: "fetch", roomId: "r1", afterSeq: 0, untilSeq: FETCH_LIMIT, more: true },
    ]);
    expect(
      await handleFrame({ type: "fetch", roomId: "r1", afterSeq: 10, beforeSeq: 20 }, ann, deps),
    ).toEqual([{ kind: "fetch", roomId: "r1", afterSeq: 10, untilSeq: 19, more: false }]);
  });

  it("relays typing to the others, never storing it", async () => {
    const { deps, stored } = fakes();
    const effects = await handleFrame({ type: "typing", roomId: "r1" }, ann, deps);
    expect(effects).toEqual([
      {
        kind: "publish",
        roomId: "r1",
        exceptSelf: true,
        frame: { type: "typing", roomId: "r1", user: ann },
      },
    ]);
    expect(stored).toEqual([]);
  });

  it("sends the stored read marker to all of the user's sockets", async () => {
    const { deps } = fakes();
    expect(await handleFrame({ type: "read", roomId: "r1", seq: 3 }, ann, deps)).toEqual([
      { kind: "user", userId: ann.id, frame: { type: "read", roomId: "r1", seq: 5 } },
      { kind: "notify", op: "read", userId: ann.id, roomId: "r1", seq: 5 },
    ]);
  });

  it("maps store refusals of edits and deletions to error codes", async () => {
    const { deps } = fakes();
    expect(
      await handleFrame({ type: "edit", roomId: "r1", messageId: "m", text: "x" }, ann, deps),
    ).toMatchObject([{ frame: { code: "forbidden" } }]);
    expect(
      await handleFrame({ type: "delete", roomId: "r1", messageId: "m" }, ann, deps),
    ).toMatchObject([{ frame: { code: "not_found" } }]);
  });

  it("publishes a changed message to everyone, sender included", async () => {
    const { deps } = fakes();
    const effects = await handleFrame(
      { type: "react", roomId: "r1", messageId: "m", emoji: "👍" },
      ann,
      deps,
    );
    expect(effects).toMatchObject([
      { kind: "publish", exceptSelf: false, frame: { type: "updated", message: { rev: 3 } } },
    ]);
  });

  it("pins and unpins for everyone, sender included, as the whole message", async () => {
    const { deps } = fakes();
    expect(
      await handleFrame({ type: "pin", roomId: "r1", messageId: "m", pinned: true }, ann, deps),
    ).toEqual([
      {
        kind: "publish",
        roomId: "r1",
        exceptSelf: false,
        frame: {
          type: "updated",
          message: expect.objectContaining({
            id: "m",
            pinnedAt: expect.any(String),
            pinnedBy: ann.id,
          }),
        },
      },
    ]);
    expect(
      await handleFrame({ type: "pin", roomId: "r1", messageId: "m", pinned: false }, ann, deps),
    ).toMatchObject([{ frame: { type: "updated", message: { pinnedAt: null, pinnedBy: null } } }]);
  });

  it("refuses a pin of a gone message, and of any message in a room one left or never joined", async () => {
    const { deps } = fakes();
    expect(
      await handleFrame({ type: "pin", roomId: "r1", messageId: "gone", pinned: true }, ann, deps),
    ).toMatchObject([{ kind: "reply", frame: { type: "error", code: "not_found" } }]);
    expect(
      await handleFrame({ type: "pin", roomId: "r2", messageId: "m", pinned: true }, ann, deps),
    ).toMatchObject([{ kind: "reply", frame: { type: "error", code: "forbidden" } }]);
    expect(
      await handleFrame({ type: "pin", roomId: "nope", messageId: "m", pinned: true }, ann, deps),
    ).toMatchObject([{ kind: "reply", frame: { type: "error", code: "not_found" } }]);
  });

  it("saves and unsaves for the user alone, telling all of their sockets", async () => {
    const { deps, savedLog } = fakes();
    expect(
      await handleFrame({ type: "save", roomId: "r1", messageId: "m", saved: true }, ann, deps),
    ).toEqual([
      {
        kind: "user",
        userId: ann.id,
        frame: { type: "saved", roomId: "r1", messageId: "m", saved: true },
      },
    ]);
    await handleFrame({ type: "save", roomId: "r1", messageId: "m", saved: false }, ann, deps);
    expect(savedLog).toEqual([`${ann.id}:r1:m:true`, `${ann.id}:r1:m:false`]);
    expect(
      await handleFrame({ type: "save", roomId: "r1", messageId: "gone", saved: true }, ann, deps),
    ).toMatchObject([{ kind: "reply", frame: { type: "error", code: "not_found" } }]);
  });

  it("invites by name: joins, attaches their sockets, tells them and the room", async () => {
    const { deps, joined } = fakes();
    const effects = await handleFrame(
      { type: "invite", roomId: "r1", userName: "Carol" },
      ann,
      deps,
    );
    expect(joined).toEqual(["r1:u-carol"]);
    expect(effects.map((e) => e.kind)).toEqual(["attach", "user", "members"]);
    expect(
      await handleFrame({ type: "invite", roomId: "r1", userName: "Nobody" }, ann, deps),
    ).toMatchObject([{ frame: { code: "not_found" } }]);
    expect(
      await handleFrame({ type: "invite", roomId: "dm", userName: "Carol" }, ann, deps),
    ).toMatchObject([{ frame: { code: "forbidden" } }]);
  });

  it("invites by id; refuses an ambiguous name, a blocker and an unknown id, adding nobody", async () => {
    const { deps, joined } = fakes();
    const byId = await handleFrame({ type: "invite", roomId: "r1", userId: "u-dana1" }, ann, deps);
    expect(byId.map((e) => e.kind)).toEqual(["attach", "user", "members"]);
    expect(joined).toEqual(["r1:u-dana1"]);
    expect(
      await handleFrame({ type: "invite", roomId: "r1", userName: "Dana" }, ann, deps),
    ).toMatchObject([
      {
        frame: {
          code: "bad_frame",
          message: 'more than one person is called "Dana": pick the one you mean from the list',
        },
      },
    ]);
    expect(
      await handleFrame({ type: "invite", roomId: "r1", userId: "u-dana2" }, ann, deps),
    ).toMatchObject([
      { frame: { code: "forbidden", message: "Dana does not accept invites from you" } },
    ]);
    expect(
      await handleFrame({ type: "invite", roomId: "r1", userId: "u-nope" }, ann, deps),
    ).toMatchObject([{ frame: { code: "not_found", message: "no such person" } }]);
    expect(await handleFrame({ type: "invite", roomId: "r1" }, ann, deps)).toMatchObject([
      { frame: { code: "bad_frame" } },
    ]);
    expect(joined).toEqual(["r1:u-dana1"]);
  });

  it("refuses an invite past the inviter's limit, and one to a member costs nothing", async () => {
    const { deps, joined } = fakes();
    const taken: string[] = [];
    let left = 1;
    deps.limits = {
      take: (action, userId) => {
        taken.push(`${action}:${userId}`);
        return left-- > 0 ? 0 : 90_000;
      },
    };
    await handleFrame({ type: "invite", roomId: "r1", userId: "u-carol" }, ann, deps);
    expect(
      await handleFrame({ type: "invite", roomId: "r1", userId: "u-dana1" }, ann, deps),
    ).toEqual([
      {
        kind: "reply",
        frame: {
          type: "error",
          code: "rate_limited",
          message: "too many invites: try again in 2 min",
          retryAfterMs: 90_000,
        },
      },
    ]);
    // Bob is a member of r1 already: nothing to do, no token spent.
    expect(await handleFrame({ type: "invite", roomId: "r1", userId: "u-bob" }, ann, deps)).toEqual(
      [],
    );
    expect(taken).toEqual([`invite:${ann.id}`, `invite:${ann.id}`]);
    expect(joined).toEqual(["r1:u-carol"]);
  });

  it("refuses to let anyone leave the default room, by attribute", async () => {
    const { deps } = fakes();
    const getRoom = deps.rooms.getRoom;
    deps.rooms.getRoom = async (id) => {
      const room = await getRoom(id);
      return room && { ...room, name: "lobby", isDefault: id === "r1" };
    };
    expect(await handleFrame({ type: "leave", roomId: "r1" }, ann, deps)).toEqual([
      {
        kind: "reply",
        frame: { type: "error", code: "forbidden", message: "everyone stays in lobby" },
      },
    ]);
    expect(await handleFrame({ type: "leave", roomId: "dm" }, ann, deps)).toHaveLength(3);
  });

  it("leave detaches every socket of the user and updates the room", async () => {
    const { deps } = fakes();
    const effects = await handleFrame({ type: "leave", roomId: "r1" }, ann, deps);
    expect(effects).toEqual([
      { kind: "detach", userId: ann.id, roomId: "r1" },
      { kind: "user", userId: ann.id, frame: { type: "room_removed", roomId: "r1" } },
      { kind: "members", roomId: "r1" },
    ]);
  });
});
