import { Link } from "@tanstack/react-router";
import { messageLinkSearch } from "../client/message-link";
import { messageSnippet } from "../client/message-snippet";
import type { WireMember, WireMessage } from "../protocol/frames";
import { MessageTime } from "./MessageTime";

/**
 * The region "Pinned messages" under the room header: the room's pins,
 * newest first, each a link to its message (client/message-link, as a
 * search hit). Escape closes it and gives focus back to the header button.
 */
export function PinnedPanel({
  id,
  slug,
  pinned,
  members,
  onClose,
}: {
  id: string;
  slug: string;
  pinned: readonly WireMessage[];
  members: readonly WireMember[];
  onClose: () => void;
}) {
  // Until the member list arrives (or for someone who left) the name is unknown: say nothing.
  // Closing gives focus back to the header button that opened the region.
  const close = () => {
    document.querySelector<HTMLElement>(`[aria-controls="${id}"]`)?.focus();
    onClose();
  };
  const nameOf = (userId: string | null) => members.find((m) => m.id === userId)?.name;
  return (
    <section
      id={id}
      aria-label="Pinned messages"
      onKeyDown={(event) => {
        if (event.key !== "Escape") return;
        event.preventDefault();
        close();
      }}
      className="max-h-72 shrink-0 overflow-y-auto border-b border-amber-200 bg-amber-50 px-4 py-2"
    >
      <div className="flex items-center justify-between gap-2">
        <h2 className="text-sm font-semibold text-slate-800">Pinned messages</h2>
        <button
          type="button"
          onClick={close}
          className="rounded-md px-2 py-0.5 text-sm text-slate-600 hover:bg-amber-100 focus-visible:outline-2 focus-visible:outline-indigo-500"
        >
          Close
        </button>
      </div>
      {pinned.length === 0 ? (
        <p className="py-2 text-sm text-slate-600">
          Nothing is pinned yet. Pin a message from its “Message actions” menu.
        </p>
      ) : (
        <ul className="mt-1 flex flex-col divide-y divide-amber-200">
          {pinned.map((message) => (
            <li key={message.id}>
              <Link
                to="/r/$slug"
                params={{ slug }}
                search={messageLinkSearch(message)}
                className="block rounded px-1 py-1.5 hover:bg-amber-100 focus-visible:outline-2 focus-visible:outline-indigo-500"
              >
                <span className="flex flex-wrap items-baseline gap-x-2 text-xs text-slate-600">
                  <span className="font-semibold text-slate-900">{message.author.name}</span>
                  <MessageTime iso={message.createdAt} />
                  {nameOf(message.pinnedBy) && <span>pinned by {nameOf(message.pinnedBy)}</span>}
                </span>
                <span className="block text-sm break-words text-slate-800">
                  {messageSnippet(message)}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
