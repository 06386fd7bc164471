import { afterEach, describe, expect, it, vi } from "vitest";
import { ChatClient } from "../../src/client/chat-client";
import {
  CACHED_PER_ROOM,
  cachedRoom,
  cachedUser,
  clearSnapshot,
  forgetOfflineData,
  keepOfflineCache,
  loadSnapshot,
  saveSnapshot,
} from "../../src/client/offline-cache";
import { memoryOutbox } from "../../src/client/outbox";
import type { ChatSocket, ConnectionStatus } from "../../src/client/socket";
import type { RoomSummary, ServerFrame } from "../../src/protocol/frames";
import { wireMessage } from "../helpers/fixtures";

/** localStorage's three calls over a Map; `full` makes writes throw like a full quota. */
function memoryStore() {
  const items = new Map<string, string>();
  const store = {
    full: false,
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem(key: string, value: string) {
      if (store.full) throw new DOMException("quota", "QuotaExceededError");
      items.set(key, value);
    },
    removeItem: (key: string) => void items.delete(key),
  };
  return store;
}

/** A socket double whose status the test sets (offline, connected). */
function statusSocket(initial: ConnectionStatus) {
  let onFrame: (frame: ServerFrame) => void = () => {};
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  const socket = {
    status: initial,
    isOpen: initial === "connected",
    start() {},
    stop() {},
    send: () => socket.isOpen,
    onFrame(listener: (frame: ServerFrame) => void) {
      onFrame = listener;
      return () => {};
    },
    onStatus(listener: (status: ConnectionStatus) => void) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
  };
  const setStatus = (status: ConnectionStatus) => {
    socket.status = status;
    socket.isOpen = status === "connected";
    for (const listener of statusListeners) listener(status);
  };
  return { socket, setStatus, deliver: (frame: ServerFrame) => onFrame(frame) };
}

const me = { id: "u-me", name: "Me", handle: "me" };
const room: RoomSummary = {
  id: "r",
  slug: "general",
  name: "general",
  kind: "public",
  lastSeq: 60,
  lastReadSeq: 60,
  mentioned: false,
  isDefault: true,
};
const snapshot = { user: me, rooms: [room], messages: { r: [wireMessage(1), wireMessage(2)] } };

