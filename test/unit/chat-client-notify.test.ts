import { describe, expect, it } from "vitest";
import { ActionRefused, ChatClient } from "../../src/client/chat-client";
import { memoryOutbox } from "../../src/client/outbox";
import type { ChatSocket } from "../../src/client/socket";
import {
  type ClientFrame,
  DEFAULT_NOTIFY_SETTINGS,
  type RoomSummary,
  type ServerFrame,
} from "../../src/protocol/frames";

/** A socket double: records sent frames, lets the test deliver server frames. */
function setup() {
  let onFrame: (frame: ServerFrame) => void = () => {};
  const sent: ClientFrame[] = [];
  const socket = {
    status: "connected",
    isOpen: true,
    start() {},
    stop() {},
    send(frame: ClientFrame) {
      if (!socket.isOpen) return false;
      sent.push(frame);
      return true;
    },
    onFrame(listener: (frame: ServerFrame) => void) {
      onFrame = listener;
      return () => {};
    },
    onStatus: () => () => {},
  };
  const client = new ChatClient(socket as unknown as ChatSocket, memoryOutbox());
  client.start();
  return { client, sent, socket, deliver: (frame: ServerFrame) => onFrame(frame) };
}

const me = { id: "u-me", name: "Me", handle: "me" };
const summary = (id: string, over: Partial<RoomSummary> = {}): RoomSummary => ({
  id,
  slug: id,
  name: id,
  kind: "public",
  lastSeq: 0,
  lastReadSeq: 0,
  mentioned: false,
  isDefault: false,
  ...over,
});

describe("ChatClient notification prefs", () => {
  it("takes prefs and settings from ready, with the defaults when absent", () => {
    const { client, deliver } = setup();
    expect(client.notifySettings()).toEqual(DEFAULT_NOTIFY_SETTINGS);
    deliver({
      type: "ready",
      v: 2,
      user: me,
      rooms: [summary("a", { notify: { level: "nothing", muted: true } }), summary("b")],
      notifySettings: { defaultLevel: "all", email: false, showText: true },
    });
    expect(client.roomNotify("a")).toEqual({ level: "nothing", muted: true });
    expect(client.roomNotify("b")).toEqual({ level: null, muted: false });
    expect(client.notifySettings()).toEqual({ defaultLevel: "all", email: false, showText: true });
  });

  it("follows notify_prefs, notify_settings and room_added from any device", () => {
    const { client, deliver } = setup();
    deliver({ type: "ready", v: 2, user: me, rooms: [summary("a")] });
    deliver({ type: "notify_prefs", roomId: "a", notify: { level: "all", muted: false } });
    expect(client.roomNotify("a")).toEqual({ level: "all", muted: false });
    expect(client.rooms()[0]?.notify).toEqual({ level: "all", muted: false });
    // For a room this tab does not know: nothing to lay it on, nothing breaks.
    deliver({ type: "notify_prefs", roomId: "zz", notify: { level: "all", muted: true } });
    expect(client.rooms()).toHaveLength(1);
    deliver({
      type: "notify_settings",
      settings: { defaultLevel: "nothing", email: true, showText: false },
    });
    expect(client.notifySettings().defaultLevel).toBe("nothing");
    deliver({
      type: "room_added",
      room: summary("c", { notify: { level: null, muted: true } }),
    });
    expect(client.roomNotify("c").muted).toBe(true);
  });

  it("sends the frames with a ref and settles on the server's answer", async () => {
    const { client, deliver, sent } = setup();
    deliver({ type: "ready", v: 2, user: me, rooms: [summary("a")] });
    const saved = client.setRoomNotify("a", { level: "nothing", muted: true });
    const frame = sent.at(-1) as Extract<ClientFrame, { type: "notify_prefs" }>;
    expect(frame).toMatchObject({
      type: "notify_prefs",
      roomId: "a",
      level: "nothing",
      muted: true,
    });
    deliver({ type: "notify_prefs", roomId: "a", notify: { level: "nothing", muted: true } });
    deliver({ type: "ok", ref: frame.ref ?? "" });
    await expect(saved).resolves.toBeUndefined();

    const settings = { defaultLevel: "all" as const, email: false, showText: false };
    const refused = client.setNotifySettings(settings);
    const second = sent.at(-1) as Extract<ClientFrame, { type: "notify_settings" }>;
    expect(second).toMatchObject({ type: "notify_settings", settings });
    deliver({ type: "error", code: "rate_limited", message: "slow down", ref: second.ref });
    await expect(refused).rejects.toBeInstanceOf(ActionRefused);
    // Refused: the settings stay what the server last said.
    expect(client.notifySettings()).toEqual(DEFAULT_NOTIFY_SETTINGS);
  });

  it("rejects at once when the socket is closed", async () => {
    const { client, deliver, socket } = setup();
    deliver({ type: "ready", v: 2, user: me, rooms: [summary("a")] });
    socket.isOpen = false;
    await expect(client.setRoomNotify("a", { level: null, muted: true })).rejects.toMatchObject({
      code: "disconnected",
    });
  });
});
