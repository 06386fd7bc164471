import { describe, expect, it } from "vitest";
import { attentionCount, baseTitle, faviconHref, titleWithCount } from "../../src/client/doc-title";
import type { RoomSummary } from "../../src/protocol/frames";

const room = (over: Partial<RoomSummary>): RoomSummary => ({
  id: "r",
  slug: "r",
  name: "r",
  kind: "public",
  lastSeq: 5,
  lastReadSeq: 5,
  mentioned: false,
  isDefault: false,
  ...over,
});

describe("attentionCount", () => {
  it("counts rooms with an unread mention and DMs with unread messages, once each", () => {
    expect(
      attentionCount([
        room({ id: "a", lastReadSeq: 2, mentioned: true }),
        room({ id: "b", kind: "dm", lastReadSeq: 1 }),
        // Unread but no mention: a room a notification would not be about.
        room({ id: "c", lastReadSeq: 0 }),
        // Read DM.
        room({ id: "d", kind: "dm" }),
      ]),
    ).toBe(2);
  });

  it("leaves muted rooms out, mentioned or DM", () => {
    const muted = { level: null, muted: true };
    expect(
      attentionCount([
        room({ lastReadSeq: 2, mentioned: true, notify: muted }),
        room({ kind: "dm", lastReadSeq: 1, notify: muted }),
      ]),
    ).toBe(0);
  });

  it("does not count a mention whose messages are all read or thread-only", () => {
    expect(attentionCount([room({ mentioned: true })])).toBe(0);
    expect(attentionCount([room({ lastReadSeq: 4, mentioned: true, threadOnlySeqs: [5] })])).toBe(
      0,
    );
  });
});

describe("titleWithCount", () => {
  it("puts the count in front, replacing an old one, and drops it at zero", () => {
    expect(titleWithCount("Parley", 1)).toBe("(1) Parley");
    expect(titleWithCount("(1) general · Parley", 3)).toBe("(3) general · Parley");
    expect(titleWithCount("(3) Parley", 0)).toBe("Parley");
    expect(baseTitle("(12) Saved messages · Parley")).toBe("Saved messages · Parley");
    // A room really called "(2) x" keeps its name once the count is gone: only one prefix is ours.
    expect(titleWithCount("(1) (2) x · Parley", 0)).toBe("(2) x · Parley");
  });
});

describe("faviconHref", () => {
  it("adds a dot only when something wants attention", () => {
    expect(faviconHref(false)).not.toContain("e11d48");
    expect(faviconHref(true)).toContain("e11d48");
    expect(faviconHref(true).startsWith("data:image/svg+xml,")).toBe(true);
  });
});
