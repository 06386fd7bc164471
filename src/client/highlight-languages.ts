import type { Root } from "hast";
import { common, createLowlight } from "lowlight";

// highlight.js's "common" set (about 40 languages: the usual ones in chat).
// This module is only reached through a dynamic import (client/highlight.ts),
// so its grammars load the first time a code block names a language.
const lowlight = createLowlight(common);

/** Highlights code in a known language as a hast tree of spans; null when the language is unknown. */
export function highlightCode(language: string, code: string): Root | null {
  if (!lowlight.registered(language)) return null;
  return lowlight.highlight(language, code);
}
