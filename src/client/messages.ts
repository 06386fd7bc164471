import type { WireMessage } from "../protocol/frames";

/**
 * Merges messages into a seq-ordered list with no duplicates. Live frames,
 * acks and history pages can arrive in any order; the log is always sorted
 * by seq and holds each seq once.
 */
export function mergeBySeq(current: readonly WireMessage[], incoming: readonly WireMessage[]) {
  if (incoming.length === 0) return current as WireMessage[];
  const bySeq = new Map<number, WireMessage>();
  for (const message of current) bySeq.set(message.seq, message);
  let changed = false;
  for (const message of incoming) {
    if (!bySeq.has(message.seq)) {
      bySeq.set(message.seq, message);
      changed = true;
    }
  }
  if (!changed) return current as WireMessage[];
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

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
