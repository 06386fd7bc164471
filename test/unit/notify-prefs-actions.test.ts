import { describe, expect, it } from "vitest";
import { type FrameDeps, handleFrame } from "../../src/core/handle-frame";
import type { NotifySettings, RoomNotify } from "../../src/protocol/frames";

const ann = { id: "u-ann", name: "Ann" };

/**
 * Stores that know one room, "r1", where Ann is a member; "r-other" exists
 * without her; "r-race" says she is a member, but she left before the write.
 */
function fakes() {
  const writes: string[] = [];
  const deps = {
    rooms: {
      isMember: async (roomId: string, userId: string) =>
        userId === ann.id && (roomId === "r1" || roomId === "r-race"),
      getRoom: async (roomId: string) =>
        ["r1", "r-other", "r-race"].includes(roomId)
          ? { id: roomId, slug: roomId, name: roomId, kind: "public", isDefault: false }
          : undefined,
    },
    notify: {
      setRoom: async (roomId: string, userId: string, prefs: RoomNotify) => {
        if (roomId === "r-race") return undefined;
        writes.push(`room:${roomId}:${userId}:${prefs.level}:${prefs.muted}`);
        return prefs;
      },
      setSettings: async (userId: string, settings: NotifySettings) => {
        writes.push(`settings:${userId}:${JSON.stringify(settings)}`);
      },
    },
  } as unknown as FrameDeps;
  return { deps, writes };
}

describe("notify_prefs", () => {
  it("stores a member's prefs and tells all of their sockets", async () => {
    const { deps, writes } = fakes();
    const effects = await handleFrame(
      { type: "notify_prefs", roomId: "r1", level: "nothing", muted: true },
      ann,
      deps,
    );
    expect(writes).toEqual(["room:r1:u-ann:nothing:true"]);
    expect(effects).toEqual([
      {
        kind: "user",
        userId: ann.id,
        frame: { type: "notify_prefs", roomId: "r1", notify: { level: "nothing", muted: true } },
      },
    ]);
  });

  it("refuses a room the user is not in as forbidden, and an unknown one as not_found", async () => {
    const { deps, writes } = fakes();
    const outsider = await handleFrame(
      { type: "notify_prefs", roomId: "r-other", level: "all", muted: false },
      ann,
      deps,
    );
    expect(outsider).toMatchObject([
      { kind: "reply", frame: { type: "error", code: "forbidden" } },
    ]);
    const unknown = await handleFrame(
      { type: "notify_prefs", roomId: "nope", level: "all", muted: false },
      ann,
      deps,
    );
    expect(unknown).toMatchObject([{ kind: "reply", frame: { type: "error", code: "not_found" } }]);
    expect(writes).toEqual([]);
  });

  it("refuses as not_found when the member left between the check and the write", async () => {
    const { deps } = fakes();
    const effects = await handleFrame(
      { type: "notify_prefs", roomId: "r-race", level: null, muted: false },
      ann,
      deps,
    );
    expect(effects).toMatchObject([{ kind: "reply", frame: { type: "error", code: "not_found" } }]);
  });
});

describe("notify_settings", () => {
  it("stores the settings and tells all of the user's sockets", async () => {
    const { deps, writes } = fakes();
    const settings: NotifySettings = { defaultLevel: "all", email: false, showText: false };
    const effects = await handleFrame({ type: "notify_settings", settings }, ann, deps);
    expect(writes).toEqual([`settings:u-ann:${JSON.stringify(settings)}`]);
    expect(effects).toEqual([
      { kind: "user", userId: ann.id, frame: { type: "notify_settings", settings } },
    ]);
  });
});
