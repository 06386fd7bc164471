// Composer drafts: what someone typed and did not send, per user and per
// draft key (a room's id; a thread's composer uses its own key), kept in
// this browser's localStorage so it survives switching rooms and reloads.
// A sent message leaves the draft at once: from then on the outbox keeps
// it until the server has it, so nothing is kept twice.

/** Drafts older than this are dropped when read (a forgotten half-sentence is noise). */
export const DRAFT_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;

/** A storage that may be missing or throw (private mode, quota full, blocked). */
export type DraftStorage = Pick<Storage, "getItem" | "setItem" | "removeItem"> | null | undefined;

type Stored = { text: string; savedAt: number };

/** The localStorage key of one draft. */
export function draftStorageKey(userId: string, draftKey: string): string {
  return `parley.draft:${userId}:${draftKey}`;
}

/** The saved draft, or "" when none, unreadable, malformed or too old (those are removed). */
export function loadDraft(
  storage: DraftStorage,
  userId: string,
  draftKey: string,
  now = Date.now(),
): string {
  const key = draftStorageKey(userId, draftKey);
  let raw: string | null | undefined;
  try {
    raw = storage?.getItem(key);
  } catch {
    return "";
  }
  if (!raw) return "";
  const draft = parse(raw);
  if (draft && now - draft.savedAt <= DRAFT_MAX_AGE_MS) return draft.text;
  forget(storage, key);
  return "";
}

/**
 * Keeps `text` as the draft (an empty or blank one removes it). Returns
 * false when the browser refused (quota, blocked): typing goes on, the
 * draft just does not outlive the page.
 */
export function saveDraft(
  storage: DraftStorage,
  userId: string,
  draftKey: string,
  text: string,
  now = Date.now(),
): boolean {
  const key = draftStorageKey(userId, draftKey);
  if (!text.trim()) return forget(storage, key);
  try {
    storage?.setItem(key, JSON.stringify({ text, savedAt: now } satisfies Stored));
    return Boolean(storage);
  } catch {
    return false;
  }
}

/** Drops the draft (after a send). */
export function clearDraft(storage: DraftStorage, userId: string, draftKey: string): boolean {
  return forget(storage, draftStorageKey(userId, draftKey));
}

function forget(storage: DraftStorage, key: string): boolean {
  try {
    storage?.removeItem(key);
    return Boolean(storage);
  } catch {
    return false;
  }
}

function parse(raw: string): Stored | null {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== "object" || value === null) return null;
    const { text, savedAt } = value as Record<string, unknown>;
    if (typeof text !== "string" || typeof savedAt !== "number") return null;
    return { text, savedAt };
  } catch {
    return null;
  }
}
