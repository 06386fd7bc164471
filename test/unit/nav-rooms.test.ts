import { describe, expect, it } from "vitest";
import { countLabel, memberLabel } from "../../src/client/directory";
import {
  NAV_GROUPS_KEY,
  readCollapsed,
  saveCollapsed,
  withCollapsed,
} from "../../src/client/nav-groups";
import { navRooms } from "../../src/client/unread";
import type { RoomSummary } from "../../src/protocol/frames";

const room = (id: string, lastSeq = 0, lastReadSeq = 0): RoomSummary => ({
  id,
  slug: id,
  name: id,
  kind: "public",
  isDefault: id === "general",
  lastSeq,
  lastReadSeq,
  mentioned: false,
});

describe("navRooms: the sidebar's joined rooms", () => {
  it("keeps the loader's list until the socket is ready", () => {
    const loaded = [room("a", 3), room("general")];
    expect(navRooms(loaded, [], "a")).toEqual(loaded);
  });

  it("lays live summaries over the loaded ones and adds rooms joined since", () => {
    const loaded = [room("a", 1), room("general")];
    const live = [room("a", 5, 1), room("general"), room("new", 2)];
    expect(navRooms(loaded, live, "general").map((r) => [r.id, r.lastSeq])).toEqual([
      ["a", 5],
      ["general", 0],
      ["new", 2],
    ]);
  });

  it("drops a loaded room the ready socket no longer has (left here or in another tab)", () => {
    const loaded = [room("a"), room("b"), room("general")];
    const live = [room("b"), room("general")];
    expect(navRooms(loaded, live, "general").map((r) => r.id)).toEqual(["b", "general"]);
  });

  it("keeps the room on screen, as read, while the socket has not heard of it", () => {
    const loaded = [room("a", 4, 1), room("general")];
    expect(navRooms(loaded, [room("general")], "a")).toEqual([
      { ...room("a", 4, 4) },
      room("general"),
    ]);
  });
});

/** A Storage stand-in: a map, or one that throws like blocked storage. */
function storage(initial: Record<string, string> = {}, broken = false) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (key: string) => {
      if (broken) throw new Error("blocked");
      return data.get(key) ?? null;
    },
    setItem: (key: string, value: string) => {
      if (broken) throw new Error("blocked");
      data.set(key, value);
    },
  };
}

describe("collapsed sidebar groups", () => {
  it("round-trips the choice through storage", () => {
    const store = storage();
    const shut = withCollapsed(withCollapsed(new Set(), "dms", true), "rooms", true);
    expect(saveCollapsed(store, shut)).toBe(true);
    expect(store.data.get(NAV_GROUPS_KEY)).toBe('["rooms","dms"]');
    expect([...readCollapsed(store)]).toEqual(["rooms", "dms"]);
    const open = withCollapsed(readCollapsed(store), "rooms", false);
    saveCollapsed(store, open);
    expect([...readCollapsed(store)]).toEqual(["dms"]);
  });

  it("reads nothing, bad JSON, unknown groups and blocked storage as all open", () => {
    expect(readCollapsed(storage()).size).toBe(0);
    expect(readCollapsed(null).size).toBe(0);
    expect(readCollapsed(storage({ [NAV_GROUPS_KEY]: "{not json" })).size).toBe(0);
    expect(readCollapsed(storage({ [NAV_GROUPS_KEY]: '{"rooms":true}' })).size).toBe(0);
    expect([...readCollapsed(storage({ [NAV_GROUPS_KEY]: '["x","dms"]' }))]).toEqual(["dms"]);
    expect(readCollapsed(storage({}, true)).size).toBe(0);
    expect(saveCollapsed(storage({}, true), new Set(["rooms"]))).toBe(false);
    expect(saveCollapsed(null, new Set(["rooms"]))).toBe(false);
  });
});

describe("the directory's announced count", () => {
  it("names one room, several, and a capped list", () => {
    expect(countLabel(1, false)).toBe("1 public room");
    expect(countLabel(0, false)).toBe("0 public rooms");
    expect(countLabel(12, false)).toBe("12 public rooms");
    expect(countLabel(100, true)).toBe("100+ public rooms");
    expect(memberLabel(1)).toBe("1 member");
    expect(memberLabel(0)).toBe("0 members");
    expect(memberLabel(3)).toBe("3 members");
  });
});
