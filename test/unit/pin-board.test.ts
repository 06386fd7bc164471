import { describe, expect, it } from "vitest";
import { ChatClient } from "../../src/client/chat-client";
import { memoryOutbox } from "../../src/client/outbox";
import { PinBoard } from "../../src/client/pin-board";
import type { ChatSocket } from "../../src/client/socket";
import type { ClientFrame, ServerFrame } from "../../src/protocol/frames";
import { wireMessage } from "../helpers/fixtures";

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
const pinned = (seq: number, rev: number, minute: number) =>
  wireMessage(seq, { id: `m${seq}`, rev, pinnedAt: at(minute), pinnedBy: "u" });
const unpinned = (seq: number, rev: number) => wireMessage(seq, { id: `m${seq}`, rev });

describe("PinBoard", () => {
  it("lists pinned messages newest pin first and ignores messages never pinned", () => {
    const board = new PinBoard();
    expect(board.merge([unpinned(1, 0)])).toBe(false);
    expect(board.merge([pinned(1, 2, 5), pinned(2, 3, 9), unpinned(3, 0)])).toBe(true);
    expect(board.list().map((m) => m.seq)).toEqual([2, 1]);
  });

  it("drops a pin when an unpin or a deletion with a newer rev arrives", () => {
    const board = new PinBoard();
    board.merge([pinned(1, 2, 5), pinned(2, 3, 6)]);
    expect(board.merge([unpinned(1, 4)])).toBe(true);
    expect(board.merge([{ ...pinned(2, 5, 6), deleted: true }])).toBe(true);
    expect(board.list()).toEqual([]);
  });

  it("keeps the newest state: a stale pin list after a live unpin does not bring it back", () => {
    const board = new PinBoard();
    board.merge([pinned(1, 2, 5)]);
    board.merge([unpinned(1, 7)]);
    expect(board.merge([pinned(1, 2, 5)])).toBe(false);
    expect(board.list()).toEqual([]);
    // Pinned again later: a newer rev wins.
    expect(board.merge([pinned(1, 9, 20)])).toBe(true);
    expect(board.list().map((m) => m.rev)).toEqual([9]);
  });

  it("returns the same array until something changes", () => {
    const board = new PinBoard();
    board.merge([pinned(1, 1, 1)]);
    const first = board.list();
    board.merge([pinned(1, 1, 1), unpinned(2, 0)]);
    expect(board.list()).toBe(first);
  });
});

describe("ChatClient pins", () => {
  /** A client on a socket double: frames sent are recorded, server frames delivered by hand. */
  function setup() {
    let onFrame: (frame: ServerFrame) => void = () => {};
    const sent: ClientFrame[] = [];
    const socket = {
      status: "connected",
      isOpen: true,
      start() {},
      stop() {},
      send: (frame: ClientFrame) => sent.push(frame) > 0,
      onFrame(listener: (frame: ServerFrame) => void) {
        onFrame = listener;
        return () => {};
      },
      onStatus: () => () => {},
    };
    const client = new ChatClient(socket as unknown as ChatSocket, memoryOutbox());
    client.start();
    const me = { id: "u", name: "U" };
    const room = {
      ...{ id: "r", slug: "r", name: "r", kind: "public" as const },
      ...{ lastSeq: 3, lastReadSeq: 3, mentioned: false, isDefault: false },
    };
    onFrame({ type: "ready", v: 2, user: me, rooms: [room] });
    return { client, sent, deliver: (frame: ServerFrame) => onFrame(frame) };
  }

  it("starts from the page's pins, follows live changes and replays, and settles pin() on its answer", async () => {
    const { client, sent, deliver } = setup();
    // An old pin (seq 1) is not in the page of the latest messages.
    void client.open("r", [unpinned(2, 0), unpinned(3, 0)], 3, undefined, [pinned(1, 1, 1)]);
    expect(client.roomView("r").pinned.map((m) => m.seq)).toEqual([1]);
    const answered = client.pin("r", "m3", true);
    const frame = sent.at(-1);
    expect(frame).toMatchObject({ type: "pin", roomId: "r", messageId: "m3", pinned: true });
    deliver({ type: "updated", message: pinned(3, 2, 5) });
    deliver({ type: "ok", ref: (frame as { ref: string }).ref });
    await answered;
    expect(client.roomView("r").pinned.map((m) => m.seq)).toEqual([3, 1]);
    // Unpinned while this client was away: the resume's replay says so.
    deliver({ type: "history", roomId: "r", messages: [unpinned(1, 3)], done: true });
    expect(client.roomView("r").pinned.map((m) => m.seq)).toEqual([3]);
  });

  it("rejects pin() with the server's refusal", async () => {
    const { client, sent, deliver } = setup();
    void client.open("r", [], 3);
    const answered = client.pin("r", "gone", true);
    const { ref } = sent.at(-1) as { ref: string };
    deliver({ type: "error", code: "not_found", message: "no such message", ref });
    await expect(answered).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("ChatClient saved messages", () => {
  it("takes saved ids from ready, follows saved frames from any tab, keeps them on a resync ready", () => {
    let onFrame: (frame: ServerFrame) => void = () => {};
    const sent: ClientFrame[] = [];
    const socket = {
      status: "connected",
      isOpen: true,
      start() {},
      stop() {},
      send: (frame: ClientFrame) => sent.push(frame) > 0,
      onFrame(listener: (frame: ServerFrame) => void) {
        onFrame = listener;
        return () => {};
      },
      onStatus: () => () => {},
    };
    const client = new ChatClient(socket as unknown as ChatSocket, memoryOutbox());
    client.start();
    const user = { id: "u", name: "U" };
    onFrame({ type: "ready", v: 2, user, rooms: [], saved: ["m1", "m2"] });
    const first = client.savedIds();
    expect([...first]).toEqual(["m1", "m2"]);
    void client.save("r", "m3", true);
    expect(sent.at(-1)).toMatchObject({ type: "save", roomId: "r", messageId: "m3", saved: true });
    onFrame({ type: "saved", roomId: "r", messageId: "m3", saved: true });
    onFrame({ type: "saved", roomId: "r", messageId: "m1", saved: false });
    expect([...client.savedIds()].sort()).toEqual(["m2", "m3"]);
    expect(client.savedIds()).not.toBe(first);
    // A relay resync's ready carries no list: what the client knows stays.
    onFrame({ type: "ready", v: 2, user, rooms: [] });
    expect([...client.savedIds()].sort()).toEqual(["m2", "m3"]);
  });
});
