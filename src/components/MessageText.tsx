import type { Nodes, PhrasingContent, RootContent } from "mdast";
import { Fragment, type ReactNode, useMemo } from "react";
import { parseMessage, safeHref, sourceOf, withinParseBudget } from "../client/markdown";
import { splitMentions, splitRich } from "../client/text-parts";
import { actionText } from "../core/commands";
import { CodeBlock } from "./CodeBlock";

/** `me`: the reader's handle; `handles`: the room's members' handles (what mentions resolve to). */
type Context = { text: string; me: string | null; handles: ReadonlySet<string> };

const NO_MEMBERS: readonly { handle?: string }[] = [];

/** The node's start offset: a stable key among its siblings (the text never changes). */
const keyOf = (node: Nodes) => node.position?.start.offset ?? 0;

/** Plain text with resolving `@handle` mentions marked (stronger when they name `me`). */
function textWithMentions(
  value: string,
  me: string | null,
  handles: ReadonlySet<string>,
): ReactNode[] {
  return splitMentions(value, me, handles).map((part, index) =>
    part.kind === "mention" ? (
      <mark
        // biome-ignore lint/suspicious/noArrayIndexKey: parts are derived from immutable text
        key={index}
        data-self={part.self || undefined}
        className={
          part.self
            ? "rounded bg-amber-200 px-0.5 font-semibold text-amber-950"
            : "rounded bg-indigo-50 px-0.5 font-medium text-indigo-700"
        }
      >
        {part.text}
      </mark>
    ) : part.kind === "text" ? (
      part.text
    ) : null,
  );
}

/**
 * Inline content. `inLink` keeps a link's own text plain (no nested links or
 * mentions). Whatever is not listed (images above all) shows as the text it
 * was written as: it never becomes markup.
 */
function inline(nodes: readonly PhrasingContent[], ctx: Context, inLink = false): ReactNode[] {
  return nodes.map((node) => {
    const key = keyOf(node);
    switch (node.type) {
      case "text":
        return inLink ? (
          node.value
        ) : (
          <Fragment key={key}>{textWithMentions(node.value, ctx.me, ctx.handles)}</Fragment>
        );
      case "strong":
        return <strong key={key}>{inline(node.children, ctx, inLink)}</strong>;
      case "emphasis":
        return <em key={key}>{inline(node.children, ctx, inLink)}</em>;
      case "delete":
        return <del key={key}>{inline(node.children, ctx, inLink)}</del>;
      case "inlineCode":
        return (
          <code
            key={key}
            className="rounded bg-slate-100 px-1 py-0.5 font-mono text-[0.875em] text-rose-700"
          >
            {node.value}
          </code>
        );
      case "break":
        return <br key={key} />;
      case "link": {
        const href = inLink ? null : safeHref(node.url);
        if (!href) return <span key={key}>{sourceOf(ctx.text, node)}</span>;
        return (
          <a
            key={key}
            href={href}
            target="_blank"
            rel="noopener noreferrer nofollow"
            className="text-indigo-600 underline"
          >
            {inline(node.children, ctx, true)}
          </a>
        );
      }
      default:
        return <span key={key}>{sourceOf(ctx.text, node)}</span>;
    }
  });
}

/** Block content: paragraphs, code blocks, quotes and lists; anything else as its source text. */
function blocks(nodes: readonly RootContent[], ctx: Context): ReactNode[] {
  return nodes.map((node) => {
    const key = keyOf(node);
    switch (node.type) {
      case "paragraph":
        return (
          <p key={key} className="whitespace-pre-wrap">
            {inline(node.children, ctx)}
          </p>
        );
      case "code":
        return <CodeBlock key={key} code={node.value} lang={node.lang} />;
      case "blockquote":
        return (
          <blockquote key={key} className="my-1 border-l-4 border-slate-300 pl-2 text-slate-600">
            {blocks(node.children, ctx)}
          </blockquote>
        );
      case "list": {
        const items = node.children.map((item) => (
          <li key={keyOf(item)}>{blocks(item.children, ctx)}</li>
        ));
        return node.ordered ? (
          <ol key={key} start={node.start ?? undefined} className="my-1 list-decimal pl-6">
            {items}
          </ol>
        ) : (
          <ul key={key} className="my-1 list-disc pl-6">
            {items}
          </ul>
        );
      }
      default:
        return (
          <p key={key} className="whitespace-pre-wrap">
            {sourceOf(ctx.text, node)}
          </p>
        );
    }
  });
}

/**
 * Text too costly to parse as markdown (see withinParseBudget), as before
 * formatting existed: http(s) links and mentions marked, the rest as typed.
 */
function PlainText({ text, me, handles }: Omit<Context, "text"> & { text: string }) {
  return (
    <div className="min-w-0 break-words text-slate-800">
      <p className="whitespace-pre-wrap" data-plain="true">
        {splitRich(text, me, handles).map((part, index) =>
          part.kind === "link" ? (
            <a
              // biome-ignore lint/suspicious/noArrayIndexKey: parts are derived from immutable text
              key={index}
              href={part.href}
              target="_blank"
              rel="noopener noreferrer nofollow"
              className="text-indigo-600 underline"
            >
              {part.href}
            </a>
          ) : part.kind === "mention" ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: parts are derived from immutable text
            <Fragment key={index}>{textWithMentions(part.text, me, handles)}</Fragment>
          ) : (
            part.text
          ),
        )}
      </p>
    </div>
  );
}

/**
 * Message text as React elements built from its markdown syntax tree
 * (client/markdown.ts): strong, em, del, code, pre > code, blockquote,
 * ol/ul and links with http, https or mailto only; `@handle` mentions of
 * `members` (the room's) and @here/@channel/@all are marked, other `@words`
 * stay text. Text is only ever React text, never parsed as HTML, so raw HTML
 * in a message shows as the characters typed.
 */
export function MessageText({
  text,
  me = null,
  members = NO_MEMBERS,
  author,
}: {
  text: string;
  /** The reader's handle. */
  me?: string | null;
  members?: readonly { handle?: string }[];
  /** The author's name: with it, a stored "/me text" shows as the action "*name text*". */
  author?: string;
}) {
  const tree = useMemo(() => (withinParseBudget(text) ? parseMessage(text) : null), [text]);
  const handles = useMemo(
    () => new Set(members.flatMap((m) => (m.handle ? [m.handle.toLowerCase()] : []))),
    [members],
  );
  const action = author ? actionText(text) : null;
  if (action !== null) {
    // An action (slash command /me): plain text with mentions, no markdown,
    // in italics with the asterisks the convention is read by.
    return (
      <div className="min-w-0 break-words text-slate-800">
        <p className="whitespace-pre-wrap italic" data-action="true">
          *{author} {textWithMentions(action, me, handles)}*
        </p>
      </div>
    );
  }
  if (!tree) return <PlainText text={text} me={me} handles={handles} />;
  return (
    <div className="min-w-0 break-words text-slate-800">
      {blocks(tree.children, { text, me, handles })}
    </div>
  );
}
