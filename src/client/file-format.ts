/** How files are described in the UI: "report.pdf, 1.2 MB, PDF". Pure. */

const UNITS = ["KB", "MB", "GB", "TB"] as const;

/**
 * A size in bytes as people read it: "512 B", "1.2 MB" (1024-based, one
 * decimal under 10 of a unit, none from there: "12 MB"; "1 KB", not "1.0 KB").
 */
export function formatFileSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${Math.max(0, Math.round(bytes || 0))} B`;
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  // 1023.96 KB would round to "1024 KB": say "1 MB" instead.
  if (Math.round(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
  return `${shown} ${UNITS[unit]}`;
}

/** Common media types by a short name people know. */
const KNOWN: Record<string, string> = {
  "application/pdf": "PDF",
  "application/zip": "ZIP archive",
  "application/gzip": "GZIP archive",
  "application/x-tar": "TAR archive",
  "application/x-7z-compressed": "7z archive",
  "application/json": "JSON",
  "application/msword": "Word document",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
  "application/vnd.ms-excel": "Excel spreadsheet",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel spreadsheet",
  "application/vnd.ms-powerpoint": "PowerPoint",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
  "text/plain": "Text",
  "text/csv": "CSV",
  "text/html": "HTML",
  "image/svg+xml": "SVG image",
};

/**
 * The file's type, shown on its card. From the sniffed media type; when
 * the server could not tell ("application/octet-stream"), the name's
 * extension, else "File".
 */
export function fileTypeLabel(type: string, name: string): string {
  const base = type.split(";")[0]?.trim().toLowerCase() ?? "";
  const known = KNOWN[base];
  if (known) return known;
  const [major, minor] = base.split("/");
  if (base && base !== "application/octet-stream" && minor) {
    const sub = minor.replace(/^(x-|vnd\.)/, "").split(/[+.]/)[0] ?? minor;
    if (major === "image" || major === "audio" || major === "video") {
      return `${sub.toUpperCase()} ${major}`;
    }
    return sub.toUpperCase();
  }
  const dot = name.lastIndexOf(".");
  const ext = dot > 0 ? name.slice(dot + 1) : "";
  return ext && ext.length <= 8 ? `${ext.toUpperCase()} file` : "File";
}

/** The size an image is laid out at: its aspect ratio within `box` (no upscaling). */
export function fitWithin(
  width: number | undefined,
  height: number | undefined,
  box: { width: number; height: number },
): { width: number; height: number } {
  if (!width || !height) return box;
  const scale = Math.min(1, box.width / width, box.height / height);
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}
