import { fileTypeFromFile } from "file-type";

/** How much of the start of a file the text check reads. */
export const TEXT_SAMPLE = 4096;

/**
 * The media type of an upload, from its bytes (file-type's signatures);
 * the client's Content-Type and the name's extension are never asked.
 * Without a signature, a start that is valid UTF-8 with no control
 * characters but tab, newline, carriage return and form feed is
 * text/plain (HTML and SVG included: they are served as text downloads);
 * anything else is application/octet-stream.
 */
export async function sniffType(path: string, head: Uint8Array): Promise<string> {
  const found = await fileTypeFromFile(path).catch(() => undefined);
  if (found) return found.mime;
  return looksLikeText(head) ? "text/plain" : "application/octet-stream";
}

export function looksLikeText(head: Uint8Array): boolean {
  if (head.byteLength === 0) return false;
  const sample = head.subarray(0, TEXT_SAMPLE);
  let text: string;
  try {
    // stream: a character cut at the sample's end is not an error.
    text = new TextDecoder("utf-8", { fatal: true }).decode(sample, { stream: true });
  } catch {
    return false;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text);
}
