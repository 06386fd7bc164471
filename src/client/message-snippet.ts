import type { WireMessage } from "../protocol/frames";
import { snippet } from "./text-parts";

/**
 * A message in one line for lists (pins, search hits, saved, threads): its
 * text, or, for a message of files alone, their names, so such a message
 * is never an empty row.
 */
export function messageSnippet(message: Pick<WireMessage, "text" | "files">, max?: number): string {
  if (message.text.trim() || !message.files?.length) return snippet(message.text, max);
  const names = message.files.map((file) => file.name).join(", ");
  const label = message.files.length === 1 ? "File" : `${message.files.length} files`;
  return snippet(`${label}: ${names}`, max);
}
