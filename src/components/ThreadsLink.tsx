import { useFollowedThreads } from "../client/hooks/useThread";
import { threadsLinkLabel } from "../client/thread-unread";

/** The "Threads" link of the Rooms navigation: "Threads, N unread" while followed threads have unread replies. */
export function ThreadsLink() {
  const { unread } = useFollowedThreads();
  return (
    <a
      href="/threads"
      aria-label={threadsLinkLabel(unread)}
      className="flex items-center justify-between rounded-md px-2 py-1 text-sm text-slate-700 hover:bg-slate-200"
    >
      <span>Threads</span>
      {/* A space, so the visible text reads "Threads 3" (axe: label-content-name-mismatch). */}{" "}
      {unread > 0 && (
        <span
          aria-hidden="true"
          className="rounded-full bg-indigo-600 px-1.5 text-xs font-semibold text-white"
        >
          {unread}
        </span>
      )}
    </a>
  );
}
