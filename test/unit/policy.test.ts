import { describe, expect, it } from "vitest";
import {
  ALLOW,
  type Decision,
  type Membership,
  type MessageFacts,
  mayBlock,
  mayCreateRoom,
  mayDelete,
  mayEdit,
  mayFollow,
  mayInvite,
  mayInvitePerson,
  mayJoin,
  mayLeave,
  mayManageRoomWebhooks,
  mayManageServerWebhooks,
  mayMentionRoom,
  mayOpenDm,
  mayPin,
  mayPost,
  mayReact,
  mayRemovePreview,
  mayReplyInThread,
  maySave,
  mayTouchMessages,
  mayType,
  mayView,
  mayViewThread,
  membershipOf,
  type RoomFacts,
  type RootFacts,
} from "../../src/core/policy";
import type { RoomKind } from "../../src/protocol/frames";

const ME = "u-me";
const member: Membership = { member: true, role: "member" };
const outsider: Membership = { member: false };

const rooms: Record<string, RoomFacts | undefined> = {
  general: { kind: "public", name: "general", isDefault: true },
  public: { kind: "public", name: "design" },
  private: { kind: "private", name: "plans" },
  dm: { kind: "dm", name: "Direct message" },
  missing: undefined,
};
type RoomName = keyof typeof rooms;
const roomNames = Object.keys(rooms) as RoomName[];

const mine: MessageFacts = { authorId: ME };
const theirs: MessageFacts = { authorId: "u-other" };
const aRoot: RootFacts = { authorId: "u-other", deleted: false, isReply: false };
const aReply: RootFacts = { authorId: "u-other", deleted: false, isReply: true };
const deletedRoot: RootFacts = { authorId: "u-other", deleted: true, isReply: false };
const everywhere = (want: Want): Record<RoomName, Want> => ({
  general: want,
  public: want,
  private: want,
  dm: want,
  missing: want,
});

/** The expected answer, by code only (messages are checked apart). */
type Want = "allow" | "forbidden" | "not_found" | "bad_frame";
const codeOf = (decision: Decision): Want => (decision.ok ? "allow" : (decision.code as Want));

/** A non-member is refused everywhere: `forbidden` where the room exists, `not_found` where it does not. */
const outsiderWant = (room: RoomName): Want => (room === "missing" ? "not_found" : "forbidden");

type Rule = (room: RoomFacts | undefined, membership: Membership) => Decision;

/**
 * Every room rule, for a member, per room kind. A non-member's answers are
 * the same for every rule (outsiderWant), except mayJoin.
 */
