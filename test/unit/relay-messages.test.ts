import { describe, expect, it } from "vitest";
import {
  decodeRelay,
  encodeRelay,
  type RelayHandlers,
  type RelayMessage,
  routeRelay,
} from "../../src/server/relay/messages.server";

const every: RelayMessage[] = [
  { type: "room", roomId: "r1", data: '{"type":"message"}' },
  { type: "user", userId: "u1", data: '{"type":"read"}' },
  { type: "attach", userId: "u1", roomId: "r1" },
  { type: "detach", userId: "u1", roomId: "r1" },
  { type: "presence", user: { id: "u1", name: "Ann" }, online: false, rooms: ["r1", "r2"] },
  { type: "session_revoked", token: "secret-token" },
  { type: "user_deactivated", userId: "u1", tokens: ["t1", "t2"] },
];

describe("relay messages", () => {
  it("decodes what it encodes, for every type", () => {
    for (const message of every) {
      const { key, data } = encodeRelay(message);
      expect(decodeRelay(key, data)).toEqual({ ok: true, message });
    }
  });

  it("keeps the wire of the previous release (tag:id keys)", () => {
    expect(encodeRelay(every[0] as RelayMessage).key).toBe("r:r1");
    expect(encodeRelay(every[2] as RelayMessage)).toEqual({ key: "a:u1", data: "r1" });
    expect(decodeRelay("s:", "tok")).toEqual({
      ok: true,
      message: { type: "session_revoked", token: "tok" },
    });
  });

  it("reads an older instance's per-room presence frame as presence news", () => {
    const frame = {
      type: "presence",
      roomId: "r1",
      user: { id: "u1", name: "Ann" },
      online: false,
    };
    expect(decodeRelay("r:r1", JSON.stringify(frame))).toEqual({
      ok: true,
      message: { type: "presence", user: { id: "u1", name: "Ann" }, online: false, rooms: ["r1"] },
    });
    expect(decodeRelay("r:r1", '{"type":"presence", broken').ok).toBe(false);
  });

  it("refuses malformed messages with a reason, never throwing", () => {
    const bad: [unknown, unknown][] = [
      ["x:1", "data"],
      // The joined key is gone: joins travel as attach, user and room messages.
      ["j:u1", "r1"],
      ["room", "data"],
      ["r:", "data"],
      ["a:u1", ""],
      ["p:u1", "{not json"],
      ["p:u1", "null"],
      ["p:u1", JSON.stringify({ user: { id: "u1", name: "A" }, online: "yes", rooms: [] })],
      ["p:u1", JSON.stringify({ user: { id: "u1", name: "A" }, online: true, rooms: [1] })],
      ["s:", ""],
      ["k:u1", "not json"],
      ["k:u1", "[1]"],
      ["k:", "[]"],
      [42, "data"],
      ["u:u1", { not: "a string" }],
    ];
    for (const [key, data] of bad) {
      const decoded = decodeRelay(key as string, data);
      expect(decoded.ok, JSON.stringify([key, data])).toBe(false);
      if (!decoded.ok) expect(decoded.reason.length).toBeGreaterThan(0);
    }
  });

  it("routes each type to its own handler", () => {
    const seen: string[] = [];
    const on = Object.fromEntries(
      every.map(({ type }) => [type, (message: RelayMessage) => seen.push(message.type)]),
    ) as unknown as RelayHandlers;
    for (const message of every) routeRelay(message, on);
    expect(seen).toEqual(every.map(({ type }) => type));
  });
});
