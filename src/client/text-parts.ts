import { mentionSpans, ROOM_WIDE_MENTIONS } from "../core/mentions";
import { splitLinks } from "./messages";

export type RichPart =
  | { kind: "text"; text: string }
  | { kind: "link"; href: string }
  | { kind: "mention"; text: string; self: boolean };

/**
 * Splits plain text into text and `@handle` mentions. Only a mention that
 * resolves is one: a handle in `handles` (the room's members) or a
 * room-wide @here/@channel/@all; anything else stays text. `me` (the
 * reader's handle) marks mentions of the reader (`self`).
 */
export function splitMentions(
  text: string,
  me: string | null,
  handles: ReadonlySet<string> = new Set(),
): RichPart[] {
  const parts: RichPart[] = [];
  const mine = me?.toLowerCase() ?? null;
  let last = 0;
  for (const { start, name } of mentionSpans(text)) {
    const lower = name.toLowerCase();
    const wide = ROOM_WIDE_MENTIONS.has(lower);
    if (!wide && !handles.has(lower)) continue;
    if (start > last) parts.push({ kind: "text", text: text.slice(last, start) });
    // @here, @channel and @all are about the reader too.
    parts.push({ kind: "mention", text: `@${name}`, self: wide || lower === mine });
    last = start + 1 + name.length;
  }
  if (last < text.length) parts.push({ kind: "text", text: text.slice(last) });
  return parts;
}

/** Message text as links, mentions and plain text: never markup. */
export function splitRich(
  text: string,
  me: string | null,
  handles: ReadonlySet<string> = new Set(),
): RichPart[] {
  return splitLinks(text).flatMap((part) =>
    part.kind === "link" ? [part] : splitMentions(part.text, me, handles),
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
