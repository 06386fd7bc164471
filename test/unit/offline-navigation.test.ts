import { describe, expect, it } from "vitest";
import { focusComposerOnArrival, takeComposerFocus } from "../../src/client/arrival-focus";
import { ChatClient } from "../../src/client/chat-client";
import {
  heldClient,
  heldRoom,
  heldUser,
  holdClient,
  isConnectionFailure,
  rememberRooms,
} from "../../src/client/held-client";
import { memoryOutbox } from "../../src/client/outbox";
import type { ChatSocket } from "../../src/client/socket";
import type { RoomSummary, ServerFrame } from "../../src/protocol/frames";
import { wireMessage } from "../helpers/fixtures";

/** A socket double that stays open and lets the test deliver server frames. */
function fakeSocket() {
  let onFrame: (frame: ServerFrame) => void = () => {};
  const socket = {
    status: "connected",
    isOpen: true,
    start() {},
    stop() {},
    send: () => true,
    onFrame(listener: (frame: ServerFrame) => void) {
      onFrame = listener;
      return () => {};
    },
    onStatus: () => () => {},
  };
  return { socket, deliver: (frame: ServerFrame) => onFrame(frame) };
}

const me = { id: "u-me", name: "Me" };
function summary(id: string): RoomSummary {
  return {
    id,
    slug: `${id}-slug`,
    name: id,
    kind: "public",
    lastSeq: 2,
    lastReadSeq: 2,
    mentioned: false,
    isDefault: id === "general",
  };
}

function connectedClient() {
  const fake = fakeSocket();
  const client = new ChatClient(fake.socket as unknown as ChatSocket, memoryOutbox());
  client.start();
  fake.deliver({ type: "ready", v: 2, user: me, rooms: [summary("general"), summary("design")] });
  return client;
}

describe("heldRoom: opening a room from what the tab holds", () => {
  it("opens a joined room whose log the client holds, with its messages and the sidebar", () => {
    const client = connectedClient();
    const page = [wireMessage(1, { roomId: "general" }), wireMessage(2, { roomId: "general" })];
    client.open("general", page, 2, summary("general"));
    const notJoined = summary("lobby");
    const held = heldRoom(client, "general-slug", [notJoined, summary("general")]);
    expect(held?.room.id).toBe("general");
    expect(held?.messages.map((m) => m.seq)).toEqual([1, 2]);
    // The last listed sidebar (with a public room not joined) plus rooms joined since.
    expect(held?.rooms.map((r) => r.id)).toEqual(["lobby", "general", "design"]);
  });

  it("holds nothing for a room never opened in the tab, or not known at all", () => {
    const client = connectedClient();
    expect(heldRoom(client, "design-slug", [])).toBeNull();
    expect(heldRoom(client, "nowhere", [])).toBeNull();
  });

  it("uses the sidebar remembered from the last answered page by default", () => {
    const client = connectedClient();
    client.open("design", [wireMessage(1, { roomId: "design" })], 1, summary("design"));
    rememberRooms([summary("lobby")]);
    expect(heldRoom(client, "design-slug")?.rooms.map((r) => r.id)).toEqual([
      "lobby",
      "general",
      "design",
    ]);
  });
});

describe("holdClient", () => {
  it("lends the client and user until undone, and forgets the remembered sidebar", () => {
    const first = connectedClient();
    const second = connectedClient();
    const undoFirst = holdClient(first, me);
    const undoSecond = holdClient(second, me);
    // Undoing a client that another replaced leaves the newer one held.
    undoFirst();
    expect(heldClient()).toBe(second);
    expect(heldUser()).toEqual(me);
    rememberRooms([summary("lobby")]);
    second.open("design", [wireMessage(1, { roomId: "design" })], 1, summary("design"));
    undoSecond();
    expect(heldClient()).toBeNull();
    expect(heldUser()).toBeNull();
    expect(heldRoom(second, "design-slug")?.rooms.map((r) => r.id)).toEqual(["general", "design"]);
  });
});

describe("isConnectionFailure: offline state or error page", () => {
  const up = { online: true, socketConnected: true };
  it("counts a fetch that reached no server as the connection's", () => {
    expect(isConnectionFailure(new TypeError("Failed to fetch"), up)).toBe(true);
    expect(
      isConnectionFailure(new TypeError("NetworkError when attempting to fetch resource."), up),
    ).toBe(true);
    expect(isConnectionFailure(new TypeError("Load failed"), up)).toBe(true);
  });

  it("counts any failure while the browser is offline or the socket is down", () => {
    expect(isConnectionFailure(new Error("Bad Gateway"), { ...up, online: false })).toBe(true);
    expect(isConnectionFailure(new Error("Bad Gateway"), { ...up, socketConnected: false })).toBe(
      true,
    );
  });

  it("leaves a real error to the error page", () => {
    expect(isConnectionFailure(new Error("boom"), up)).toBe(false);
    expect(isConnectionFailure(new TypeError("x is not a function"), up)).toBe(false);
    // Outside a chat client (no socket to ask), only the fetch's own failure counts.
    expect(isConnectionFailure(new Error("boom"), { online: true, socketConnected: null })).toBe(
      false,
    );
  });
});

describe("arrival focus after signing in", () => {
  it("is taken once, while fresh", () => {
    focusComposerOnArrival(1_000);
    expect(takeComposerFocus(2_000)).toBe(true);
    expect(takeComposerFocus(2_001)).toBe(false);
  });

  it("expires, so a later room visit does not steal focus", () => {
    focusComposerOnArrival(1_000);
    expect(takeComposerFocus(1_000 + 15_001)).toBe(false);
  });
});
