import { describe, expect, it } from "vitest";
import {
  ALLOW,
  type Decision,
  type Membership,
  MOD_MUTED_MESSAGE,
  type ModerationAction,
  type ModerationFacts,
  mayDelete,
  mayInvitePerson,
  mayJoin,
  mayModerate,
  mayPost,
  mayReplyInThread,
  type RoomFacts,
  type ServerRole,
} from "../../src/core/policy";

const ME = "u-me";
const THEM = "u-them";
const moderator: Membership = { member: true, role: "moderator" };
const member: Membership = { member: true, role: "member" };
const muted: Membership = { member: true, role: "member", modMuted: true };
const outsider: Membership = { member: false };
const banned: Membership = { member: false, banned: true };

const rooms = {
  general: { kind: "public", name: "general", isDefault: true },
  public: { kind: "public", name: "design" },
  private: { kind: "private", name: "plans" },
  dm: { kind: "dm", name: "Direct message" },
} satisfies Record<string, RoomFacts>;

const want = (decision: Decision) => (decision.ok ? "allow" : decision.code);

function facts(
  actorRole: ServerRole,
  actor: Membership,
  /** null: no such person. */
  target: { serverRole?: ServerRole; standing?: Membership } | null = {},
  targetId = THEM,
): ModerationFacts {
  return {
    actorId: ME,
    actorRole,
    actor,
    targetId,
    target:
      target === null
        ? undefined
        : {
            name: "Tess",
            serverRole: target.serverRole ?? "member",
            standing: target.standing ?? member,
          },
  };
}

const ALL: ModerationAction[] = [
  "remove",
  "ban",
  "unban",
  "mute",
  "unmute",
  "make_moderator",
  "make_member",
];

describe("policy: moderation (issue 14)", () => {
  // [case, room, facts, want for every action]
  const rows: [string, RoomFacts | undefined, ModerationFacts, string][] = [
    ["a moderator, on a member", rooms.public, facts("member", moderator), "allow"],
    ["a moderator of a private room", rooms.private, facts("member", moderator), "allow"],
    ["an admin who is not a member", rooms.private, facts("admin", outsider), "allow"],
    [
      "the owner, on an admin",
      rooms.public,
      facts("owner", member, { serverRole: "admin" }),
      "allow",
    ],
    ["an ordinary member", rooms.public, facts("member", member), "forbidden"],
    ["a non-member", rooms.public, facts("member", outsider), "forbidden"],
    ["a guest moderator... of nothing", rooms.public, facts("guest", member), "forbidden"],
    ["anyone in a DM", rooms.dm, facts("admin", moderator), "forbidden"],
    ["no such room", undefined, facts("admin", moderator), "not_found"],
    ["a moderator on themselves", rooms.public, facts("member", moderator, {}, ME), "bad_frame"],
    ["a moderator on nobody", rooms.public, facts("member", moderator, null), "not_found"],
    [
      "a moderator on an admin",
      rooms.public,
      facts("member", moderator, { serverRole: "admin" }),
      "forbidden",
    ],
    [
      "a moderator on the owner",
      rooms.public,
      facts("member", moderator, { serverRole: "owner" }),
      "forbidden",
    ],
    [
      "an admin on the owner",
      rooms.public,
      facts("admin", member, { serverRole: "owner" }),
      "forbidden",
    ],
    [
      "a moderator on another moderator",
      rooms.public,
      facts("member", moderator, { standing: moderator }),
      "allow",
    ],
  ];
  for (const [name, room, fact, expected] of rows) {
    for (const action of ALL) {
      it(`${action}: ${name} -> ${expected}`, () => {
        expect(want(mayModerate(room, action, fact))).toBe(expected);
      });
    }
  }

  it("remove, mute and room roles need a member; ban and unban may name anyone", () => {
    const away = facts("member", moderator, { standing: outsider });
    expect(want(mayModerate(rooms.public, "remove", away))).toBe("not_found");
    expect(want(mayModerate(rooms.public, "mute", away))).toBe("not_found");
    expect(want(mayModerate(rooms.public, "make_moderator", away))).toBe("not_found");
    expect(mayModerate(rooms.public, "ban", away)).toBe(ALLOW);
    expect(mayModerate(rooms.public, "unban", away)).toBe(ALLOW);
  });

  it("in the default room nobody is removed or banned, but a member may be muted", () => {
    const fact = facts("admin", moderator);
    expect(mayModerate(rooms.general, "remove", fact)).toMatchObject({
      code: "forbidden",
      message: "everyone stays in general: mute instead",
    });
    expect(want(mayModerate(rooms.general, "ban", fact))).toBe("forbidden");
    expect(mayModerate(rooms.general, "mute", fact)).toBe(ALLOW);
    expect(mayModerate(rooms.general, "make_moderator", fact)).toBe(ALLOW);
  });

  it("a moderator's refusals say why", () => {
    expect(mayModerate(rooms.public, "ban", facts("member", member))).toMatchObject({
      message: "only the room's moderators can do that",
    });
    expect(
      mayModerate(rooms.public, "ban", facts("member", moderator, { serverRole: "admin" })),
    ).toMatchObject({ message: "Tess is an admin: a moderator cannot act on them" });
  });
});

describe("policy: moderation's effect on other rules", () => {
  const theirs = { authorId: THEM };
  it.each([
    ["a member, another's message", member, "member", "forbidden"],
    ["a moderator, another's message", moderator, "member", "allow"],
    ["an admin member, another's message", member, "admin", "allow"],
    ["the owner, another's message", member, "owner", "allow"],
    ["an admin who is not a member", outsider, "admin", "forbidden"],
  ] as const)("delete: %s -> %s", (_name, membership, role, expected) => {
    expect(want(mayDelete(rooms.public, membership, theirs, ME, role))).toBe(expected);
  });

  it("delete: a moderator has no power in a DM", () => {
    expect(want(mayDelete(rooms.dm, moderator, theirs, ME, "admin"))).toBe("forbidden");
  });

  it("post and reply: a mod-muted member is refused, and told so", () => {
    expect(mayPost(rooms.public, muted)).toMatchObject({
      code: "forbidden",
      message: MOD_MUTED_MESSAGE,
    });
    expect(MOD_MUTED_MESSAGE).toBe("A moderator muted you in this room.");
    expect(mayPost(rooms.public, member)).toBe(ALLOW);
    const root = { authorId: THEM, deleted: false, isReply: false };
    expect(mayReplyInThread(rooms.public, muted, root)).toMatchObject({
      message: MOD_MUTED_MESSAGE,
    });
  });

  it("join: a ban holds even for a public room; a member stays in", () => {
    expect(mayJoin(rooms.public, outsider)).toBe(ALLOW);
    expect(want(mayJoin(rooms.public, banned))).toBe("not_found");
    expect(want(mayJoin(rooms.private, banned))).toBe("not_found");
    expect(mayJoin(rooms.public, moderator)).toBe(ALLOW);
  });

  it("invite: a banned person cannot be invited back", () => {
    expect(mayInvitePerson({ name: "Tess", blocksActor: false, banned: true })).toMatchObject({
      code: "forbidden",
      message: "Tess is banned from this room",
    });
    expect(mayInvitePerson({ name: "Tess", blocksActor: false })).toBe(ALLOW);
  });
});
