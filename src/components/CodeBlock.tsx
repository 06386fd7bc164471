import type { RootContent } from "hast";
import { type ReactNode, useMemo } from "react";
import { useHighlighter } from "../client/hooks/useHighlighter";

/** A fence's language as a class-safe name (`ts`, `c++`, `objective-c`), or null. */
export function codeLanguage(lang: string | null | undefined): string | null {
  const name = lang?.trim().toLowerCase() ?? "";
  return /^[a-z0-9][a-z0-9+#._-]{0,31}$/.test(name) ? name : null;
}

/**
 * The highlighter's spans as React elements. Only spans with their class
 * names and text are taken from the tree, so nothing but highlighting can
 * come out of it whatever the code contains.
 */
export function renderHighlighted(nodes: readonly RootContent[]): ReactNode[] {
  return nodes.map((node, index) => {
    if (node.type === "text") return node.value;
    if (node.type !== "element") return null;
    const names = node.properties.className;
    const className = Array.isArray(names) ? names.join(" ") : undefined;
    return (
      // biome-ignore lint/suspicious/noArrayIndexKey: the tree is derived from immutable text
      <span key={index} className={className}>
        {renderHighlighted(node.children)}
      </span>
    );
  });
}

/**
 * A fenced code block: plain at first (and on the server), highlighted once
 * the highlighter has loaded when the fence names a language it knows. Long
 * lines scroll inside the block instead of widening the message.
 */
export function CodeBlock({ code, lang }: { code: string; lang: string | null | undefined }) {
  const language = codeLanguage(lang);
  const highlighter = useHighlighter(language !== null);
  const tree = useMemo(
    () => (language && highlighter ? highlighter(language, code) : null),
    [language, highlighter, code],
  );
  return (
    <pre
      // A block that scrolls must be reachable by keyboard to scroll it.
      // biome-ignore lint/a11y/noNoninteractiveTabindex: scrollable region (axe scrollable-region-focusable)
      tabIndex={0}
      className="code-block my-1 max-w-full overflow-x-auto rounded-md bg-slate-50 px-3 py-2 text-sm leading-snug ring-1 ring-slate-200 focus-visible:outline-2 focus-visible:outline-indigo-500"
    >
      <code
        className={language ? `language-${language} font-mono` : "font-mono"}
        data-highlighted={tree ? "true" : undefined}
      >
        {tree ? renderHighlighted(tree.children) : code}
      </code>
    </pre>
  );
}
