import { splitLinks } from "../client/messages";

/** Message text as React text nodes; only http(s) URLs become links. */
export function MessageText({ text }: { text: string }) {
  return (
    <p className="whitespace-pre-wrap break-words text-slate-800">
      {splitLinks(text).map((part, index) =>
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
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts are derived from immutable text
          <span key={index}>{part.text}</span>
        ),
      )}
    </p>
  );
}
