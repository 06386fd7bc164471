import type { ByteRange } from "../../ports";

/**
 * What a Range header asks of a blob of `size` bytes: the whole blob (no
 * header, another unit, several ranges, or a header that does not parse:
 * RFC 9110 lets a server ignore those), one satisfiable range (inclusive,
 * clamped to the blob), or "unsatisfiable" (416).
 */
export function parseRange(
  header: string | null,
  size: number,
): { kind: "whole" } | { kind: "range"; range: ByteRange } | { kind: "unsatisfiable" } {
  if (header === null) return { kind: "whole" };
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return { kind: "whole" };
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return { kind: "whole" };
  if (first === "") {
    // A suffix: the last N bytes.
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: "unsatisfiable" };
    return { kind: "range", range: { start: Math.max(0, size - suffix), end: size - 1 } };
  }
  const start = Number(first);
  const end = last === "" ? size - 1 : Number(last);
  if (end < start) return { kind: "whole" };
  if (start >= size) return { kind: "unsatisfiable" };
  return { kind: "range", range: { start, end: Math.min(end, size - 1) } };
}

/**
 * Whether a conditional header (If-None-Match) names this ETag: `*`, or the
 * tag in its list, compared weakly (a `W/` prefix is ignored), as RFC 9110
 * says for If-None-Match.
 */
export function etagMatches(header: string | null, etag: string): boolean {
  if (header === null) return false;
  const wanted = header.trim();
  if (wanted === "*") return true;
  const bare = (tag: string) => tag.trim().replace(/^W\//, "");
  return wanted.split(",").some((tag) => bare(tag) === bare(etag));
}