function clientOn(initial: ConnectionStatus) {
  const fake = statusSocket(initial);
  const client = new ChatClient(fake.socket as unknown as ChatSocket, memoryOutbox());
  client.start();
  return { ...fake, client };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("offline cache storage", () => {
  it("reads back what it wrote, per user, and names the last user", () => {
    const store = memoryStore();
    expect(saveSnapshot(store, snapshot)).toBe(true);
    expect(loadSnapshot(store, me.id)).toEqual(snapshot);
    expect(loadSnapshot(store, "someone-else")).toBeNull();
    expect(cachedUser(store)).toEqual(me);
    expect(cachedRoom(me.id, "general", store)?.messages.map((m) => m.seq)).toEqual([1, 2]);
    expect(cachedRoom(me.id, "elsewhere", store)).toBeNull();
  });

  it("drops what is not a snapshot of this version instead of trusting it", () => {
    const store = memoryStore();
    store.items.set(`parley.offline.${me.id}`, "{not json");
    store.items.set("parley.offline.last", me.id);
    expect(loadSnapshot(store, me.id)).toBeNull();
    expect(cachedUser(store)).toBeNull();
    store.items.set(`parley.offline.${me.id}`, JSON.stringify({ ...snapshot, rooms: [{ id: 1 }] }));
    expect(loadSnapshot(store, me.id)).toBeNull();
    // A snapshot filed under another user's key is not this user's.
    store.items.set(
      `parley.offline.${me.id}`,
      JSON.stringify({ ...snapshot, user: { ...me, id: "x" } }),
    );
    expect(loadSnapshot(store, me.id)).toBeNull();
  });

  it("reports a full storage as not written, and reads nothing from a blocked one", () => {
    const store = memoryStore();
    store.full = true;
    expect(saveSnapshot(store, snapshot)).toBe(false);
    const blocked = {
      getItem: () => {
        throw new Error("blocked");
      },
      setItem() {},
      removeItem() {},
    };
    expect(loadSnapshot(blocked, me.id)).toBeNull();
    expect(cachedUser(blocked)).toBeNull();
    expect(cachedUser(null)).toBeNull();
  });

  it("forgets a user's snapshot on sign-out", () => {
    const store = memoryStore();
    saveSnapshot(store, snapshot);
    clearSnapshot(store, me.id);
    expect(loadSnapshot(store, me.id)).toBeNull();
    expect(cachedUser(store)).toBeNull();
  });
});

describe("keepOfflineCache with a ChatClient", () => {
  it("seeds a client that cannot connect with the cached rooms and messages", () => {
    const store = memoryStore();
    saveSnapshot(store, snapshot);
    const { client, setStatus } = clientOn("connecting");
    const stop = keepOfflineCache(client, me, store);
    expect(client.rooms()).toEqual([]);
    setStatus("offline");
    expect(client.rooms().map((r) => r.slug)).toEqual(["general"]);
    expect(client.roomView("r").messages.map((m) => m.seq)).toEqual([1, 2]);
    stop();
  });

  it("merges the cache into a room the page opened from an older copy", () => {
    const store = memoryStore();
    saveSnapshot(store, snapshot);
    const { client, setStatus } = clientOn("connecting");
    void client.open("r", [wireMessage(1)], 0, room);
    keepOfflineCache(client, me, store);
    setStatus("offline");
    expect(client.roomView("r").messages.map((m) => m.seq)).toEqual([1, 2]);
  });

  it("never seeds over a live room list", () => {
    const store = memoryStore();
    saveSnapshot(store, { ...snapshot, rooms: [{ ...room, id: "old", slug: "old" }] });
    const { client, setStatus, deliver } = clientOn("connected");
    deliver({ type: "ready", v: 2, user: me, rooms: [room] });
    keepOfflineCache(client, me, store);
    setStatus("reconnecting");
    expect(client.rooms().map((r) => r.id)).toEqual(["r"]);
  });

  it("writes the newest messages per room after changes while connected", () => {
    vi.useFakeTimers();
    const store = memoryStore();
    const { client, deliver } = clientOn("connected");
    deliver({ type: "ready", v: 2, user: me, rooms: [room] });
    const stop = keepOfflineCache(client, me, store);
    const page = Array.from({ length: 60 }, (_, i) => wireMessage(i + 1));
    void client.open("r", page, 0, room);
    expect(loadSnapshot(store, me.id)).toBeNull();
    vi.advanceTimersByTime(1_000);
    const saved = loadSnapshot(store, me.id);
    expect(saved?.rooms.map((r) => r.id)).toEqual(["r"]);
    expect(saved?.messages.r?.length).toBe(CACHED_PER_ROOM);
    expect(saved?.messages.r?.at(-1)?.seq).toBe(60);
    stop();
  });

  it("after sign-out, a keeper still running writes nothing back (its timer, its flush)", async () => {
    vi.useFakeTimers();
    const store = memoryStore();
    const { client, deliver } = clientOn("connected");
    deliver({ type: "ready", v: 2, user: me, rooms: [room] });
    const stop = keepOfflineCache(client, me, store);
    void client.open("r", [wireMessage(1)], 0, room);
    // Sign-out lands while the debounced write is pending.
    await forgetOfflineData(me.id);
    vi.advanceTimersByTime(5_000);
    stop();
    expect(loadSnapshot(store, me.id)).toBeNull();
    expect(store.items.size).toBe(0);
    // Signing in again keeps the cache again.
    const again = keepOfflineCache(client, me, store);
    void client.open("r", [wireMessage(1), wireMessage(2)], 0, room);
    vi.advanceTimersByTime(5_000);
    expect(loadSnapshot(store, me.id)?.messages.r?.length).toBe(2);
    again();
  });

  it("does not write while disconnected (only what the server confirmed is kept)", () => {
    vi.useFakeTimers();
    const store = memoryStore();
    const { client, setStatus } = clientOn("connecting");
    keepOfflineCache(client, me, store);
    setStatus("offline");
    void client.open("r", [wireMessage(1)], 0, room);
    vi.advanceTimersByTime(5_000);
    expect(loadSnapshot(store, me.id)).toBeNull();
  });

  it("does nothing without storage", () => {
    const { client } = clientOn("offline");
    const stop = keepOfflineCache(client, me, null);
    expect(client.rooms()).toEqual([]);
    stop();
  });
});

describe("forgetOfflineData", () => {
  it("clears the snapshot from localStorage on sign-out, with no worker to tell", async () => {
    const store = memoryStore();
    saveSnapshot(store, snapshot);
    vi.stubGlobal("localStorage", store);
    try {
      await forgetOfflineData(me.id);
      expect(loadSnapshot(store, me.id)).toBeNull();
      expect(cachedUser(store)).toBeNull();
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
