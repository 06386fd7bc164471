import { mentionHandle, ROOM_WIDE_MENTIONS } from "../core/mentions";
import { splitLinks } from "./messages";

export type RichPart =
  | { kind: "text"; text: string }
  | { kind: "link"; href: string }
  | { kind: "mention"; text: string; self: boolean };

// Same rule as core/mentions.ts (which does not export its pattern): an `@`
// not glued to a word, then a name; trailing dots and dashes end the sentence.
const mentionPattern = /(^|[^\p{L}\p{N}_@])@([\p{L}\p{N}_.-]{1,64})/gu;

/** Splits plain text into text and `@name` mentions; `self` marks mentions of `me`. */
export function splitMentions(text: string, me: string | null): RichPart[] {
  const parts: RichPart[] = [];
  const myHandle = me ? mentionHandle(me) : null;
  let last = 0;
  for (const match of text.matchAll(mentionPattern)) {
    const name = (match[2] ?? "").replace(/[.-]+$/, "");
    if (!name) continue;
    const start = (match.index ?? 0) + (match[1] ?? "").length;
    if (start > last) parts.push({ kind: "text", text: text.slice(last, start) });
    const lower = name.toLowerCase();
    // @here, @channel and @all are about the reader too.
    const self = lower === myHandle || ROOM_WIDE_MENTIONS.has(lower);
    parts.push({ kind: "mention", text: `@${name}`, self });
    last = start + 1 + name.length;
  }
  if (last < text.length) parts.push({ kind: "text", text: text.slice(last) });
  return parts;
}

/** Message text as links, mentions and plain text: never markup. */
export function splitRich(text: string, me: string | null): RichPart[] {
  return splitLinks(text).flatMap((part) =>
    part.kind === "link" ? [part] : splitMentions(part.text, me),
  );
}

export type MatchPart = { text: string; match: boolean };

/** Marks the words of a search query in a result snippet (case-insensitive, prefixes). */
export function highlightTerms(text: string, query: string): MatchPart[] {
  const words = query.normalize("NFKC").match(/[\p{L}\p{N}_]+/gu) ?? [];
  if (words.length === 0) return [{ text, match: false }];
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const pattern = new RegExp(escaped.join("|"), "giu");
  const parts: MatchPart[] = [];
  let last = 0;
  for (const found of text.matchAll(pattern)) {
    const start = found.index ?? 0;
    if (start > last) parts.push({ text: text.slice(last, start), match: false });
    parts.push({ text: found[0], match: true });
    last = start + found[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), match: false });
  return parts;
}

/** A one-line excerpt of a message for lists (search results). */
export function snippet(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
