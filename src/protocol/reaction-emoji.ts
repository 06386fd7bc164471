import { graphemeLength } from "./text-length";

/**
 * Reactions: any one emoji of Unicode's recommended set (RGI, Emoji 17.0 as
 * the Node 24 this server pins knows it), skin tones included, except the
 * components that only make sense inside another emoji (skin tone swatches,
 * hair styles). The picker offers emojibase-data 17, normalised by
 * `pickerEmojiFrom`; test/unit/reaction-emoji.test.ts proves it offers
 * exactly what `isReactionEmoji` accepts.
 */

/** The longest RGI emoji is 15 UTF-16 code units (a kiss with two skin tones); room to spare. */
export const MAX_REACTION_UNITS = 32;

// Emoji 17.0's components: skin tone modifiers and hair styles.
const COMPONENTS = new Set(["🏻", "🏼", "🏽", "🏾", "🏿", "🦰", "🦱", "🦳", "🦲"]);

let rgi: RegExp | null | undefined;
/**
 * `\p{RGI_Emoji}` needs the `v` flag (ES2024). Built on first use, not as a
 * literal, so a browser without it still parses the bundle that shares this
 * module; only the server validates with it.
 */
function rgiPattern(): RegExp | null {
  if (rgi === undefined) {
    try {
      // biome-ignore lint/complexity/useRegexLiterals: a literal would be a parse error where `v` is unknown
      rgi = new RegExp("^\\p{RGI_Emoji}$", "v");
    } catch {
      rgi = null;
    }
  }
  return rgi;
}

/** Whether `text` is exactly one emoji people may react with (see above). */
export function isReactionEmoji(text: string): boolean {
  if (text.length === 0 || text.length > MAX_REACTION_UNITS) return false;
  if (!rgiPattern()?.test(text)) return false;
  return !COMPONENTS.has(text) && graphemeLength(text) === 1;
}

/** One emoji as emojibase-data's compact dataset has it (the fields used here). */
export type CompactEmoji = {
  unicode: string;
  label: string;
  group?: number;
  order?: number;
  tags?: string[];
  skins?: { unicode: string; label: string }[];
};

/** An emoji the picker offers, with what a search looks at and its skin tone variants. */
export type PickerEmoji = {
  emoji: string;
  label: string;
  tags: string[];
  /** By tone 1 to 5 (light to dark), when the emoji has one-tone variants. */
  skins?: string[];
};

const COMPONENT_GROUP = 2;
const TONES = ["🏻", "🏼", "🏽", "🏾", "🏿"];

/** The skin tone (0 light to 4 dark) all of an emoji's people have, or -1 for none or mixed. */
function uniformTone(unicode: string): number {
  const found = new Set([...unicode].filter((point) => TONES.includes(point)));
  return found.size === 1 ? TONES.indexOf([...found][0] ?? "") : -1;
}
const EMOJI_PRESENTATION = /^\p{Emoji_Presentation}$/u;

/**
 * The RGI spelling of an emojibase string. Emojibase writes U+FE0F after
 * every emoji that also has a text style, even those that are emoji by
 * default (😐, ✋), where RGI has no U+FE0F; this drops it there. The
 * property is code-point level, known to every engine for these old emoji.
 */
export function rgiSpelling(unicode: string): string {
  const points = [...unicode];
  if (points.length === 2 && points[1] === "\uFE0F" && EMOJI_PRESENTATION.test(points[0] ?? "")) {
    return points[0] ?? unicode;
  }
  return unicode;
}

/**
 * The emoji the picker offers, in emojibase's order: every entry but the
 * components and the lone regional indicators (which have no group), in
 * RGI spelling, with the five variants in which every person has the same
 * skin tone (the picker's tone choice). Mixed-tone variants (🫱🏻‍🫲🏿) are in
 * the dataset and accepted, but the picker has no control for them.
 */
export function pickerEmojiFrom(data: readonly CompactEmoji[]): PickerEmoji[] {
  const offered: PickerEmoji[] = [];
  for (const entry of data) {
    if (entry.group === undefined || entry.group === COMPONENT_GROUP) continue;
    const item: PickerEmoji = {
      emoji: rgiSpelling(entry.unicode),
      label: entry.label,
      tags: entry.tags ?? [],
    };
    const byTone: string[] = [];
    for (const skin of entry.skins ?? []) {
      const tone = uniformTone(skin.unicode);
      if (tone >= 0) byTone[tone] = rgiSpelling(skin.unicode);
    }
    if (byTone.filter(Boolean).length === TONES.length) item.skins = byTone;
    offered.push(item);
  }
  return offered;
}

/** Every emoji of the dataset in RGI spelling, each skin variant too: what validation must accept. */
export function datasetEmoji(data: readonly CompactEmoji[]): string[] {
  const all: string[] = [];
  for (const entry of data) {
    if (entry.group === undefined || entry.group === COMPONENT_GROUP) continue;
    all.push(rgiSpelling(entry.unicode));
    for (const skin of entry.skins ?? []) all.push(rgiSpelling(skin.unicode));
  }
  return all;
}
