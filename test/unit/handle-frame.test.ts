import { describe, expect, it } from "vitest";
import { type FrameDeps, handleFrame } from "../../src/core/handle-frame";
import type { WireMessage } from "../../src/protocol/frames";

const ann = { id: "u-ann", name: "Ann" };

/** Ten-line fakes: one room "r1" with Ann as its only member. */
function fakes() {
  const stored: WireMessage[] = [];
  const deps: FrameDeps = {
    rooms: {
      isMember: async (roomId, userId) => roomId === "r1" && userId === ann.id,
      getRoom: async (id) => (id === "r1" || id === "r2" ? { id, slug: id, name: id } : undefined),
    } as FrameDeps["rooms"],
    messages: {
      append: async ({ roomId, author, clientId, text }) => {
        const message = {
          id: clientId,
          roomId,
          seq: stored.length + 1,
          author,
          text,
          createdAt: "t",
        };
        stored.push(message);
        return { message, duplicate: false };
      },
    } as FrameDeps["messages"],
  };
  return { deps, stored };
}

describe("handleFrame", () => {
  it("stores a member's message and acks it with the stored seq", async () => {
    const { deps, stored } = fakes();
    const outcome = await handleFrame(
      { type: "send", roomId: "r1", clientId: "c1", text: "hi" },
      ann,
      deps,
    );
    expect(outcome).toMatchObject({
      kind: "stored",
      duplicate: false,
      message: { seq: 1, text: "hi" },
    });
    expect(outcome.kind === "stored" && outcome.ack).toEqual({
      type: "ack",
      clientId: "c1",
      message: stored[0],
    });
  });

  it("refuses a non-member's send as forbidden and stores nothing", async () => {
    const { deps, stored } = fakes();
    const outcome = await handleFrame(
      { type: "send", roomId: "r2", clientId: "c1", text: "hi" },
      ann,
      deps,
    );
    expect(outcome).toEqual({
      kind: "reply",
      frame: { type: "error", code: "forbidden", message: expect.any(String), clientId: "c1" },
    });
    expect(stored).toEqual([]);
  });

  it("answers not_found for an unknown room", async () => {
    const { deps } = fakes();
    const outcome = await handleFrame({ type: "subscribe", roomId: "nope" }, ann, deps);
    expect(outcome).toMatchObject({ kind: "reply", frame: { code: "not_found" } });
  });

  it("lets a member subscribe and refuses others", async () => {
    const { deps } = fakes();
    expect(await handleFrame({ type: "subscribe", roomId: "r1" }, ann, deps)).toEqual({
      kind: "subscribe",
      roomId: "r1",
    });
    const stranger = { id: "u-x", name: "X" };
    expect(await handleFrame({ type: "subscribe", roomId: "r1" }, stranger, deps)).toMatchObject({
      kind: "reply",
      frame: { code: "forbidden" },
    });
  });
});
