import { describe, expect, it } from "vitest";
import { backoffDelay } from "../../src/client/backoff";
import { mergeBySeq, splitLinks } from "../../src/client/messages";
import type { WireMessage } from "../../src/protocol/frames";
import { wireMessage } from "../helpers/fixtures";

const msg = (seq: number): WireMessage => wireMessage(seq);

describe("backoffDelay", () => {
  it("grows exponentially up to the cap, with full jitter", () => {
    expect(backoffDelay(0, () => 0.999)).toBe(499);
    expect(backoffDelay(3, () => 0.999)).toBe(3996);
    expect(backoffDelay(30, () => 0.999)).toBe(9990);
    expect(backoffDelay(5, () => 0)).toBe(0);
  });
});

describe("mergeBySeq", () => {
  it("keeps seq order and drops duplicates whatever the arrival order", () => {
    const merged = mergeBySeq([msg(1), msg(3)], [msg(2), msg(3), msg(5), msg(4)]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it("returns the same array when nothing is new (no re-render)", () => {
    const current = [msg(1), msg(2)];
    expect(mergeBySeq(current, [msg(2)])).toBe(current);
    expect(mergeBySeq(current, [])).toBe(current);
  });
});

describe("splitLinks", () => {
  it("makes http and https URLs links, leaving trailing punctuation as text", () => {
    expect(splitLinks("see https://example.com/a?b=1. and http://x.io")).toEqual([
      { kind: "text", text: "see " },
      { kind: "link", href: "https://example.com/a?b=1" },
      { kind: "text", text: ". and " },
      { kind: "link", href: "http://x.io" },
    ]);
  });

  it("never links javascript: or other schemes", () => {
    for (const text of ["javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://x.io"]) {
      expect(splitLinks(text)).toEqual([{ kind: "text", text }]);
    }
  });

  it("does not pull markup into the href", () => {
    const parts = splitLinks('https://x.io/"onmouseover="alert(1)');
    expect(parts[0]).toEqual({ kind: "link", href: "https://x.io/" });
  });
});
