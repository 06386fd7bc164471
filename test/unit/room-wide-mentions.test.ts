import { describe, expect, it } from "vitest";
import { splitMentions } from "../../src/client/text-parts";
import { type FrameDeps, handleFrame } from "../../src/core/handle-frame";
import { roomWideMention } from "../../src/core/mentions";
import { mayMentionRoom, ROOM_WIDE_MENTION_MEMBERS, type RoomFacts } from "../../src/core/policy";
import { wireMessage } from "../helpers/fixtures";

const creator = "u-creator";
const room: RoomFacts = { kind: "public", name: "town", createdBy: creator };
const member = { member: true, role: "member" } as const;

describe("roomWideMention", () => {
  it.each([
    ["@here standup", "online"],
    ["@channel deploy at 5", "everyone"],
    ["ping @ALL", "everyone"],
    ["@here and @channel", "everyone"],
    ["mail here@example.com", null],
    ["@hereby", null],
    ["no mention", null],
    ["@here.", "online"],
  ] as const)("%s -> %s", (text, want) => {
    expect(roomWideMention(text)).toBe(want);
  });

  it("marks @here, @channel and @all as about the reader", () => {
    const parts = splitMentions("@here @bob @all @Me @nobody", "me", new Set(["bob", "me"]));
    expect(parts.filter((p) => p.kind === "mention")).toEqual([
      { kind: "mention", text: "@here", self: true },
      { kind: "mention", text: "@bob", self: false },
      { kind: "mention", text: "@all", self: true },
      { kind: "mention", text: "@Me", self: true },
    ]);
    // A handle of nobody in the room is not painted: it stays text.
    expect(parts.at(-1)).toEqual({ kind: "text", text: " @nobody" });
  });
});

describe("policy: mayMentionRoom", () => {
  const limit = ROOM_WIDE_MENTION_MEMBERS;
  it.each([
    ["any member, at the limit", limit, "u-any", "allow"],
    ["any member, over the limit", limit + 1, "u-any", "forbidden"],
    ["the creator (moderator), over the limit", limit + 1, creator, "allow"],
  ] as const)("%s", (_, count, actor, want) => {
    const decision = mayMentionRoom(room, member, count, actor);
    expect(decision.ok ? "allow" : decision.code).toBe(want);
  });

  it("keeps them from a seeded room's members (no creator) over the limit, and from non-members", () => {
    const seeded: RoomFacts = { kind: "public", name: "general", createdBy: null };
    expect(mayMentionRoom(seeded, member, limit + 1, "u-any")).toMatchObject({
      code: "forbidden",
      message: `only the room's moderators may use @here, @channel or @all in rooms of more than ${limit} members`,
    });
    expect(mayMentionRoom(room, { member: false }, 2, creator)).toMatchObject({
      code: "forbidden",
      message: "you are not a member of this room",
    });
    expect(mayMentionRoom(undefined, { member: false }, 0, creator)).toMatchObject({
      code: "not_found",
    });
  });
});

describe("send with a room-wide mention", () => {
  const ann = { id: creator, name: "Ann", handle: "ann" };
  const bob = { id: "u-bob", name: "Bob", handle: "bob" };

  /** A room of `count` members (Ann, its creator, and Bob among them); Bob alone is online. */
  function fakes(count: number) {
    const members = [
      ann,
      bob,
      ...Array.from({ length: count - 2 }, (_, i) => ({ id: `u${i}`, name: `P${i}` })),
    ];
    const stored: { mentions?: string[] }[] = [];
    const deps = {
      rooms: {
        members: async () => members,
        isMember: async (_r: string, userId: string) => members.some((m) => m.id === userId),
        getRoom: async (id: string) => ({
          id,
          slug: id,
          name: id,
          kind: "public",
          createdBy: creator,
        }),
      },
      messages: {
        async appendIfMember(input: { roomId: string; author: typeof ann; mentions?: string[] }) {
          stored.push({ mentions: input.mentions });
          const message = wireMessage(stored.length, {
            roomId: input.roomId,
            author: input.author,
          });
          return { ok: true, message, duplicate: false };
        },
      },
      presence: {
        onlineAmong: async (ids: readonly string[]) => new Set(ids.filter((id) => id === bob.id)),
      },
    } as unknown as FrameDeps;
    return { deps, stored, members };
  }
  const send = (text: string) =>
    ({ type: "send", roomId: "r", clientId: `c-${text}`, text }) as const;

  it("@here mentions the members online now; @channel and @all every member", async () => {
    const { deps, stored, members } = fakes(5);
    await handleFrame(send("@here standup"), ann, deps);
    expect(stored[0]?.mentions).toEqual([bob.id]);
    await handleFrame(send("@channel deploy"), ann, deps);
    expect(stored[1]?.mentions).toEqual(members.map((m) => m.id));
    await handleFrame(send("@all and @bob"), ann, deps);
    expect(new Set(stored[2]?.mentions)).toEqual(new Set(members.map((m) => m.id)));
  });

  it("without a presence port, @here mentions nobody (never everyone)", async () => {
    const { deps, stored } = fakes(3);
    delete (deps as { presence?: unknown }).presence;
    await handleFrame(send("@here anyone?"), ann, deps);
    expect(stored[0]?.mentions).toEqual([]);
  });

  it("in a room over the limit: refuses a member who is not the moderator, naming the clientId; stores nothing", async () => {
    const { deps, stored } = fakes(ROOM_WIDE_MENTION_MEMBERS + 1);
    const effects = await handleFrame(send("@channel hello all"), bob, deps);
    expect(effects).toEqual([
      {
        kind: "reply",
        frame: {
          type: "error",
          code: "forbidden",
          message: expect.stringContaining("only the room's moderators"),
          clientId: "c-@channel hello all",
        },
      },
    ]);
    expect(stored).toEqual([]);
    // The creator may; so may anyone write a plain message or @name.
    await handleFrame(send("@channel hello all"), ann, deps);
    await handleFrame(send("hi @Ann"), bob, deps);
    expect(stored.map((s) => s.mentions?.length)).toEqual([ROOM_WIDE_MENTION_MEMBERS + 1, 1]);
  });
});
