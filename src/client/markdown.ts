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

// micromark takes quadratic time on some inputs: many nested containers
// ("- - - - ..." or ever deeper indented lists), nested brackets, long runs
// of mixed * and _ delimiters. A 4000-character message of them took 1 to
// 2 s to parse. Text over these budgets is shown plain (links and mentions
// still marked) instead: measured, what stays under them parses in about
// 0.1 s at worst on a loaded machine.
const MAX_NESTING = 12;
const MAX_BRACKETS = 256;
const MAX_DELIMITERS = 1024;
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const CONTAINERS = /^(?:[ \t]*(?:[-*+>]|\d{1,9}[.)])(?=[ \t]|$))+/;

/** How deep the containers a line opens go: its markers, plus its indent when it has any. */
function nestingOf(line: string): number {
  const found = CONTAINERS.exec(line)?.[0];
  if (!found) return 0;
  const markers = found.match(/[-*+>]|\d{1,9}[.)]/g)?.length ?? 0;
  const indent = (/^[ \t]*/.exec(line)?.[0] ?? "").replace(/\t/g, "    ").length;
  return markers + Math.floor(indent / 2);
}

/**
 * Whether the text is within the parse budgets above, counted in one pass.
 * Top-level fenced code is skipped (its content is not parsed for
 * markdown, so code pastes keep their highlighting); a fence the scan does
 * not recognise is counted, which can only make it stricter.
 */
export function withinParseBudget(text: string): boolean {
  let fence: string | null = null;
  let brackets = 0;
  let delimiters = 0;
  for (const line of text.split("\n")) {
    const marker = FENCE.exec(line);
    if (fence !== null) {
      const run = marker?.[1];
      if (run && run[0] === fence[0] && run.length >= fence.length && !marker[2]?.trim())
        fence = null;
      continue;
    }
    if (marker?.[1] && !(marker[1][0] === "`" && marker[2]?.includes("`"))) {
      fence = marker[1];
      continue;
    }
    if (nestingOf(line) > MAX_NESTING) return false;
    for (const char of line) {
      if (char === "[") brackets++;
      else if (char === "*" || char === "_" || char === "~") delimiters++;
    }
  }
  return brackets <= MAX_BRACKETS && delimiters <= MAX_DELIMITERS;
}

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