const memberTable: [string, Rule, Record<RoomName, Want>][] = [
  [
    "view",
    mayView,
    { general: "allow", public: "allow", private: "allow", dm: "allow", missing: "allow" },
  ],
  [
    "type",
    mayType,
    { general: "allow", public: "allow", private: "allow", dm: "allow", missing: "allow" },
  ],
  [
    "post",
    mayPost,
    { general: "allow", public: "allow", private: "allow", dm: "allow", missing: "allow" },
  ],
  [
    "touch messages",
    mayTouchMessages,
    { general: "allow", public: "allow", private: "allow", dm: "allow", missing: "allow" },
  ],
  [
    "edit own",
    (room, m) => mayEdit(room, m, mine, ME),
    { general: "allow", public: "allow", private: "allow", dm: "allow", missing: "allow" },
  ],
  [
    "edit another's",
    (room, m) => mayEdit(room, m, theirs, ME),
    {
      general: "forbidden",
      public: "forbidden",
      private: "forbidden",
      dm: "forbidden",
      missing: "forbidden",
    },
  ],
  ["remove own preview", (room, m) => mayRemovePreview(room, m, mine, ME), everywhere("allow")],
  [
    "remove another's preview",
    (room, m) => mayRemovePreview(room, m, theirs, ME),
    everywhere("forbidden"),
  ],
  [
    "remove a gone (or deleted) message's preview",
    (room, m) => mayRemovePreview(room, m, undefined, ME),
    everywhere("not_found"),
  ],
  [
    "edit a gone message",
    (room, m) => mayEdit(room, m, undefined, ME),
    {
      general: "not_found",
      public: "not_found",
      private: "not_found",
      dm: "not_found",
      missing: "not_found",
    },
  ],
  [
    "delete own",
    (room, m) => mayDelete(room, m, mine, ME),
    { general: "allow", public: "allow", private: "allow", dm: "allow", missing: "allow" },
  ],
  [
    "delete another's",
    (room, m) => mayDelete(room, m, theirs, ME),
    {
      general: "forbidden",
      public: "forbidden",
      private: "forbidden",
      dm: "forbidden",
      missing: "forbidden",
    },
  ],
  [
    "delete a gone message",
    (room, m) => mayDelete(room, m, undefined, ME),
    {
      general: "not_found",
      public: "not_found",
      private: "not_found",
      dm: "not_found",
      missing: "not_found",
    },
  ],
  [
    "react to another's",
    (room, m) => mayReact(room, m, theirs),
    { general: "allow", public: "allow", private: "allow", dm: "allow", missing: "allow" },
  ],
  [
    "react to a gone message",
    (room, m) => mayReact(room, m, undefined),
    {
      general: "not_found",
      public: "not_found",
      private: "not_found",
      dm: "not_found",
      missing: "not_found",
    },
  ],
  [
    "mention the room (@here, @channel, @all) in a room of 2",
    (room, m) => mayMentionRoom(room, m, 2, ME),
    { general: "allow", public: "allow", private: "allow", dm: "allow", missing: "allow" },
  ],
  [
    "mention the room in a room of 51, not its creator",
    (room, m) => mayMentionRoom(room, m, 51, ME),
    {
      general: "forbidden",
      public: "forbidden",
      private: "forbidden",
      dm: "forbidden",
      missing: "forbidden",
    },
  ],
  [
    "save a message (private to the saver)",
    maySave,
    { general: "allow", public: "allow", private: "allow", dm: "allow", missing: "allow" },
  ],
  [
    "pin another's",
    (room, m) => mayPin(room, m, theirs),
    { general: "allow", public: "allow", private: "allow", dm: "allow", missing: "allow" },
  ],
  [
    "pin a gone message",
    (room, m) => mayPin(room, m, undefined),
    {
      general: "not_found",
      public: "not_found",
      private: "not_found",
      dm: "not_found",
      missing: "not_found",
    },
  ],
  [
    "invite",
    mayInvite,
    { general: "allow", public: "allow", private: "allow", dm: "forbidden", missing: "allow" },
  ],
  [
    "leave",
    mayLeave,
    { general: "forbidden", public: "allow", private: "allow", dm: "allow", missing: "allow" },
  ],
  ["reply in a thread", (room, m) => mayReplyInThread(room, m, aRoot), everywhere("allow")],
  [
    "reply to a deleted root",
    (room, m) => mayReplyInThread(room, m, deletedRoot),
    everywhere("not_found"),
  ],
  [
    "reply to a message not in the room",
    (room, m) => mayReplyInThread(room, m, undefined),
    everywhere("not_found"),
  ],
  ["reply to a reply", (room, m) => mayReplyInThread(room, m, aReply), everywhere("bad_frame")],
  ["view a thread", mayViewThread, everywhere("allow")],
  ["follow a thread", (room, m) => mayFollow(room, m, aRoot), everywhere("allow")],
  ["follow a deleted thread", (room, m) => mayFollow(room, m, deletedRoot), everywhere("allow")],
  ["follow a reply", (room, m) => mayFollow(room, m, aReply), everywhere("bad_frame")],
  [
    "join",
    mayJoin,
    { general: "allow", public: "allow", private: "allow", dm: "allow", missing: "not_found" },
  ],
];

describe("policy: who may do what in a room", () => {
  for (const [action, rule, want] of memberTable) {
    for (const room of roomNames) {
      it(`${action} in ${room}: member ${want[room]}, non-member ${action === "join" ? "per mayJoin" : outsiderWant(room)}`, () => {
        // A "missing" room with a member stands for a store that says both: the member wins.
        expect(codeOf(rule(rooms[room], member))).toBe(want[room]);
        if (action !== "join") expect(codeOf(rule(rooms[room], outsider))).toBe(outsiderWant(room));
      });
    }
  }

  it("join: a non-member may join public rooms only; private rooms and DMs read as not found", () => {
    const want: Record<RoomName, Want> = {
      general: "allow",
      public: "allow",
      private: "not_found",
      dm: "not_found",
      missing: "not_found",
    };
    for (const room of roomNames)
      expect(codeOf(mayJoin(rooms[room], outsider)), room).toBe(want[room]);
  });

  it("refusals carry the messages the frames have always shown", () => {
    expect(mayView(rooms.private, outsider)).toEqual({
      ok: false,
      code: "forbidden",
      message: "you are not a member of this room",
    });
    expect(mayView(undefined, outsider)).toEqual({
      ok: false,
      code: "not_found",
      message: "no such room",
    });
    expect(mayEdit(rooms.public, member, theirs, ME)).toMatchObject({
      message: "you can only change your own messages",
    });
    expect(mayReact(rooms.public, member, undefined)).toMatchObject({
      message: "no such message",
    });
    expect(mayInvite(rooms.dm, member)).toMatchObject({
      message: "direct messages stay between two people",
    });
    expect(mayLeave(rooms.general, member)).toMatchObject({ message: "everyone stays in general" });
  });

  it("the default room is an attribute, not a slug: any room marked default keeps its members", () => {
    const lobby: RoomFacts = { kind: "public", name: "lobby", isDefault: true };
    expect(mayLeave(lobby, member)).toMatchObject({
      code: "forbidden",
      message: "everyone stays in lobby",
    });
    expect(mayLeave({ kind: "public", name: "general" }, member)).toBe(ALLOW);
  });

  it("membership carries a role, and a store's yes/no maps onto it", () => {
    expect(membershipOf(true)).toEqual({ member: true, role: "member" });
    expect(membershipOf(false)).toEqual({ member: false });
  });
});

