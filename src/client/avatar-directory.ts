import { useEffect, useSyncExternalStore } from "react";
import { avatarsFn } from "../server/fns/profile-details";

/**
 * Who has an avatar, as this tab knows it: user id → version (part of the
 * picture's URL), or null for initials. Ids are looked up in batches (one
 * call for everyone a render asked about, AVATARS_BATCH at most each), once
 * per page load; a change someone else makes shows on the next load, one's
 * own at once (setKnownAvatar). A failed look-up leaves initials and is
 * asked again the next time the id is rendered.
 */
type Lookup = (ids: string[]) => Promise<Record<string, string>>;

const known = new Map<string, string | null>();
const asking = new Set<string>();
const queued = new Set<string>();
const listeners = new Set<() => void>();
let flushing = false;
const BATCH = 200;

function notify() {
  for (const listener of listeners) listener();
}

const lookup: Lookup = (ids) => avatarsFn({ data: { ids } });

function flush() {
  flushing = false;
  const ids = [...queued];
  queued.clear();
  for (let at = 0; at < ids.length; at += BATCH) {
    const batch = ids.slice(at, at + BATCH);
    for (const id of batch) asking.add(id);
    void lookup(batch)
      .then(
        (found) => {
          for (const id of batch) if (!known.has(id)) known.set(id, found[id] ?? null);
        },
        () => {},
      )
      .finally(() => {
        for (const id of batch) asking.delete(id);
        notify();
      });
  }
}

/** Asks about `userId` unless known or being asked (batched with the same render's others). */
export function requestAvatar(userId: string): void {
  if (known.has(userId) || asking.has(userId) || queued.has(userId)) return;
  queued.add(userId);
  if (!flushing) {
    flushing = true;
    queueMicrotask(flush);
  }
}

/** What this tab now knows of someone's avatar (a version, null, or undefined: not yet). */
export function knownAvatar(userId: string): string | null | undefined {
  return known.get(userId);
}

/** One's own change (an upload, a removal): every Avatar of that user repaints. */
export function setKnownAvatar(userId: string, version: string | null): void {
  known.set(userId, version);
  notify();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The avatar version of `userId` for a component: undefined until known, null for none. */
export function useAvatarVersion(userId: string): string | null | undefined {
  useEffect(() => requestAvatar(userId), [userId]);
  return useSyncExternalStore(
    subscribe,
    () => known.get(userId),
    () => undefined,
  );
}

/** The URL of a version of someone's avatar. */
export const avatarUrl = (userId: string, version: string) =>
  `/avatars/${encodeURIComponent(userId)}?v=${encodeURIComponent(version)}`;
