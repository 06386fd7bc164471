/**
 * The composer's @ autocomplete, as pure rules: which `@word` the caret is
 * in, which members (and room-wide mentions) it suggests, and the text
 * after picking one.
 */

/** A suggestion: `label` is its exact accessible name ("Dana Lee @dana.lee"). */
export type MentionOption = { key: string; handle: string; name: string; label: string };

/** The room-wide mentions (threads issue), named for people. */
const ROOM_WIDE: readonly { handle: string; name: string }[] = [
  { handle: "here", name: "Everyone online" },
  { handle: "channel", name: "Everyone in the room" },
  { handle: "all", name: "Everyone in the room" },
];

export const MAX_SUGGESTIONS = 8;

const WORD = /[\p{L}\p{N}_.-]/u;
const GLUE = /[\p{L}\p{N}_@]/u;

/**
 * The `@query` the caret ends: its `@`'s index and what follows it up to
 * the caret, or null (no `@`, or an `@` glued to a word, as in an email).
 */
export function mentionQueryAt(
  text: string,
  caret: number,
): { start: number; query: string } | null {
  let at = caret;
  while (at > 0 && WORD.test(text[at - 1] ?? "")) at--;
  if (text[at - 1] !== "@") return null;
  const start = at - 1;
  if (start > 0 && GLUE.test(text[start - 1] ?? "")) return null;
  const query = text.slice(at, caret);
  return query.length > 32 ? null : { start, query };
}

/**
 * Members whose handle or a word of whose name starts with the query
 * (handle matches first), then the room-wide ones that match; at most
 * MAX_SUGGESTIONS. The author is left out: one does not mention oneself.
 */
export function mentionOptions(
  query: string,
  members: readonly { id: string; name: string; handle?: string }[],
  meId?: string,
): MentionOption[] {
  const q = query.toLowerCase();
  const byHandle: MentionOption[] = [];
  const byName: MentionOption[] = [];
  for (const m of members) {
    if (!m.handle || m.id === meId) continue;
    const option = { key: m.id, handle: m.handle, name: m.name, label: `${m.name} @${m.handle}` };
    if (m.handle.startsWith(q)) byHandle.push(option);
    else if (
      m.name
        .toLowerCase()
        .split(/\s+/)
        .some((word) => word.startsWith(q))
    )
      byName.push(option);
  }
  const wide = ROOM_WIDE.filter((r) => r.handle.startsWith(q)).map((r) => ({
    key: `@${r.handle}`,
    handle: r.handle,
    name: r.name,
    label: `${r.name} @${r.handle}`,
  }));
  return [...byHandle, ...byName, ...wide].slice(0, MAX_SUGGESTIONS);
}

/** The text with `@query` (from `start` to the caret) replaced by `@handle `, and the new caret. */
export function pickMention(
  text: string,
  start: number,
  caret: number,
  handle: string,
): { text: string; caret: number } {
  const inserted = `@${handle} `;
  const rest = text.slice(caret).replace(/^ /, "");
  return { text: text.slice(0, start) + inserted + rest, caret: start + inserted.length };
}