describe("policy: people", () => {
  const other = { id: "u-other", name: "Olga" };
  const dm = (facts: Partial<Parameters<typeof mayOpenDm>[0]>) =>
    mayOpenDm({
      actorId: ME,
      otherId: other.id,
      other,
      otherBlocksActor: false,
      actorBlocksOther: false,
      ...facts,
    });

  it.each([
    ["someone who blocks nobody", {}, ALLOW],
    ["oneself", { otherId: ME, other: { id: ME, name: "Me" } }, "That is you."],
    ["nobody", { otherId: "u-ghost", other: undefined }, "No such person."],
    [
      "someone who blocked me",
      { otherBlocksActor: true },
      "Olga does not accept direct messages from you.",
    ],
    ["someone I blocked", { actorBlocksOther: true }, "You blocked Olga: unblock them first."],
    [
      "someone blocked both ways (their block is named first)",
      { otherBlocksActor: true, actorBlocksOther: true },
      "Olga does not accept direct messages from you.",
    ],
  ] as const)("open a DM with %s", (_, facts, want) => {
    const decision = dm(facts);
    if (want === ALLOW) expect(decision).toBe(ALLOW);
    else expect(decision).toMatchObject({ ok: false, message: want });
  });

  it("invite a person: refused only when they blocked the inviter", () => {
    expect(mayInvitePerson({ name: "Olga", blocksActor: false })).toBe(ALLOW);
    expect(mayInvitePerson({ name: "Olga", blocksActor: true })).toEqual({
      ok: false,
      code: "forbidden",
      message: "Olga does not accept invites from you",
    });
  });

  it("block: anyone but oneself; a block names somebody who exists", () => {
    expect(mayBlock({ actorId: ME, otherId: other.id, other, checkExists: true })).toBe(ALLOW);
    expect(mayBlock({ actorId: ME, otherId: ME, checkExists: false })).toMatchObject({
      message: "That is you.",
    });
    expect(mayBlock({ actorId: ME, otherId: "u-ghost", checkExists: true })).toMatchObject({
      code: "not_found",
    });
    // Unblocking needs no look-up: taking back a block of nobody is harmless.
    expect(mayBlock({ actorId: ME, otherId: "u-ghost", checkExists: false })).toBe(ALLOW);
  });

  it.each([
    ["public", "allow"],
    ["private", "allow"],
    ["dm", "bad_frame"],
  ] as const)("create a %s room: %s", (kind: RoomKind, want) => {
    const decision = mayCreateRoom(kind);
    expect(decision.ok ? "allow" : decision.code).toBe(want);
  });
});

describe("outgoing webhooks (issue 15), row by row", () => {
  const room = { kind: "public" as const, name: "ops" };
  const rows = [
    ["owner, not in the room", { serverRole: "owner", roomRole: null }, "allow"],
    ["admin", { serverRole: "admin", roomRole: "member" }, "allow"],
    ["moderator", { serverRole: "member", roomRole: "moderator" }, "allow"],
    ["member", { serverRole: "member", roomRole: "member" }, "forbidden"],
    ["non-member", { serverRole: "member", roomRole: null }, "forbidden"],
  ] as const;
  it.each(rows)("a room's webhooks: %s -> %s", (_who, standing, want) => {
    const decision = mayManageRoomWebhooks(room, standing);
    expect(decision.ok ? "allow" : decision.code).toBe(want);
  });
  it("no such room is not_found; a DM has none", () => {
    const admin = { serverRole: "admin", roomRole: null } as const;
    expect(mayManageRoomWebhooks(undefined, admin)).toMatchObject({ code: "not_found" });
    expect(mayManageRoomWebhooks({ kind: "dm", name: "x" }, admin)).toMatchObject({
      code: "forbidden",
    });
  });
  it.each([
    ["owner", "allow"],
    ["admin", "allow"],
    ["member", "forbidden"],
    ["guest", "forbidden"],
  ] as const)("server-wide webhooks: %s -> %s", (role, want) => {
    const decision = mayManageServerWebhooks(role);
    expect(decision.ok ? "allow" : decision.code).toBe(want);
  });
});
