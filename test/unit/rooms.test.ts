import { describe, expect, it } from "vitest";
import { checkRoomName, privateSlug, roomSkeleton, slugify } from "../../src/core/rooms";
import { nameWithTag, userTag } from "../../src/core/user-tag";

describe("slugify", () => {
  it("lower-cases and joins words with single dashes", () => {
    expect(slugify("Design Review")).toBe("design-review");
    expect(slugify("  Q3 -- planning!! ")).toBe("q3-planning");
  });

  it("drops accents and caps the length at 40", () => {
    expect(slugify("Café Crème")).toBe("cafe-creme");
    expect(slugify("a".repeat(80))).toHaveLength(40);
  });
});

describe("checkRoomName", () => {
  it("accepts a normal name and collapses whitespace", () => {
    expect(checkRoomName("  Design   Review ")).toEqual({
      ok: true,
      name: "Design Review",
      slug: "design-review",
      skeleton: "designreview",
    });
  });

  it("refuses empty, over-long and slug-less names with a message", () => {
    expect(checkRoomName("   ")).toMatchObject({ ok: false, error: "Enter a room name." });
    expect(checkRoomName("x".repeat(61))).toMatchObject({ ok: false });
    expect(checkRoomName("!!!")).toMatchObject({
      ok: false,
      error: "Use at least one letter or digit.",
    });
  });
});

describe("room names that look like others (issue 18, F-12)", () => {
  it("gives look-alikes one skeleton: Cyrillic and Greek letters, case, spacing, marks", () => {
    const general = roomSkeleton("general");
    expect(general).toBe("general");
    for (const lookalike of [
      "g\u0435neral", // Cyrillic е
      "G\u0415NERAL", // Cyrillic Е
      "\u0261eneral", // Latin script ɡ
      "gen\u0435r\u0430l", // Cyrillic е and а
      "GΕΝΕRΑL", // Greek capitals
      "ｇｅｎｅｒａｌ", // full width
      "g e n e r a l",
      "génèral",
      "genera1",
    ]) {
      expect(roomSkeleton(lookalike), lookalike).toBe(general);
    }
    expect(roomSkeleton("modern")).toBe(roomSkeleton("modem"));
    expect(roomSkeleton("design")).not.toBe(roomSkeleton("resign"));
    expect(roomSkeleton("generals")).not.toBe(general);
  });

  it("refuses control, bidi and zero-width characters, naming the code point", () => {
    for (const [name, code] of [
      ["\u202Elareneg", "U+202E"],
      ["gen\u200Beral", "U+200B"],
      ["a\u0000b", "U+0000"],
      ["a\u2028b", "U+2028"],
      ["\u2066general\u2069", "U+2066"],
    ]) {
      const checked = checkRoomName(String(name));
      expect(checked, name).toMatchObject({ ok: false });
      if (!checked.ok) expect(checked.error).toContain(`(${code})`);
    }
    expect(checkRoomName("a\ud800b")).toMatchObject({ ok: false });
  });

  it("stores names in NFKC and counts characters as people see them", () => {
    expect(checkRoomName("ｐｌａｎｓ")).toMatchObject({ ok: true, name: "plans", slug: "plans" });
    expect(checkRoomName(`a${"👍".repeat(59)}`)).toMatchObject({ ok: true });
    expect(checkRoomName(`a${"👍".repeat(60)}`)).toMatchObject({
      ok: false,
      error: "Room names are at most 60 characters.",
    });
    expect(checkRoomName("é".repeat(60))).toMatchObject({ ok: true });
    expect(checkRoomName("e\u0301".repeat(60))).toMatchObject({ ok: true });
    expect(checkRoomName(`a${"\u0301".repeat(300)}`)).toMatchObject({ ok: false });
  });

  it("keeps the dm- slugs for direct messages", () => {
    for (const name of ["dm-abcdef12", "DM abc", "dm", "Dm!"]) {
      expect(checkRoomName(name), name).toMatchObject({
        ok: false,
        error: 'Room names starting with "dm" are kept for direct messages.',
      });
    }
    expect(checkRoomName("dms and more")).toMatchObject({ ok: true, slug: "dms-and-more" });
  });

  it("private slugs can never equal a typed name's slug", () => {
    expect(privateSlug("alice-secret", "x7k2p9q1")).toBe("alice-secret--x7k2p9q1");
    for (const typed of ["alice secret--x7k2p9q1", "alice-secret x7k2p9q1", "alice--secret"]) {
      expect(slugify(typed)).not.toContain("--");
    }
  });
});

describe("userTag", () => {
  it("is four hex digits, stable, and differs between ids", () => {
    expect(userTag("abc")).toMatch(/^[0-9a-f]{4}$/);
    expect(userTag("abc")).toBe(userTag("abc"));
    const tags = new Set(Array.from({ length: 200 }, (_, i) => userTag(`user-${i}`)));
    expect(tags.size).toBeGreaterThan(190);
    expect(nameWithTag({ id: "abc", name: "Dana" })).toBe(`Dana #${userTag("abc")}`);
  });
});
