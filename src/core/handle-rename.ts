import { mentionSpans } from "./mentions";

/**
 * A text with every `@from` mention (any case) written as `@to`: what a
 * handle change does to the messages that mention the person, so an old
 * mention keeps naming them (and paints) after they take a new handle, and
 * never passes to whoever takes the old one later. `@from.` or `@from,` keep
 * their punctuation; `@fromage` and `x@from` are left alone, as mentionSpans
 * reads them.
 */
export function renameMentions(text: string, from: string, to: string): string {
  const wanted = from.toLowerCase();
  let out = "";
  let last = 0;
  for (const { start, name } of mentionSpans(text)) {
    if (name.toLowerCase() !== wanted) continue;
    out += `${text.slice(last, start)}@${to}`;
    last = start + 1 + name.length;
  }
  return out + text.slice(last);
}
