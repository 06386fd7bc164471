import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_LANDING,
  landingFor,
  safeNext,
  sessionEndedSearch,
} from "../../src/core/safe-next";

describe("safeNext: the ?next= target of sign-in and sign-up", () => {
  it("keeps same-origin paths with their search and hash", () => {
    expect(safeNext("/r/design")).toBe("/r/design");
    expect(safeNext("/r/design?m=42&t=abc")).toBe("/r/design?m=42&t=abc");
    expect(safeNext("/threads#top")).toBe("/threads#top");
    expect(safeNext("/")).toBe("/");
  });

  it("refuses other origins, protocol-relative and scheme targets", () => {
    for (const target of [
      "https://evil.example",
      "https://evil.example/r/general",
      "//evil.example",
      "//evil.example/r/general",
      "///evil.example",
      "javascript:alert(1)",
      "data:text/html,hi",
      "evil.example",
      "r/general",
      " /r/general",
    ]) {
      expect(safeNext(target), target).toBeNull();
    }
  });

  it("refuses backslashes and control characters that parsers turn into //", () => {
    for (const target of [
      "/\\evil.example",
      "/\\/evil.example",
      "/r/a\\b",
      "/\t/evil.example",
      "/\n/evil.example",
      "/r/general\u0000",
      "/r/\u007f",
    ]) {
      expect(safeNext(target), JSON.stringify(target)).toBeNull();
    }
  });

  it("refuses non-strings, empty and overlong values, and the auth pages", () => {
    expect(safeNext(undefined)).toBeNull();
    expect(safeNext(null)).toBeNull();
    expect(safeNext(42)).toBeNull();
    expect(safeNext(["/r/general"])).toBeNull();
    expect(safeNext("")).toBeNull();
    expect(safeNext(`/r/${"a".repeat(2_000)}`)).toBeNull();
    expect(safeNext("/sign-in")).toBeNull();
    expect(safeNext("/sign-up?next=/r/x")).toBeNull();
  });

  it("lands in the default room when the target is unsafe", () => {
    expect(landingFor("https://evil.example")).toBe(DEFAULT_LANDING);
    expect(landingFor("//evil.example")).toBe(DEFAULT_LANDING);
    expect(landingFor(undefined)).toBe(DEFAULT_LANDING);
    expect(landingFor("/r/design?m=3")).toBe("/r/design?m=3");
  });

  it("never lets a kept target leave the origin (any string)", () => {
    const base = "https://chat.example.test";
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (tail) => {
        for (const candidate of [tail, `/${tail}`, `//${tail}`, `/\\${tail}`]) {
          const kept = safeNext(candidate);
          if (kept === null) continue;
          expect(new URL(kept, base).origin).toBe(base);
          expect(kept.startsWith("/") && !kept.startsWith("//")).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("a tab whose session ended carries the page it was on, when safe", () => {
    expect(sessionEndedSearch("/r/design?m=abc")).toEqual({
      reason: "session-ended",
      next: "/r/design?m=abc",
    });
    expect(sessionEndedSearch("/saved")).toEqual({ reason: "session-ended", next: "/saved" });
    expect(sessionEndedSearch("//evil.example")).toEqual({ reason: "session-ended" });
    expect(sessionEndedSearch("/sign-in?reason=session-ended")).toEqual({
      reason: "session-ended",
    });
  });
});
