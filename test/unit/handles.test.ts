import { describe, expect, it } from "vitest";
import {
  checkHandle,
  FALLBACK_HANDLE,
  firstFreeHandle,
  HANDLE_MAX,
  normalizeHandle,
  suggestHandle,
  withSuffix,
} from "../../src/core/handles";
import { mentionSpans, resolveMentions, unresolvedMentions } from "../../src/core/mentions";
import { rewritten } from "../../src/server/storage/migrations/0011_handles";

describe("handle rules", () => {
  it.each([
    ["dana", "dana"],
    ["  @Dana.Lee ", "dana.lee"],
    ["x_y-z.9", "x_y-z.9"],
    ["ab", "ab"],
    ["a".repeat(HANDLE_MAX), "a".repeat(HANDLE_MAX)],
  ])("accepts %j as %j", (input, stored) => {
    expect(checkHandle(input)).toEqual({ ok: true, handle: stored });
  });

  it.each([
    ["", "Enter a handle."],
    ["@", "Enter a handle."],
    ["a", "Handles are 2 to 32 characters."],
    ["a".repeat(HANDLE_MAX + 1), "Handles are 2 to 32 characters."],
    ["dana lee", "Handles use only letters a-z, digits, dots, dashes and underscores."],
    ["zoë", "Handles use only letters a-z, digits, dots, dashes and underscores."],
    ["da@na", "Handles use only letters a-z, digits, dots, dashes and underscores."],
    ["..", "Handles need at least one letter or digit."],
  ])("refuses %j: %s", (input, error) => {
    expect(checkHandle(input)).toEqual({ ok: false, error });
  });

  it("refuses what is not text", () => {
    expect(checkHandle(42)).toEqual({ ok: false, error: "Handles are text." });
    expect(checkHandle(undefined).ok).toBe(false);
  });

  it("normalises case, space and a leading @", () => {
    expect(normalizeHandle(" @BoB ")).toBe("bob");
  });
});

describe("handle suggestions", () => {
  it.each([
    ["Dana", "dana"],
    ["Bob Okafor", "bob.okafor"],
    ["Zoë O'Brien", "zoe.obrien"],
    ["  Ann   Lee-Smith ", "ann.lee.smith"],
    ["李", FALLBACK_HANDLE],
    ["X", FALLBACK_HANDLE],
    ["🙂", FALLBACK_HANDLE],
  ])("%j suggests %j", (name, handle) => {
    expect(suggestHandle(name)).toBe(handle);
    expect(checkHandle(suggestHandle(name)).ok).toBe(true);
  });

  it("cuts a long name to a valid handle", () => {
    const handle = suggestHandle("Maximilian Alexander Worthington Smythe");
    expect(handle.length).toBeLessThanOrEqual(HANDLE_MAX);
    expect(handle.endsWith(".")).toBe(false);
    expect(checkHandle(handle)).toEqual({ ok: true, handle });
  });

  it("adds the first free number, staying within the length", () => {
    const taken = new Set(["dana", "dana2"]);
    expect(firstFreeHandle("dana", (h) => taken.has(h))).toBe("dana3");
    expect(firstFreeHandle("eve", (h) => taken.has(h))).toBe("eve");
    expect(withSuffix("a".repeat(HANDLE_MAX), 12)).toBe(`${"a".repeat(HANDLE_MAX - 2)}12`);
  });
});

describe("mentions by handle", () => {
  const members = [
    { id: "1", name: "Ann Lee", handle: "ann.lee" },
    { id: "2", name: "Bob", handle: "bob" },
    { id: "3", name: "Bob", handle: "bob2" },
  ];

  it("matches any case, and punctuation after the handle ends it", () => {
    expect(resolveMentions("thanks @Bob2, and @ANN.LEE.", members)).toEqual(["1", "3"]);
    expect(resolveMentions("(@bob)!", members)).toEqual(["2"]);
    expect(resolveMentions("@bob-", members)).toEqual(["2"]);
  });

  it("never takes an email or a doubled @ for a mention", () => {
    expect(resolveMentions("write to bob@example.com or @@bob", members)).toEqual([]);
    expect(mentionSpans("bob@example.com")).toEqual([]);
  });

  it("tells which handles name nobody in the room (not room-wide ones, not non-handles)", () => {
    expect(unresolvedMentions("@bob @Carol @here @all @x @zoë @carol", members)).toEqual(["carol"]);
    expect(unresolvedMentions("no mention", members)).toEqual([]);
  });
});

describe("migration 0011: old mentions", () => {
  it("rewrites @NameWithoutSpaces to the member's handle, leaving the rest", () => {
    const keys = new Map([
      ["bobokafor", "bob.okafor"],
      ["ann", "ann2"],
    ]);
    expect(rewritten("hi @BobOkafor, and @Ann. not @carol or ann@x.org", keys)).toBe(
      "hi @bob.okafor, and @ann2. not @carol or ann@x.org",
    );
  });

  it("leaves a key that named two members (blank) alone", () => {
    expect(rewritten("@dana", new Map([["dana", ""]]))).toBe("@dana");
  });
});
