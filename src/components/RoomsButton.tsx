import { useId } from "react";
import { unreadCount } from "../client/unread";
import type { RoomSummary } from "../protocol/frames";

/** Unread rooms other than the current one, for the "Rooms" button's badge. */
export type RoomsUnread = { rooms: number; mentioned: boolean };

/**
 * The other rooms with unread messages, and whether one of them mentions
 * me. Muted rooms do not count (issue 13): a mute keeps a room quiet
 * everywhere but its own dimmed link.
 */
export function otherUnread(rooms: readonly RoomSummary[], currentId: string): RoomsUnread {
  const unread = rooms.filter((r) => r.id !== currentId && !r.notify?.muted && unreadCount(r) > 0);
  return { rooms: unread.length, mentioned: unread.some((r) => r.mentioned) };
}

/**
 * Below 768 px: the header button "Rooms" that opens the rooms drawer, with
 * a badge when another room has unread messages (rooms and pages alike).
 */
export function RoomsButton({
  open,
  onOpen,
  unread,
}: {
  open: boolean;
  onOpen: () => void;
  unread: RoomsUnread;
}) {
  const roomsNote = useId();
  const roomsUnread = unread;
  // The badge sits beside the button, not in it: the name stays "Rooms"; the description says what is unread.
  return (
    <span className="relative md:hidden">
      <button
        type="button"
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-describedby={roomsUnread.rooms > 0 ? roomsNote : undefined}
        onClick={onOpen}
        className="flex items-center gap-1 rounded-md border border-slate-300 px-2 py-1 text-sm text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500"
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4" fill="currentColor">
          <path d="M3 5h14v2H3zm0 4h14v2H3zm0 4h14v2H3z" />
        </svg>
        Rooms
      </button>
      {roomsUnread.rooms > 0 && (
        <>
          <span id={roomsNote} className="sr-only">
            {roomsUnread.mentioned
              ? `Unread messages in ${roomsUnread.rooms} other rooms, with a mention`
              : `Unread messages in ${roomsUnread.rooms} other rooms`}
          </span>
          <span
            aria-hidden="true"
            data-testid="rooms-badge"
            className={`pointer-events-none absolute -top-1.5 -right-1.5 min-w-4 rounded-full px-1 text-center text-[10px] leading-4 font-semibold ${
              roomsUnread.mentioned ? "bg-rose-700 text-white" : "bg-slate-700 text-white"
            }`}
          >
            {roomsUnread.mentioned ? "@" : roomsUnread.rooms}
          </span>
        </>
      )}
    </span>
  );
}
