import { describe, expect, it } from "vitest";
import { checkRoomName, roomTopic, slugify } from "../../src/core/rooms";

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

  it("names a topic per room", () => {
    expect(roomTopic("abc")).toBe("room:abc");
  });
});
