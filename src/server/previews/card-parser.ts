/**
 * Reads a page's OpenGraph / Twitter card metadata from its HTML: pure (no
 * I/O), only the <head> (the rest of the page is cut off before parsing).
 * htmlparser2 decodes entities in text and attributes; values are trimmed,
 * whitespace collapsed, control characters dropped and lengths capped. A
 * page with no title gives no card.
 */
import { Parser } from "htmlparser2";

export type Card = {
  title: string;
  description?: string;
  siteName?: string;
  /** Absolute http(s) URL of the card's image, resolved against the page. */
  imageUrl?: string;
};

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 500;
export const SITE_NAME_MAX = 100;

// Cc (C0, DEL, C1): never shown; tabs and newlines become spaces first.
const CONTROL = /\p{Cc}/gu;

/** A value as shown: one line, trimmed, at most `max` code points (an ellipsis marks a cut). */
export function tidy(value: string | undefined, max: number): string | undefined {
  if (value === undefined) return undefined;
  const flat = value.replace(/\s+/g, " ").replace(CONTROL, "").trim();
  if (!flat) return undefined;
  const points = [...flat];
  return points.length > max
    ? `${points
        .slice(0, max - 1)
        .join("")
        .trimEnd()}…`
    : flat;
}

/** The meta keys read, each its first value on the page. */
const KEYS = new Set([
  "og:title",
  "twitter:title",
  "og:description",
  "twitter:description",
  "description",
  "og:site_name",
  "og:image",
  "og:image:url",
  "og:image:secure_url",
  "twitter:image",
  "twitter:image:src",
]);

/** The card of a page, or null without a title; `pageUrl` is where the HTML came from. */
export function parseCard(html: string, pageUrl: string): Card | null {
  const end = html.search(/<\/head\s*>|<body[\s>]/i);
  const head = end === -1 ? html : html.slice(0, end);
  const meta = new Map<string, string>();
  let titleText: string | undefined;
  let inTitle = false;
  let titleBuffer = "";
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === "title" && titleText === undefined) {
          inTitle = true;
          titleBuffer = "";
          return;
        }
        if (name !== "meta") return;
        const key = (attributes.property ?? attributes.name ?? "").trim().toLowerCase();
        const content = attributes.content;
        if (KEYS.has(key) && content !== undefined && !meta.has(key)) meta.set(key, content);
      },
      ontext(text) {
        if (inTitle) titleBuffer += text;
      },
      onclosetag(name) {
        if (name === "title" && inTitle) {
          inTitle = false;
          titleText = titleBuffer;
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(head);
  parser.end();
  if (inTitle) titleText = titleBuffer; // a head cut off inside <title>

  const first = (...keys: string[]) => keys.map((k) => meta.get(k)).find((v) => tidy(v, 1));
  const title = tidy(first("og:title", "twitter:title") ?? titleText, TITLE_MAX);
  if (!title) return null;
  const description = tidy(
    first("og:description", "twitter:description", "description"),
    DESCRIPTION_MAX,
  );
  const siteName = tidy(first("og:site_name"), SITE_NAME_MAX);
  const image = first(
    "og:image",
    "og:image:secure_url",
    "og:image:url",
    "twitter:image",
    "twitter:image:src",
  );
  const imageUrl = image ? absoluteHttp(image.trim(), pageUrl) : undefined;
  return {
    title,
    ...(description && { description }),
    ...(siteName && { siteName }),
    ...(imageUrl && { imageUrl }),
  };
}

/** `value` resolved against the page, when it is an http(s) URL. */
function absoluteHttp(value: string, base: string): string | undefined {
  try {
    const url = new URL(value, base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}
