import { describe, expect, it } from "vitest";
import { roomSettings } from "../../src/core/actions/room-settings";
import type { FrameDeps } from "../../src/core/handle-frame";
import {
  mayArchive,
  mayChangeRoomSettings,
  mayCreateRoom,
  mayJoin,
  mayManageIncomingWebhooks,
  mayOpenDm,
  mayPost,
  membershipOf,
  type RoomFacts,
  type RoomStanding,
  type ServerRole,
  serverRoleOf,
} from "../../src/core/policy";
import { checkRoomSettings, checkTopic, ROOM_TOPIC_MAX } from "../../src/core/room-settings";
import type { Room, RoomAdminStore } from "../../src/ports";

const room: RoomFacts = { kind: "public", name: "ops" };
const standing = (serverRole: ServerRole, roomRole: RoomStanding["roomRole"]): RoomStanding => ({
  serverRole,
  roomRole,
});
const code = (decision: { ok: boolean; code?: string }) => (decision.ok ? "ok" : decision.code);

describe("room administration policy (issue 14), row by row", () => {
  const rows: [string, RoomStanding, string][] = [
    ["owner, not in the room", standing("owner", null), "ok"],
    ["admin, a member", standing("admin", "member"), "ok"],
    ["moderator", standing("member", "moderator"), "ok"],
    ["member", standing("member", "member"), "forbidden"],
    ["non-member", standing("member", null), "forbidden"],
    ["guest moderator", standing("guest", "moderator"), "ok"],
  ];
  for (const [who, actor, want] of rows) {
    it(`mayChangeRoomSettings and mayArchive: ${who} -> ${want}`, () => {
      expect(code(mayChangeRoomSettings(room, actor))).toBe(want);
      expect(code(mayArchive(room, actor))).toBe(want);
    });
  }
  for (const [who, actor, want] of rows) {
    it(`mayManageIncomingWebhooks (list, create, revoke): ${who} -> ${want}`, () => {
      for (const action of ["list", "create", "revoke"] as const) {
        expect(code(mayManageIncomingWebhooks(room, actor, action))).toBe(want);
      }
    });
  }
  it("incoming webhooks: none in a missing room or a DM; an archived room's are listed and revoked, not made", () => {
    const admin = standing("admin", "moderator");
    expect(code(mayManageIncomingWebhooks(undefined, admin, "list"))).toBe("not_found");
    expect(code(mayManageIncomingWebhooks({ kind: "dm", name: "x" }, admin, "create"))).toBe(
      "forbidden",
    );
    const archived = { ...room, archived: true };
    expect(mayManageIncomingWebhooks(archived, admin, "create")).toMatchObject({
      ok: false,
      message: "This room is archived: unarchive it first.",
    });
    expect(code(mayManageIncomingWebhooks(archived, admin, "list"))).toBe("ok");
    expect(code(mayManageIncomingWebhooks(archived, admin, "revoke"))).toBe("ok");
    expect(mayManageIncomingWebhooks(room, standing("member", "member"), "list")).toMatchObject({
      message: "Only the room's moderators and admins can manage its webhooks.",
    });
  });
  it("refuses a missing room, a DM, an archived room's settings and archiving the default room", () => {
    const admin = standing("admin", "moderator");
    expect(code(mayChangeRoomSettings(undefined, admin))).toBe("not_found");
    expect(code(mayChangeRoomSettings({ kind: "dm", name: "x" }, admin))).toBe("forbidden");
    expect(code(mayArchive({ kind: "dm", name: "x" }, admin))).toBe("forbidden");
    expect(mayChangeRoomSettings({ ...room, archived: true }, admin)).toMatchObject({
      ok: false,
      message: "This room is archived: unarchive it first.",
    });
    expect(code(mayArchive({ ...room, archived: true }, admin))).toBe("ok");
    expect(code(mayArchive({ ...room, isDefault: true }, admin))).toBe("forbidden");
  });
  it("mayPost: archived takes nothing, announcement-only only moderators", () => {
    const member = membershipOf(true);
    expect(code(mayPost(room, member))).toBe("ok");
    expect(mayPost({ ...room, archived: true }, member, true)).toEqual({
      ok: false,
      code: "forbidden",
      message: "This room is archived: it is read-only.",
    });
    expect(mayPost({ ...room, announcementOnly: true }, member)).toEqual({
      ok: false,
      code: "forbidden",
      message: "Only moderators can post in this room.",
    });
    expect(code(mayPost({ ...room, announcementOnly: true }, member, true))).toBe("ok");
    expect(code(mayPost({ ...room, archived: true }, membershipOf(false)))).toBe("forbidden");
  });
  it("guests: no joining public rooms they are not in, no rooms of their own, DMs only with roommates", () => {
    expect(code(mayJoin(room, membershipOf(false), "guest"))).toBe("not_found");
    expect(code(mayJoin(room, membershipOf(true), "guest"))).toBe("ok");
    expect(code(mayJoin(room, membershipOf(false), "member"))).toBe("ok");
    expect(code(mayJoin({ ...room, archived: true }, membershipOf(false), "member"))).toBe(
      "not_found",
    );
    expect(code(mayJoin({ ...room, archived: true }, membershipOf(true), "member"))).toBe("ok");
    expect(mayCreateRoom("public", "guest")).toMatchObject({
      ok: false,
      message: "Guests cannot create rooms.",
    });
    expect(code(mayCreateRoom("private", "member"))).toBe("ok");
    const dm = (actorRole: ServerRole, sharesRoom: boolean) =>
      mayOpenDm({
        actorId: "a",
        otherId: "b",
        other: { id: "b", name: "Bo" },
        otherBlocksActor: false,
        actorBlocksOther: false,
        actorRole,
        sharesRoom,
      });
    expect(code(dm("guest", false))).toBe("forbidden");
    expect(code(dm("guest", true))).toBe("ok");
    expect(code(dm("member", false))).toBe("ok");
  });
  it("reads unknown stored roles as guest", () => {
    expect(serverRoleOf("admin")).toBe("admin");
    expect(serverRoleOf(null)).toBe("guest");
    expect(serverRoleOf("root")).toBe("guest");
  });
});

