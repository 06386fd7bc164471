import type { WireFile } from "../protocol/frames";

/** A message the server has not acknowledged yet. */
export type PendingSend = {
  clientId: string;
  roomId: string;
  text: string;
  /** A reply: its thread's root (it shows in the thread, not the room's log). */
  threadRootId?: string;
  /** A reply also sent to the room's main log. */
  alsoToRoom?: boolean;
  /**
   * Files it carries, already uploaded (an upload is done before the send is
   * queued): their ids go with every attempt, the rest shows while pending.
   */
  files?: WireFile[];
  /** Why the server refused it for good; null while it is still being sent. */
  failed: string | null;
};

/** Where unacknowledged sends outlive a reload: localStorage in browsers, memory in tests. */
export interface OutboxStorage {
  load(): PendingSend[];
  save(items: PendingSend[]): void;
}

/** The in-memory storage (Node, tests, private browsing without localStorage). */
export function memoryOutbox(): OutboxStorage {
  let items: PendingSend[] = [];
  return { load: () => items, save: (next) => (items = next) };
}

/** localStorage under one key per signed-in user, falling back to memory when unavailable. */
export function browserOutbox(userId: string): OutboxStorage {
  const key = `parley.outbox.${userId}`;
  const fallback = memoryOutbox();
  return {
    load() {
      try {
        const raw = localStorage.getItem(key);
        const parsed: unknown = raw ? JSON.parse(raw) : [];
        return Array.isArray(parsed) ? (parsed as PendingSend[]) : [];
      } catch {
        return fallback.load();
      }
    },
    save(items) {
      try {
        if (items.length === 0) localStorage.removeItem(key);
        else localStorage.setItem(key, JSON.stringify(items));
      } catch {
        fallback.save(items);
      }
    },
  };
}
