import { Link } from "@tanstack/react-router";
import { roomLinkLabel, unreadCount } from "../client/unread";
import type { RoomSummary } from "../protocol/frames";
import { BellIcon } from "./BellIcon";

/**
 * One room in the navigation. Its accessible name is set explicitly
 * ("general, 3 unread, mentioned") so the visual "#", lock and badge never
 * leak into it.
 */
export function RoomLink({ room, current }: { room: RoomSummary; current: boolean }) {
  const unread = unreadCount(room);
  const mentioned = unread > 0 && room.mentioned;
  const sigil = room.kind === "dm" ? "@" : "#";
  // Muted (issue 13): named so ("general, muted"), dimmed, its badge never the mention red.
  const muted = room.notify?.muted === true;
  return (
    <Link
      to="/r/$slug"
      params={{ slug: room.slug }}
      // Loading a room joins it (public rooms), so hovering must not load it.
      preload={false}
      aria-label={muted ? `${roomLinkLabel(room)}, muted` : roomLinkLabel(room)}
      aria-current={current ? "page" : undefined}
      className={`flex items-center gap-1.5 rounded-md px-2 py-1.5 text-sm hover:bg-slate-200 aria-[current=page]:bg-indigo-100 aria-[current=page]:text-indigo-800 ${
        muted
          ? "text-slate-500 italic"
          : unread > 0
            ? "font-semibold text-slate-900"
            : "text-slate-600"
      }`}
    >
      <span aria-hidden="true" className="w-3 shrink-0 text-center text-slate-400">
        {sigil}
      </span>
      <span className="min-w-0 flex-1 truncate">{room.name}</span>
      {room.kind === "private" && (
        <span aria-hidden="true" title="Private room" className="text-xs text-slate-400">
          🔒
        </span>
      )}
      {muted && (
        <span aria-hidden="true" title="Muted" className="text-slate-500">
          <BellIcon muted className="h-3.5 w-3.5" />
        </span>
      )}
      {/* Visible text "general 3", within the name "general, 3 unread" (axe checks). */}
      {unread > 0 && " "}
      {unread > 0 && (
        <span
          aria-hidden="true"
          className={`min-w-5 rounded-full px-1.5 text-center text-xs leading-5 font-semibold ${
            mentioned && !muted ? "bg-rose-700 text-white" : "bg-slate-300 text-slate-800"
          }`}
        >
          {mentioned && !muted ? "@" : ""}
          {unread > 99 ? "99+" : unread}
        </span>
      )}
    </Link>
  );
}
