/** Longest name a file keeps (characters); longer names lose the end of their stem. */
export const MAX_FILE_NAME = 200;

/** Longest tail after the last dot that still counts as an extension worth keeping. */
const MAX_EXTENSION = 16;

// C0 and C1 controls, DEL, and the bidirectional overrides and isolates that
// could make "gpj.exe" read as "exe.jpg" in a file card.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The name an upload is stored and served under: no folders (the last part
 * after any `/` or `\`), no control or direction-changing characters, at
 * most MAX_FILE_NAME characters with its extension kept, and "file" when
 * nothing is left. The name is only ever shown and put in headers, never
 * used as a path.
 */
export function sanitizeFileName(raw: string): string {
  const base = (raw.split(/[/\\]/).pop() ?? "").normalize("NFC").replace(UNSAFE, "").trim();
  if (base === "" || base === "." || base === "..") return "file";
  const chars = Array.from(base);
  if (chars.length <= MAX_FILE_NAME) return base;
  const dot = base.lastIndexOf(".");
  const extension = dot > 0 ? Array.from(base.slice(dot)) : [];
  const keep = extension.length > 1 && extension.length <= MAX_EXTENSION ? extension : [];
  const stem = chars.slice(0, MAX_FILE_NAME - keep.length);
  return [...stem, ...keep].join("").trim() || "file";
}

/**
 * A Content-Disposition value (RFC 6266): `filename` is an ASCII stand-in
 * (anything else, quotes and backslashes become `_`) for old clients, and
 * `filename*` carries the real name, UTF-8 percent-encoded.
 */
export function contentDisposition(kind: "inline" | "attachment", name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** The image types shown inline (and given a thumbnail); everything else is a download. */
export const INLINE_IMAGE_TYPES: ReadonlySet<string> = new Set([
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
]);

/** "25 MB" for a byte limit that is a whole number of MiB (the variables are in MB). */
export function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}
