import { describe, expect, it } from "vitest";
import {
  adjacentRoom,
  type KeyContext,
  keyContextOf,
  matchRooms,
  navOrder,
  regionAfter,
  SHORTCUTS,
  shortcutFor,
} from "../../src/client/shortcuts";
import type { RoomSummary } from "../../src/protocol/frames";

const press = (
  key: string,
  mods: Partial<Record<"ctrl" | "meta" | "alt" | "shift", boolean>> = {},
) => ({
  key,
  ctrlKey: mods.ctrl ?? false,
  metaKey: mods.meta ?? false,
  altKey: mods.alt ?? false,
  shiftKey: mods.shift ?? false,
});
const page: KeyContext = { typing: false, ownsArrows: false, dialogOpen: false };
const field: KeyContext = { typing: true, ownsArrows: false, dialogOpen: false };

function room(name: string, kind: RoomSummary["kind"] = "public"): RoomSummary {
  return {
    id: `id-${name}`,
    slug: name.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
    name,
    kind,
    lastSeq: 0,
    lastReadSeq: 0,
    mentioned: false,
  } as RoomSummary;
}

describe("shortcutFor", () => {
  it("Ctrl+K and Cmd+K jump to a room, even while typing or in a dialog", () => {
    for (const where of [page, field, { ...page, dialogOpen: true }]) {
      expect(shortcutFor(press("k", { ctrl: true }), where)).toBe("jump-to-room");
      expect(shortcutFor(press("K", { meta: true }), where)).toBe("jump-to-room");
    }
    expect(shortcutFor(press("k", { ctrl: true, shift: true }), page)).toBeNull();
    expect(shortcutFor(press("k"), page)).toBeNull();
  });

  it("? opens the shortcuts only outside fields; Ctrl+/ everywhere", () => {
    expect(shortcutFor(press("?", { shift: true }), page)).toBe("show-shortcuts");
    expect(shortcutFor(press("?", { shift: true }), field)).toBeNull();
    expect(shortcutFor(press("/", { ctrl: true }), field)).toBe("show-shortcuts");
    expect(shortcutFor(press("/", { meta: true }), page)).toBe("show-shortcuts");
    expect(shortcutFor(press("/"), page)).toBeNull();
  });

  it("Alt+Up and Alt+Down move between rooms, not in selects or menus nor under a dialog", () => {
    expect(shortcutFor(press("ArrowUp", { alt: true }), page)).toBe("previous-room");
    expect(shortcutFor(press("ArrowDown", { alt: true }), field)).toBe("next-room");
    expect(
      shortcutFor(press("ArrowDown", { alt: true }), { ...page, ownsArrows: true }),
    ).toBeNull();
    expect(
      shortcutFor(press("ArrowDown", { alt: true }), { ...page, dialogOpen: true }),
    ).toBeNull();
    expect(shortcutFor(press("ArrowDown"), page)).toBeNull();
    expect(shortcutFor(press("ArrowDown", { alt: true, shift: true }), page)).toBeNull();
  });

  it("ignores keys that are part of an IME composition", () => {
    expect(shortcutFor({ ...press("k", { ctrl: true }), isComposing: true }, page)).toBeNull();
  });
});

describe("F6 between regions", () => {
  it("F6 and Shift+F6 move between regions, from a field too", () => {
    for (const where of [page, field]) {
      expect(shortcutFor(press("F6"), where)).toBe("next-region");
      expect(shortcutFor(press("F6", { shift: true }), where)).toBe("previous-region");
    }
  });

  it("is not a shortcut under a modal or with Ctrl, Cmd or Alt", () => {
    expect(shortcutFor(press("F6"), { ...page, dialogOpen: true })).toBeNull();
    expect(shortcutFor(press("F6", { ctrl: true }), page)).toBeNull();
    expect(shortcutFor(press("F6", { meta: true }), page)).toBeNull();
    expect(shortcutFor(press("F6", { alt: true }), page)).toBeNull();
  });

  it("cycles through the regions both ways, wrapping at the ends", () => {
    expect([0, 1, 2].map((i) => regionAfter(i, 3, 1))).toEqual([1, 2, 0]);
    expect([0, 1, 2].map((i) => regionAfter(i, 3, -1))).toEqual([2, 0, 1]);
  });

  it("starts at the first (F6) or the last (Shift+F6) from outside every region", () => {
    expect(regionAfter(-1, 3, 1)).toBe(0);
    expect(regionAfter(-1, 3, -1)).toBe(2);
    expect(regionAfter(7, 3, 1)).toBe(0);
    expect(regionAfter(0, 0, 1)).toBe(-1);
  });

  it("is listed in the shortcuts dialog", () => {
    expect(SHORTCUTS.map((s) => s.keys.join(" "))).toEqual(
      expect.arrayContaining(["F6", "Shift+F6"]),
    );
  });
});

describe("keyContextOf", () => {
  const el = (tagName: string, extra: object = {}) => ({ tagName, closest: () => null, ...extra });
  it("counts text fields as typing, buttons and checkboxes not", () => {
    expect(keyContextOf(el("TEXTAREA"), false).typing).toBe(true);
    expect(keyContextOf(el("INPUT", { type: "search" }), false).typing).toBe(true);
    expect(keyContextOf(el("INPUT", { type: "checkbox" }), false).typing).toBe(false);
    expect(keyContextOf(el("DIV", { isContentEditable: true }), false).typing).toBe(true);
    expect(keyContextOf(el("BUTTON"), false).typing).toBe(false);
    expect(keyContextOf(null, true)).toEqual({
      typing: false,
      ownsArrows: false,
      dialogOpen: true,
    });
  });
  it("selects, comboboxes and menus own their arrows", () => {
    expect(keyContextOf(el("SELECT"), false).ownsArrows).toBe(true);
    expect(keyContextOf(el("INPUT", { closest: () => ({}) }), false).ownsArrows).toBe(true);
    expect(keyContextOf(el("BUTTON"), false).ownsArrows).toBe(false);
  });
});

describe("room order and matching", () => {
  const rooms = [
    room("Alice", "dm"),
    room("general"),
    room("Design team"),
    room("Random"),
    room("team-ops", "private"),
  ];

  it("orders rooms like the nav (rooms, then direct messages) and steps through them", () => {
    expect(navOrder(rooms).map((r) => r.name)).toEqual([
      "general",
      "Design team",
      "Random",
      "team-ops",
      "Alice",
    ]);
    const order = navOrder(rooms);
    expect(adjacentRoom(order, "id-general", 1)?.name).toBe("Design team");
    expect(adjacentRoom(order, "id-team-ops", 1)?.name).toBe("Alice");
    expect(adjacentRoom(order, "id-general", -1)).toBeNull();
    expect(adjacentRoom(order, "id-Alice", 1)).toBeNull();
    expect(adjacentRoom(order, "missing", 1)).toBeNull();
  });

  it("matches prefixes first, then word starts, then anywhere, ignoring case, accents and #", () => {
    expect(matchRooms(rooms, "").map((r) => r.name)).toEqual(navOrder(rooms).map((r) => r.name));
    expect(matchRooms(rooms, "team").map((r) => r.name)).toEqual(["team-ops", "Design team"]);
    expect(matchRooms(rooms, "#GEN").map((r) => r.name)).toEqual(["general"]);
    expect(matchRooms(rooms, "an").map((r) => r.name)).toEqual(["Random"]);
    expect(matchRooms([room("Café")], "cafe").map((r) => r.name)).toEqual(["Café"]);
    expect(matchRooms(rooms, "zzz")).toEqual([]);
  });
});
