import { describe, expect, it } from "vitest";
import { catalog } from "../../src/client/emoji-catalog";
import { inTone, searchEmoji } from "../../src/client/emoji-search";

const emojiOf = (query: string, limit = 5) =>
  searchEmoji(catalog, query, limit).map((item) => item.emoji);

describe("the emoji picker's search", () => {
  it("shows the first emoji in catalog order for an empty query", () => {
    expect(emojiOf("", 3)).toEqual(["😀", "😃", "😄"]);
    expect(emojiOf("   ", 3)).toEqual(["😀", "😃", "😄"]);
  });

  it("finds by name, name prefix, any word of the name and tags, best first", () => {
    expect(emojiOf("rocket")[0]).toBe("🚀");
    expect(emojiOf(":rocket:")[0]).toBe("🚀");
    expect(emojiOf("thumbs up")[0]).toBe("👍");
    expect(emojiOf("+1")).toContain("👍");
    expect(emojiOf("party")).toContain("🎉");
    expect(emojiOf("HEART", 50)).toContain("❤️");
    // Every word must match: "red heart" is not every heart (🫀 is an anatomical red heart).
    expect(emojiOf("red heart")).toEqual(["❤️", "🫀"]);
  });

  it("finds an emoji pasted in, and nothing for gibberish", () => {
    expect(emojiOf("🚀")[0]).toBe("🚀");
    expect(emojiOf("qqzzxxv")).toEqual([]);
  });

  it("stops at the limit", () => {
    expect(searchEmoji(catalog, "face", 10)).toHaveLength(10);
  });

  it("applies a skin tone only where the emoji has tones", () => {
    const [thumbs] = searchEmoji(catalog, "thumbs up", 1);
    const [rocket] = searchEmoji(catalog, "rocket", 1);
    if (!thumbs || !rocket) throw new Error("catalog incomplete");
    expect(inTone(thumbs, 0)).toBe("👍");
    expect(inTone(thumbs, 3)).toBe("👍🏽");
    expect(inTone(thumbs, 5)).toBe("👍🏿");
    expect(inTone(rocket, 3)).toBe("🚀");
  });
});
