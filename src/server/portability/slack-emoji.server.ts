import { createRequire } from "node:module";
import { isReactionEmoji, rgiSpelling } from "../../protocol/reaction-emoji";

type Compact = { hexcode: string; unicode: string };

let byName: Map<string, string> | undefined;

/**
 * Slack names reactions by shortcode ("thumbsup", "+1"); its set is
 * iamcal's emoji-data, which emojibase-data ships as the `iamcal`
 * shortcodes. Built on first use: only the Slack import needs it.
 */
function names(): Map<string, string> {
  if (byName) return byName;
  const require = createRequire(import.meta.url);
  const codes = require("emojibase-data/en/shortcodes/iamcal.json") as Record<
    string,
    string | string[]
  >;
  const compact = require("emojibase-data/en/compact.json") as Compact[];
  const unicodeOf = new Map(compact.map((e) => [e.hexcode, e.unicode]));
  byName = new Map();
  for (const [hexcode, shortcodes] of Object.entries(codes)) {
    const unicode = unicodeOf.get(hexcode);
    if (!unicode) continue;
    for (const name of Array.isArray(shortcodes) ? shortcodes : [shortcodes]) {
      byName.set(name, rgiSpelling(unicode));
    }
  }
  return byName;
}

/** The emoji a Slack reaction name stands for, or undefined (a custom emoji, or none Parley accepts). */
export function emojiOfSlackName(name: string): string | undefined {
  const emoji = names().get(name);
  return emoji && isReactionEmoji(emoji) ? emoji : undefined;
}
