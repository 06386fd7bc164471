import { describe, expect, it } from "vitest";
import {
  checkDisplayName,
  DISPLAY_NAME_MAX,
  forbiddenCharacter,
  graphemeLength,
} from "../../src/core/names";

describe("checkDisplayName", () => {
  it("trims, collapses whitespace and applies NFKC", () => {
    expect(checkDisplayName("  Dana   Okafor ")).toEqual({ ok: true, name: "Dana Okafor" });
    // U+FB01 (the "fi" ligature) becomes "fi" under NFKC.
    expect(checkDisplayName("\uFB01ona")).toEqual({ ok: true, name: "fiona" });
  });

  it("refuses what is not text", () => {
    for (const input of [123, null, undefined, { name: "x" }, ["x"]]) {
      expect(checkDisplayName(input).ok).toBe(false);
    }
  });

  it("refuses empty and whitespace-only names", () => {
    expect(checkDisplayName("").ok).toBe(false);
    expect(checkDisplayName(" \t\n ").ok).toBe(false);
  });

  it("refuses control, bidi, zero-width and private-use characters", () => {
    for (const bad of ["a\u0000b", "a\u202Eb", "\u200Bx", "x\u2066y", "\uE000", "a\u2028b"]) {
      const result = checkDisplayName(bad);
      expect(result.ok, JSON.stringify(bad)).toBe(false);
    }
    expect(checkDisplayName("x\uD800").ok).toBe(false);
  });

  it("counts graphemes, not code units, and caps the total", () => {
    const emoji = "👍".repeat(DISPLAY_NAME_MAX);
    expect(checkDisplayName(emoji).ok).toBe(true);
    expect(checkDisplayName(`${emoji}👍`).ok).toBe(false);
    expect(checkDisplayName("a".repeat(1_000_000)).ok).toBe(false);
    // 10 graphemes carrying 40 combining marks each: few characters, many units.
    expect(checkDisplayName("e\u0301\u0302\u0303\u0304".repeat(10)).ok).toBe(true);
    expect(checkDisplayName(`e${"\u0301".repeat(400)}`).ok).toBe(false);
  });
});

describe("forbiddenCharacter and graphemeLength", () => {
  it("names the offending code point", () => {
    expect(forbiddenCharacter("ok")).toBeNull();
    expect(forbiddenCharacter("a\u202Eb")).toBe("U+202E");
  });
  it("counts what a person sees", () => {
    expect(graphemeLength("👍🏽é")).toBe(2);
  });
});