describe("room settings values", () => {
  it("checks topics and names, naming the field", () => {
    expect(checkTopic(" a \n b ")).toEqual({ ok: true, topic: "a b" });
    expect(checkTopic("   ")).toEqual({ ok: true, topic: null });
    expect(checkTopic("x".repeat(ROOM_TOPIC_MAX + 1)).ok).toBe(false);
    expect(checkTopic("a\u0000b").ok).toBe(false);
    expect(checkRoomSettings({})).toEqual({ ok: false, error: "Nothing to change." });
    expect(checkRoomSettings({ name: "dm-x" })).toMatchObject({ ok: false, field: "name" });
    expect(checkRoomSettings({ topic: "a\u200bb" })).toMatchObject({ ok: false, field: "topic" });
  });
});

describe("the room_settings action", () => {
  const user = { id: "u-mod", name: "Mo" };
  const stored: Room = { id: "r1", slug: "ops", name: "ops", kind: "public", isDefault: false };
  function depsWith(actor: RoomStanding, calls: unknown[] = []): FrameDeps {
    const roomAdmin: RoomAdminStore = {
      setArchived: async () => ({ ok: true, changed: true }),
      standing: async () => actor,
      serverRole: async () => actor.serverRole,
      shareRoom: async () => false,
      setSettings: async (roomId, settings, actorId) => {
        calls.push({ roomId, settings, actorId });
        return {
          ok: true,
          changed: true,
          room: {
            id: roomId,
            name: settings.name?.name ?? "ops",
            slug: settings.name?.slug ?? "ops",
            topic: settings.topic ?? null,
            announcementOnly: settings.announcementOnly ?? false,
            archived: false,
          },
        };
      },
    };
    return {
      rooms: { getRoom: async (id: string) => (id === "r1" ? stored : undefined) },
      roomAdmin,
    } as unknown as FrameDeps;
  }
  const frame = (extra: Record<string, unknown>) =>
    ({ type: "room_settings", roomId: "r1", ...extra }) as never;

  it("a moderator renames: the store gets the checked values, every member hears room_updated", async () => {
    const calls: unknown[] = [];
    const effects = await roomSettings(
      frame({ name: "Ops Team" }),
      user,
      depsWith(standing("member", "moderator"), calls),
    );
    expect(calls).toEqual([
      {
        roomId: "r1",
        settings: { name: { name: "Ops Team", slug: "ops-team", skeleton: "opsteam" } },
        actorId: "u-mod",
      },
    ]);
    expect(effects).toEqual([
      {
        kind: "publish",
        roomId: "r1",
        exceptSelf: false,
        frame: {
          type: "room_updated",
          room: {
            id: "r1",
            name: "Ops Team",
            slug: "ops-team",
            topic: null,
            announcementOnly: false,
            archived: false,
          },
        },
      },
    ]);
  });
  it("refuses a member, a missing room and a bad name, writing nothing", async () => {
    const calls: unknown[] = [];
    const member = await roomSettings(
      frame({ topic: "x" }),
      user,
      depsWith(standing("member", "member"), calls),
    );
    expect(member).toMatchObject([{ kind: "reply", frame: { type: "error", code: "forbidden" } }]);
    const missing = await roomSettings(
      { type: "room_settings", roomId: "nope", topic: "x" } as never,
      user,
      depsWith(standing("admin", null), calls),
    );
    expect(missing).toMatchObject([{ kind: "reply", frame: { code: "not_found" } }]);
    const bad = await roomSettings(
      frame({ name: "   " }),
      user,
      depsWith(standing("admin", null), calls),
    );
    expect(bad).toMatchObject([
      { kind: "reply", frame: { code: "bad_frame", message: "Enter a room name." } },
    ]);
    expect(calls).toEqual([]);
  });
});
