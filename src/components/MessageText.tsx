import { splitRich } from "../client/text-parts";

/**
 * Message text as React text nodes: only http(s) URLs become links and
 * `@name` mentions are marked (stronger when they name `me`). Nothing is
 * ever parsed as HTML.
 */
export function MessageText({ text, me = null }: { text: string; me?: string | null }) {
  return (
    <p className="whitespace-pre-wrap break-words text-slate-800">
      {splitRich(text, me).map((part, index) => {
        if (part.kind === "link") {
          return (
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
          );
        }
        if (part.kind === "mention") {
          return (
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
          );
        }
        // biome-ignore lint/suspicious/noArrayIndexKey: parts are derived from immutable text
        return <span key={index}>{part.text}</span>;
      })}
    </p>
  );
}
