import { describe, expect, it } from "vitest";
import { messageLinkSearch } from "../../src/client/message-link";

describe("messageLinkSearch (the link to a message)", () => {
  it("points a room message at its seq in the room's log", () => {
    expect(messageLinkSearch({ seq: 12 })).toEqual({ m: 12 });
  });

  it("points a thread-only reply at its thread, with the reply to show", () => {
    expect(messageLinkSearch({ seq: 14, threadRootId: "root-1" })).toEqual({ t: "root-1", r: 14 });
    expect(messageLinkSearch({ seq: 14, threadRootId: "root-1", alsoInRoom: false })).toEqual({
      t: "root-1",
      r: 14,
    });
  });

  it("keeps a reply also sent to the room in the room's log", () => {
    expect(messageLinkSearch({ seq: 15, threadRootId: "root-1", alsoInRoom: true })).toEqual({
      m: 15,
    });
  });
});
