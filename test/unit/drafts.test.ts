import { describe, expect, it } from "vitest";
import {
  clearDraft,
  DRAFT_MAX_AGE_MS,
  draftStorageKey,
  loadDraft,
  saveDraft,
} from "../../src/client/drafts";

/** An in-memory Storage; `full` makes setItem throw like a full quota, `blocked` every call. */
function memory(mode: "ok" | "full" | "blocked" = "ok") {
  const items = new Map<string, string>();
  const refuse = (name: string) => {
    throw new DOMException(name, name === "full" ? "QuotaExceededError" : "SecurityError");
  };
  return {
    items,
    getItem: (key: string) => (mode === "blocked" ? refuse("blocked") : (items.get(key) ?? null)),
    setItem: (key: string, value: string) => {
      if (mode !== "ok") refuse(mode);
      items.set(key, value);
    },
    removeItem: (key: string) => {
      if (mode === "blocked") refuse("blocked");
      items.delete(key);
    },
  };
}

describe("draft store", () => {
  it("keeps a draft per user and per key, and clears it", () => {
    const storage = memory();
    expect(saveDraft(storage, "u1", "room-a", "half a thought")).toBe(true);
    saveDraft(storage, "u1", "room-b", "another");
    saveDraft(storage, "u2", "room-a", "someone else's");
    expect(loadDraft(storage, "u1", "room-a")).toBe("half a thought");
    expect(loadDraft(storage, "u1", "room-b")).toBe("another");
    expect(loadDraft(storage, "u2", "room-a")).toBe("someone else's");
    expect(loadDraft(storage, "u1", "thread:m1")).toBe("");
    expect(clearDraft(storage, "u1", "room-a")).toBe(true);
    expect(loadDraft(storage, "u1", "room-a")).toBe("");
    expect(loadDraft(storage, "u1", "room-b")).toBe("another");
  });

  it("keeps the text as typed (new lines, spaces) and drops a blank one", () => {
    const storage = memory();
    saveDraft(storage, "u1", "r", "  line one\nline two  ");
    expect(loadDraft(storage, "u1", "r")).toBe("  line one\nline two  ");
    saveDraft(storage, "u1", "r", "   \n ");
    expect(storage.items.size).toBe(0);
  });

  it("reads bad JSON or a wrong shape as no draft and removes it", () => {
    const storage = memory();
    const key = draftStorageKey("u1", "r");
    for (const bad of [
      "{not json",
      "null",
      '"text"',
      "[]",
      '{"text":5,"savedAt":1}',
      '{"text":"x"}',
    ]) {
      storage.items.set(key, bad);
      expect(loadDraft(storage, "u1", "r")).toBe("");
      expect(storage.items.has(key)).toBe(false);
    }
  });

  it("drops drafts older than the maximum age", () => {
    const storage = memory();
    saveDraft(storage, "u1", "r", "old", 1_000);
    expect(loadDraft(storage, "u1", "r", 1_000 + DRAFT_MAX_AGE_MS)).toBe("old");
    expect(loadDraft(storage, "u1", "r", 1_001 + DRAFT_MAX_AGE_MS)).toBe("");
    expect(storage.items.size).toBe(0);
  });

  it("never throws when storage is full, blocked or missing", () => {
    const full = memory("full");
    expect(saveDraft(full, "u1", "r", "text")).toBe(false);
    expect(loadDraft(full, "u1", "r")).toBe("");
    expect(clearDraft(full, "u1", "r")).toBe(true);

    const blocked = memory("blocked");
    expect(saveDraft(blocked, "u1", "r", "text")).toBe(false);
    expect(loadDraft(blocked, "u1", "r")).toBe("");
    expect(clearDraft(blocked, "u1", "r")).toBe(false);

    expect(saveDraft(null, "u1", "r", "text")).toBe(false);
    expect(loadDraft(undefined, "u1", "r")).toBe("");
    expect(clearDraft(null, "u1", "r")).toBe(false);
  });
});
