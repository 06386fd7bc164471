export type TextPart = { kind: "text"; text: string } | { kind: "link"; href: string };

const urlPattern = /\bhttps?:\/\/[^\s<>"']+/gi;

/** Splits message text into plain text and http(s) links; nothing else becomes a link. */
export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(urlPattern)) {
    // Trailing punctuation usually ends the sentence, not the URL.
    const href = match[0].replace(/[.,;:!?)\]]+$/, "");
    const start = match.index ?? 0;
    if (start > last) parts.push({ kind: "text", text: text.slice(last, start) });
    parts.push({ kind: "link", href });
    last = start + href.length;
  }
  if (last < text.length) parts.push({ kind: "text", text: text.slice(last) });
  return parts;
}
