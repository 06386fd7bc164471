/**
 * An avatar's initials and colour, derived from the user (pure). Every
 * background takes white text at 4.5:1 or more; the theme palette keeps
 * that ratio in dark mode (it swaps both colours), so no pair needs a dark twin.
 */
export const AVATAR_COLOURS = [
  "bg-indigo-600",
  "bg-emerald-700",
  "bg-rose-700",
  "bg-amber-700",
  "bg-red-800",
  "bg-slate-600",
  "bg-indigo-800",
  "bg-emerald-900",
] as const;

/** The same colour for a user on every device and every render: a hash of the id. */
export function avatarColour(userId: string): (typeof AVATAR_COLOURS)[number] {
  let hash = 2166136261;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return AVATAR_COLOURS[(hash >>> 0) % AVATAR_COLOURS.length] ?? AVATAR_COLOURS[0];
}

/** "Ada Lovelace" → "AL", "bo" → "B", "  " → "?": first letters of the first and last words. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/u).filter(Boolean);
  const first = words[0];
  if (!first) return "?";
  const letter = (word: string) => [...word][0]?.toLocaleUpperCase() ?? "";
  const last = words.length > 1 ? words[words.length - 1] : undefined;
  return letter(first) + (last ? letter(last) : "");
}
