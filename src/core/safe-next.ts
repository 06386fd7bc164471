/** Where sign-in and sign-up land when no (safe) target was carried. */
export const DEFAULT_LANDING = "/r/general";

/** A target longer than this is refused (no real page address is this long). */
const MAX_NEXT_CHARS = 2_000;

/** An origin no real address has: a target that leaves it is not same-origin. */
const PROBE_ORIGIN = "https://parley.invalid";

/**
 * The `?next=` target of the auth pages, when it is safe to follow: a
 * same-origin path that starts with one "/" (not "//", which browsers read
 * as another host). A backslash or a control character anywhere is refused
 * outright: URL parsers turn "\" into "/" and drop tabs and newlines, so
 * "/\evil.example" and "/\t/evil.example" would become "//evil.example".
 * Anything else (absolute URLs, "javascript:", empty, not a string) is null,
 * and the caller lands on DEFAULT_LANDING instead: an open redirect is never
 * made from a link someone else wrote.
 */
export function safeNext(value: unknown): string | null {
  if (typeof value !== "string") return null;
  if (value.length === 0 || value.length > MAX_NEXT_CHARS) return null;
  if (!value.startsWith("/") || value.startsWith("//")) return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return null;
  let parsed: URL;
  try {
    parsed = new URL(value, PROBE_ORIGIN);
  } catch {
    return null;
  }
  // Belt and braces: whatever the checks above missed, the parsed target stays here.
  if (parsed.origin !== PROBE_ORIGIN) return null;
  // The auth pages themselves are no destination (a loop back to the form).
  if (parsed.pathname === "/sign-in" || parsed.pathname === "/sign-up") return null;
  return value;
}

/** The safe target, or the default room. */
export function landingFor(next: unknown): string {
  return safeNext(next) ?? DEFAULT_LANDING;
}

/**
 * Where a tab whose session ended (revoked, expired, signed out elsewhere)
 * is sent: the sign-in page saying so, carrying the page it was on as
 * `next` (when safe), so signing in again returns there.
 */
export function sessionEndedSearch(href: string): { reason: "session-ended"; next?: string } {
  const next = safeNext(href);
  return next ? { reason: "session-ended", next } : { reason: "session-ended" };
}
