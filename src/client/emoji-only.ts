import { isReactionEmoji } from "../protocol/reaction-emoji";

/** At most this many emoji make a message "emoji only" (shown larger). */
export const MAX_BIG_EMOJI = 3;

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * Whether a message is 1 to 3 emoji and nothing else (spaces between them
 * allowed). Each must be a whole RGI emoji, so "1", "©" without its emoji
 * form, or text with an emoji in it stay normal size.
 */
export function isEmojiOnly(text: string): boolean {
  const units = [...graphemes.segment(text)]
    .map((part) => part.segment)
    .filter((segment) => segment.trim() !== "");
  return units.length >= 1 && units.length <= MAX_BIG_EMOJI && units.every(isReactionEmoji);
}
