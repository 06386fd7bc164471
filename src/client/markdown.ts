import type { Nodes, Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmAutolinkLiteralFromMarkdown } from "mdast-util-gfm-autolink-literal";
import { gfmStrikethroughFromMarkdown } from "mdast-util-gfm-strikethrough";
import { gfmAutolinkLiteral } from "micromark-extension-gfm-autolink-literal";
import { gfmStrikethrough } from "micromark-extension-gfm-strikethrough";

/**
 * CommonMark constructs chat text does not get. Raw HTML (block and inline)
 * is never parsed, so it stays text by construction; headings, rules and
 * indented code would turn ordinary chat lines ("# 3 is mine", "----",
 * four spaces of indent) into layout; definitions are the only way to hide a
 * link's target away from the link, and nothing else needs them.
 */
const chatOnly = {
  disable: {
    null: [
      "htmlFlow",
      "htmlText",
      "headingAtx",
      "setextUnderline",
      "thematicBreak",
      "codeIndented",
      "definition",
    ],
  },
};

const extensions = [chatOnly, gfmAutolinkLiteral(), gfmStrikethrough({ singleTilde: false })];
const mdastExtensions = [gfmAutolinkLiteralFromMarkdown(), gfmStrikethroughFromMarkdown()];

/**
 * Message text as a markdown syntax tree (mdast, with positions): bold,
 * italic, `~~strikethrough~~`, inline and fenced code, block quotes, lists,
 * links (bracketed, `<autolinks>` and bare URLs). The renderer decides what
 * each node may become; this only parses.
 */
export function parseMessage(text: string): Root {
  return fromMarkdown(text, { extensions, mdastExtensions });
}

const LINK_SCHEMES = new Set(["http:", "https:", "mailto:"]);

/**
 * The href a link may have, or null. The URL is parsed the way the browser
 * will parse it (WHATWG URL: it drops tabs and newlines inside the scheme,
 * leading spaces and control characters, and folds case), so
 * `JaVa\tScRiPt:` is judged as `javascript:`; only absolute http, https and
 * mailto URLs pass, and the parsed form is what goes into the page.
 */
export function safeHref(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null; // relative or malformed: there is no base to resolve it against
  }
  return LINK_SCHEMES.has(parsed.protocol) ? parsed.href : null;
}

/** The exact characters a node was written with (what a refused construct shows). */
export function sourceOf(text: string, node: Nodes): string {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  return start === undefined || end === undefined ? "" : text.slice(start, end);
}
