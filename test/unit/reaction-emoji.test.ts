import data from "emojibase-data/en/compact.json" with { type: "json" };
import { describe, expect, it } from "vitest";
import { decodeClientFrame } from "../../src/protocol/decode";
import { REACTIONS } from "../../src/protocol/frames";
import {
  type CompactEmoji,
  datasetEmoji,
  isReactionEmoji,
  MAX_REACTION_UNITS,
  pickerEmojiFrom,
  rgiSpelling,
} from "../../src/protocol/reaction-emoji";

const dataset = data as readonly CompactEmoji[];
const offered = datasetEmoji(dataset);
const offeredSet = new Set(offered);

/** A react frame's decode result for `emoji`. */
const decodeReact = (emoji: unknown) =>
  decodeClientFrame(
    JSON.stringify({ type: "react", roomId: "r", messageId: "m", emoji, ref: "x" }),
  );

describe("reaction emoji: the picker and the server agree", () => {
  it("accepts every emoji and skin tone the picker offers, each one grapheme", () => {
    expect(offered.length).toBeGreaterThan(3_900);
    expect(offeredSet.size).toBe(offered.length);
    const refused = offered.filter((emoji) => !isReactionEmoji(emoji));
    expect(refused).toEqual([]);
    for (const emoji of REACTIONS) expect(offeredSet.has(emoji), emoji).toBe(true);
    expect(Math.max(...offered.map((e) => e.length))).toBeLessThanOrEqual(MAX_REACTION_UNITS);
  });

  it("accepts nothing the picker does not offer, among every single code point, its emoji and text styles, tones, keycaps and flag pairs", () => {
    const suffixes = ["", "\uFE0F", "\uFE0E", "🏻", "🏽", "🏿", "\uFE0F\u20E3", "\u20E3"];
    // Every RGI emoji starts with an Emoji=Yes code point: only those can start one.
    const canStart = /^\p{Emoji}$/u;
    const extra: string[] = [];
    for (let cp = 0x20; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const char = String.fromCodePoint(cp);
      if (!canStart.test(char)) continue;
      for (const suffix of suffixes) {
        const text = char + suffix;
        if (isReactionEmoji(text) && !offeredSet.has(text)) extra.push(text);
      }
    }
    for (let a = 0x1f1e6; a <= 0x1f1ff; a++) {
      for (let b = 0x1f1e6; b <= 0x1f1ff; b++) {
        const flag = String.fromCodePoint(a, b);
        if (isReactionEmoji(flag) && !offeredSet.has(flag)) extra.push(flag);
      }
    }
    expect(extra).toEqual([]);
  });

  it("writes emoji in their RGI spelling (no U+FE0F after an emoji-by-default)", () => {
    expect(rgiSpelling("😐\uFE0F")).toBe("😐");
    expect(rgiSpelling("❤\uFE0F")).toBe("❤\uFE0F");
    expect(rgiSpelling("☺\uFE0F")).toBe("☺\uFE0F");
    expect(rgiSpelling("👍")).toBe("👍");
  });

  it("offers only dataset emoji, each in five uniform skin tones where it has them", () => {
    const picker = pickerEmojiFrom(dataset);
    const thumbs = picker.find((item) => item.label === "thumbs up");
    expect(thumbs?.emoji).toBe("👍");
    expect(thumbs?.tags).toContain("+1");
    expect(thumbs?.skins).toEqual(["👍🏻", "👍🏼", "👍🏽", "👍🏾", "👍🏿"]);
    expect(picker.some((item) => item.label.startsWith("regional indicator"))).toBe(false);
    expect(picker.some((item) => item.emoji === "🏽")).toBe(false);
    // Two people, one tone each: the uniform variants are the tone choice.
    const holding = picker.find((item) => item.label === "people holding hands");
    expect(holding?.skins?.[0]).toBe("🧑🏻‍🤝‍🧑🏻");
    for (const item of picker) {
      for (const emoji of [item.emoji, ...(item.skins ?? [])]) {
        expect(offeredSet.has(emoji), emoji).toBe(true);
      }
    }
  });
});

describe("reaction emoji: what is refused", () => {
  const refused: [string, string][] = [
    ["", "empty"],
    ["ok", "text"],
    [":+1:", "a shortcode"],
    ["👍👍", "two emoji"],
    ["👍 ", "an emoji and a space"],
    ["a👍", "text and an emoji"],
    ["🏽", "a lone skin tone"],
    ["🦰", "a lone hair style"],
    ["🇦", "a lone regional indicator"],
    ["🇦🇦", "a flag pair that is no country"],
    ["❤", "an unqualified heart (the picker sends ❤️)"],
    ["1⃣", "an unqualified keycap"],
    ["👍\u200D👍", "a made-up ZWJ sequence"],
    ["\u{E0001}", "a tag character"],
    ["\u{10FFFD}", "a private-use code point"],
    ["😀".repeat(20), "far too long"],
  ];
  for (const [text, why] of refused) {
    it(`refuses ${why}`, () => {
      expect(isReactionEmoji(text)).toBe(false);
      const decoded = decodeReact(text);
      expect(decoded.ok).toBe(false);
      if (!decoded.ok) {
        expect(decoded.code).toBe("bad_frame");
        expect(decoded.message).toMatch(/^emoji: /);
        expect(decoded.ref).toBe("x");
      }
    });
  }

  it("refuses a non-string emoji", () => {
    for (const value of [1, null, ["👍"], { emoji: "👍" }])
      expect(decodeReact(value).ok).toBe(false);
  });

  it("accepts skin tones, ZWJ families, flags, subdivision flags and keycaps", () => {
    for (const emoji of ["👍🏽", "👩🏻‍❤️‍💋‍👨🏼", "🇫🇷", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "1️⃣", "❤️‍🔥", "🫠"]) {
      expect(isReactionEmoji(emoji), emoji).toBe(true);
      expect(decodeReact(emoji).ok, emoji).toBe(true);
    }
  });
});
