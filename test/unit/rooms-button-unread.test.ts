import { describe, expect, it } from "vitest";
import { otherUnread } from "../../src/components/RoomsButton";
import type { RoomSummary } from "../../src/protocol/frames";

const room = (id: string, over: Partial<RoomSummary> = {}): RoomSummary => ({
  id,
  slug: id,
  name: id,
  kind: "public",
  lastSeq: 5,
  lastReadSeq: 2,
  mentioned: false,
  isDefault: false,
  ...over,
});

describe("otherUnread (the Rooms button's badge)", () => {
  it("counts other unread rooms and their mentions, but never a muted room", () => {
    const rooms = [
      room("here"),
      room("plain"),
      room("muted", { mentioned: true, notify: { level: null, muted: true } }),
      room("read", { lastReadSeq: 5 }),
    ];
    expect(otherUnread(rooms, "here")).toEqual({ rooms: 1, mentioned: false });
    const unmuted = rooms.map((r) => (r.id === "muted" ? { ...r, notify: undefined } : r));
    expect(otherUnread(unmuted, "here")).toEqual({ rooms: 2, mentioned: true });
  });
});
