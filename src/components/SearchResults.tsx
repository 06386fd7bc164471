import { Link } from "@tanstack/react-router";
import { messageLinkSearch } from "../client/message-link";
import { messageSnippet } from "../client/message-snippet";
import { highlightTerms } from "../client/text-parts";
import type { SearchHit } from "../ports";
import { MessageTime } from "./MessageTime";

/**
 * The hits of one search; each links to its message (client/message-link: its room, or its thread).
 * `highlight` is the query's words (operators left out), marked in snippets.
 */
export function SearchResults({
  query,
  highlight = query,
  hits,
  roomName,
  onPick,
}: {
  query: string;
  highlight?: string;
  hits: SearchHit[] | null;
  roomName: (room: SearchHit["room"]) => string;
  onPick: () => void;
}) {
  if (hits === null) return <p className="px-3 py-4 text-sm text-slate-500">Searching…</p>;
  if (hits.length === 0) {
    return <p className="px-3 py-4 text-sm text-slate-500">No messages match “{query}”.</p>;
  }
  return (
    <ul aria-label="Search results" className="divide-y divide-slate-100">
      {hits.map(({ message, room }) => (
        <li key={message.id}>
          <Link
            to="/r/$slug"
            params={{ slug: room.slug }}
            search={messageLinkSearch(message)}
            onClick={onPick}
            className="block px-3 py-2 hover:bg-slate-50 focus-visible:bg-indigo-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-500"
          >
            <span className="flex items-baseline gap-2 text-xs text-slate-500">
              <span className="font-medium text-indigo-700">
                <span aria-hidden="true">{room.kind === "dm" ? "@" : "#"}</span>
                {roomName(room)}
              </span>
              <span className="font-semibold text-slate-800">{message.author.name}</span>
              <MessageTime iso={message.createdAt} />
            </span>
            <span className="mt-0.5 block text-sm text-slate-700">
              {highlightTerms(messageSnippet(message), highlight).map((part, index) =>
                part.match ? (
                  // biome-ignore lint/suspicious/noArrayIndexKey: parts are derived from immutable text
                  <mark key={index} className="rounded bg-amber-100 px-0.5 text-slate-900">
                    {part.text}
                  </mark>
                ) : (
                  // biome-ignore lint/suspicious/noArrayIndexKey: parts are derived from immutable text
                  <span key={index}>{part.text}</span>
                ),
              )}
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
