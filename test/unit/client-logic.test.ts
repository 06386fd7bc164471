import { describe, expect, it } from "vitest";
import { backoffDelay } from "../../src/client/backoff";
import { splitLinks } from "../../src/client/messages";

describe("backoffDelay", () => {
  it("grows exponentially up to the cap, with full jitter", () => {
    expect(backoffDelay(0, () => 0.999)).toBe(499);
    expect(backoffDelay(3, () => 0.999)).toBe(3996);
    expect(backoffDelay(30, () => 0.999)).toBe(9990);
    expect(backoffDelay(5, () => 0)).toBe(0);
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
