import { describe, expect, it } from "vitest";
import { type FrameDeps, handleFrame } from "../../src/core/handle-frame";
import type { Membership, ServerRole } from "../../src/core/policy";
import type { ModerationOutcome } from "../../src/ports";
import { PROTOCOL_VERSION } from "../../src/protocol/frames";

const mo = { id: "u-mo", name: "Mo" };
const bob = { id: "u-bob", name: "Bob" };

/** Room "r1" (public): Mo moderates, Bob is a member; `changed` says whether apply changes anything. */
function deps(changed = true) {
  const applied: string[] = [];
  const standings: Record<string, { serverRole: ServerRole; membership: Membership }> = {
    [mo.id]: { serverRole: "member", membership: { member: true, role: "moderator" } },
    [bob.id]: { serverRole: "member", membership: { member: true, role: "member" } },
  };
  const fake = {
    rooms: {
      getRoom: async (id: string) =>
        id === "r1" ? { id, slug: id, name: "ops", kind: "public" } : undefined,
    },
    moderation: {
      standing: async (_roomId: string, userId: string) => {
        const s = standings[userId];
        return s && { name: userId === mo.id ? "Mo" : "Bob", ...s };
      },
      apply: async (_r: string, userId: string, action: string): Promise<ModerationOutcome> => {
        applied.push(`${action}:${userId}`);
        return { changed, role: "member", modMuted: action === "mute" };
      },
    },
  } as unknown as FrameDeps;
  return { fake, applied };
}

const frame = (action: string, userId = bob.id) =>
  ({ type: "moderate", v: PROTOCOL_VERSION, roomId: "r1", userId, action }) as never;

describe("handleFrame: moderate", () => {
  it("remove: detaches the member's sockets, tells them why, and refreshes the member list", async () => {
    const { fake, applied } = deps();
    expect(await handleFrame(frame("remove"), mo, fake)).toEqual([
      { kind: "detach", userId: bob.id, roomId: "r1" },
      {
        kind: "user",
        userId: bob.id,
        frame: { type: "room_removed", roomId: "r1", reason: "removed" },
      },
      { kind: "members", roomId: "r1" },
    ]);
    expect(applied).toEqual([`remove:${bob.id}`]);
  });

  it("ban says banned; mute publishes member_updated to the room, sender included", async () => {
    const { fake } = deps();
    const banned = await handleFrame(frame("ban"), mo, fake);
    expect(banned[1]).toMatchObject({ frame: { reason: "banned" } });
    expect(await handleFrame(frame("mute"), mo, fake)).toEqual([
      {
        kind: "publish",
        roomId: "r1",
        exceptSelf: false,
        frame: {
          type: "member_updated",
          roomId: "r1",
          userId: bob.id,
          role: "member",
          modMuted: true,
        },
      },
    ]);
  });

  it("a change that was so already tells nobody", async () => {
    const { fake } = deps(false);
    expect(await handleFrame(frame("remove"), mo, fake)).toEqual([]);
  });

  it("a member is refused and nothing is applied; so is acting on oneself", async () => {
    const { fake, applied } = deps();
    const refused = await handleFrame(frame("ban", mo.id), bob, fake);
    expect(refused).toMatchObject([{ kind: "reply", frame: { type: "error", code: "forbidden" } }]);
    const self = await handleFrame(frame("mute", mo.id), mo, fake);
    expect(self).toMatchObject([{ kind: "reply", frame: { type: "error", code: "bad_frame" } }]);
    expect(applied).toEqual([]);
  });

  it("without a moderation store, refuses as internal", async () => {
    const { fake } = deps();
    const bare = { ...fake, moderation: undefined } as FrameDeps;
    expect(await handleFrame(frame("remove"), mo, bare)).toMatchObject([
      { kind: "reply", frame: { type: "error", code: "internal" } },
    ]);
  });
});
