import type { PickerEmoji } from "../protocol/reaction-emoji";

/**
 * How well an emoji matches the query's words (lower is better), or null:
 * the emoji itself, then its whole name, a name starting with the query,
 * every word starting a word of the name, every word starting a tag.
 */
function rank(item: PickerEmoji, query: string, words: string[]): number | null {
  if (item.emoji === query) return 0;
  const label = item.label.toLowerCase();
  if (label === query) return 1;
  if (label.startsWith(query)) return 2;
  const labelWords = label.split(/[\s:,-]+/);
  if (words.every((word) => labelWords.some((w) => w.startsWith(word)))) return 3;
  if (words.every((word) => item.tags.some((tag) => tag.startsWith(word)))) return 4;
  return null;
}

/**
 * The emoji a search shows, best matches first and in catalog order among
 * equals, at most `limit`; an empty query shows the first `limit`.
 * `:rocket:` works like `rocket`.
 */
export function searchEmoji(
  catalog: readonly PickerEmoji[],
  query: string,
  limit: number,
): PickerEmoji[] {
  const q = query.trim().toLowerCase().replace(/^:|:$/g, "");
  if (!q) return catalog.slice(0, limit);
  const words = q.split(/\s+/);
  const ranked: { item: PickerEmoji; score: number; index: number }[] = [];
  catalog.forEach((item, index) => {
    const score = rank(item, q, words);
    if (score !== null) ranked.push({ item, score, index });
  });
  ranked.sort((a, b) => a.score - b.score || a.index - b.index);
  return ranked.slice(0, limit).map((entry) => entry.item);
}

export const SKIN_TONES = ["Default", "Light", "Medium-light", "Medium", "Medium-dark", "Dark"];

/** The emoji in the chosen skin tone (0: default; 1 to 5 light to dark) when it has tones. */
export function inTone(item: PickerEmoji, tone: number): string {
  return (tone > 0 && item.skins?.[tone - 1]) || item.emoji;
}
