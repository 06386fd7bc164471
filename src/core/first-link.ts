/**
 * The link a message's preview is made for: its first http(s) URL, by the
 * rule the client links text with (client/messages.ts splitLinks), so the
 * preview is of a link the reader sees. Trailing punctuation ends the
 * sentence, not the URL.
 */
const urlPattern = /\bhttps?:\/\/[^\s<>"']+/i;

/** The first http(s) link in `text`, or null when there is none. */
export function firstLink(text: string): string | null {
  const match = urlPattern.exec(text);
  if (!match) return null;
  const href = match[0].replace(/[.,;:!?)\]]+$/, "");
  try {
    const url = new URL(href);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}
