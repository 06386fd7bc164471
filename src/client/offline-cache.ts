import { z } from "zod";
import {
  messageSchema,
  type RoomSummary,
  roomSummarySchema,
  userSchema,
  type WireUser,
} from "../protocol/frames";
import type { ChatClient, ClientSnapshot } from "./chat-client";
import type { HeldRoom } from "./held-client";
import { safeLocalStorage } from "./local-storage";
import { clearServiceWorkerCache } from "./sw-register";

/**
 * The offline cache (issue 13): the room list and each open room's last
 * messages, per user in localStorage, so a reload without a server (the
 * service worker serves the page) still shows them. Only what a connected
 * client heard is kept, and what is read back is checked against the wire
 * schemas: a copy from an older version is dropped, never trusted.
 */

/** Messages kept per room. */
export const CACHED_PER_ROOM = 50;
/** How long after a change the cache is written (a busy room writes once). */
const WRITE_DELAY_MS = 1_000;

const snapshotSchema = z.object({
  user: userSchema,
  rooms: z.array(roomSummarySchema),
  messages: z.record(z.string(), z.array(messageSchema)),
});
export type OfflineSnapshot = ClientSnapshot & { user: WireUser };

const snapshotKey = (userId: string) => `parley.offline.${userId}`;
/** The id of the user whose snapshot was written last (the offline sign-in check). */
const LAST_USER_KEY = "parley.offline.last";

type Store = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export function saveSnapshot(store: Store, snapshot: OfflineSnapshot): boolean {
  try {
    store.setItem(snapshotKey(snapshot.user.id), JSON.stringify(snapshot));
    store.setItem(LAST_USER_KEY, snapshot.user.id);
    return true;
  } catch {
    // Full or blocked storage: the app works, only an offline reload shows less.
    return false;
  }
}

export function loadSnapshot(store: Store, userId: string): OfflineSnapshot | null {
  let raw: string | null;
  try {
    raw = store.getItem(snapshotKey(userId));
  } catch {
    return null;
  }
  if (!raw) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = snapshotSchema.safeParse(value);
  return parsed.success && parsed.data.user.id === userId ? parsed.data : null;
}

/** The user last signed in on this browser, for a route guard that cannot ask the server. */
export function cachedUser(store: Store | null = safeLocalStorage()): WireUser | null {
  if (!store) return null;
  try {
    const id = store.getItem(LAST_USER_KEY);
    return id ? (loadSnapshot(store, id)?.user ?? null) : null;
  } catch {
    return null;
  }
}

/** Forgets this user's cache (sign-out: the next person on this browser must not see it). */
export function clearSnapshot(store: Store | null, userId: string): void {
  if (!store) return;
  try {
    store.removeItem(snapshotKey(userId));
    if (store.getItem(LAST_USER_KEY) === userId) store.removeItem(LAST_USER_KEY);
  } catch {
    // Blocked storage holds nothing to forget.
  }
}

/**
 * Sign-out: forgets this user's snapshot and the worker's kept pages, so
 * an offline reload cannot show them (or sign in as them) to whoever uses
 * this browser next. Never rejects: sign-out goes on regardless.
 */
export async function forgetOfflineData(userId: string): Promise<void> {
  // A keeper still running (its debounced write, its flush on unmount or
  // pagehide) must not write the snapshot back after sign-out.
  forgotten.add(userId);
  clearSnapshot(safeLocalStorage(), userId);
  await clearServiceWorkerCache().catch(() => {});
}

/**
 * A room page from the cache, shaped like the held client's (see
 * held-client.ts heldRoom), or null when the cache has no messages of it.
 */
export function cachedRoom(
  userId: string,
  slug: string,
  store: Store | null = safeLocalStorage(),
): HeldRoom | null {
  const snapshot = store && loadSnapshot(store, userId);
  if (!snapshot) return null;
  const room = snapshot.rooms.find((r: RoomSummary) => r.slug === slug);
  const messages = room ? snapshot.messages[room.id] : undefined;
  if (!room || !messages || messages.length === 0) return null;
  return { room, rooms: snapshot.rooms, messages, pinned: [] };
}

/** Users signed out in this page: no keeper writes their snapshot until they start again. */
const forgotten = new Set<string>();

/**
 * Keeps `client`'s cache for `user` while it runs: seeds it from the cache
 * when the socket cannot connect before any `ready`, and writes a snapshot
 * (debounced) after changes heard while connected. Returns the stop.
 */
export function keepOfflineCache(
  client: Pick<ChatClient, "status" | "subscribe" | "snapshot" | "seedFromCache" | "user">,
  user: WireUser,
  store: Store | null = safeLocalStorage(),
): () => void {
  if (!store) return () => {};
  forgotten.delete(user.id);
  let seeded = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const write = () => {
    timer = undefined;
    if (client.status !== "connected" || forgotten.has(user.id)) return;
    saveSnapshot(store, { user, ...client.snapshot(CACHED_PER_ROOM) });
  };
  const onChange = () => {
    const status = client.status;
    if (status === "connected") {
      timer ??= setTimeout(write, WRITE_DELAY_MS);
      return;
    }
    // Only before a live room list arrived: the cache never overrides the server.
    if (!seeded && (status === "offline" || status === "reconnecting")) {
      seeded = true;
      if (client.user) return;
      const snapshot = loadSnapshot(store, user.id);
      if (snapshot) client.seedFromCache(snapshot);
    }
  };
  const unsubscribe = client.subscribe(onChange);
  onChange();
  // A tab closed within the write delay still keeps the latest state.
  const flush = () => {
    if (timer === undefined) return;
    clearTimeout(timer);
    write();
  };
  const page = typeof window === "undefined" ? null : window;
  page?.addEventListener("pagehide", flush);
  return () => {
    unsubscribe();
    page?.removeEventListener("pagehide", flush);
    flush();
  };
}
