import type { WireMessage } from "../../src/protocol/frames";

/** A wire message with sensible defaults, for unit tests. */
export function wireMessage(seq: number, overrides: Partial<WireMessage> = {}): WireMessage {
  return {
    id: `id${seq}`,
    roomId: "r",
    seq,
    author: { id: "u", name: "U" },
    text: `m${seq}`,
    createdAt: new Date(0).toISOString(),
    editedAt: null,
    deleted: false,
    rev: 0,
    reactions: [],
    pinnedAt: null,
    pinnedBy: null,
    ...overrides,
  };
}
