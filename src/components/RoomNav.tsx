import { Link } from "@tanstack/react-router";
import { type ReactNode, useId } from "react";
import { offersRoomEntryPoints } from "../client/guest-nav";
import { useChatSelector } from "../client/hooks/chat-context";
import { useDocTitle } from "../client/hooks/useDocTitle";
import { useNavGroups } from "../client/hooks/useNavGroups";
import type { NavGroup } from "../client/nav-groups";
import { unreadCount } from "../client/unread";
import type { RoomSummary } from "../protocol/frames";
import { BellIcon } from "./BellIcon";
import { NewMessage } from "./NewMessage";
import { NewRoomForm } from "./NewRoomForm";
import { RoomLink } from "./RoomLink";
import { ThreadsLink } from "./ThreadsLink";

const pageLink =
  "flex items-center gap-1.5 rounded-md px-2 py-1.5 text-sm text-slate-700 hover:bg-slate-200 aria-[current=page]:bg-indigo-100 aria-[current=page]:text-indigo-800";

/**
 * The navigation landmark "Rooms": the rooms the user joined (public and
 * private) with the form to create one and the "Browse rooms" directory
 * link, and a "Direct messages" group named after the other person. Each
 * group collapses (remembered in this browser). Self-contained: it works
 * in the sidebar and inside the phone drawer's dialog alike.
 */
export function RoomNav({
  rooms,
  currentSlug,
  onCreate,
  page,
}: {
  rooms: RoomSummary[];
  currentSlug: string;
  onCreate: (name: string, isPrivate: boolean) => Promise<string | null>;
  /** A page of the nav's own that is open (its link is the current page). */
  page?: "saved" | "rooms";
}) {
  // Every signed-in page with rooms shows this nav: the tab title's count lives here.
  useDocTitle();
  const channels = rooms.filter((room) => room.kind !== "dm");
  const dms = rooms.filter((room) => room.kind === "dm");
  const entryPoints = offersRoomEntryPoints(useChatSelector((c) => c.serverRole, null));
  return (
    <nav aria-label="Rooms" className="flex flex-col gap-3">
      <ul className="flex flex-col gap-0.5">
        <li>
          <ThreadsLink />
        </li>
        <li>
          <Link
            to="/saved"
            aria-current={page === "saved" ? "page" : undefined}
            className={pageLink}
          >
            <span aria-hidden="true" className="w-3 shrink-0 text-center text-slate-600">
              ★
            </span>
            Saved
          </Link>
        </li>
        {entryPoints && (
          <li>
            <Link
              to="/rooms"
              aria-current={page === "rooms" ? "page" : undefined}
              className={pageLink}
            >
              <span aria-hidden="true" className="w-3 shrink-0 text-center text-slate-600">
                ⌕
              </span>
              Browse rooms
            </Link>
          </li>
        )}
        <li>
          <Link to="/settings/notifications" className={pageLink}>
            <span aria-hidden="true" className="flex w-3 shrink-0 justify-center text-slate-600">
              <BellIcon className="h-3.5 w-3.5" />
            </span>
            Notifications
          </Link>
        </li>
        <li>
          <Link to="/settings/security" className={pageLink}>
            <span aria-hidden="true" className="w-3 shrink-0 text-center text-slate-600">
              ⚿
            </span>
            Security
          </Link>
        </li>
        <li>
          <Link to="/settings/tokens" className={pageLink}>
            <span aria-hidden="true" className="w-3 shrink-0 text-center text-slate-600">
              ⚷
            </span>
            Access tokens
          </Link>
        </li>
        <li>
          <Link to="/settings" className={pageLink}>
            <span aria-hidden="true" className="w-3 shrink-0 text-center text-slate-600">
              ⇩
            </span>
            Your data
          </Link>
        </li>
      </ul>
      <RoomGroup
        group="rooms"
        title="Rooms"
        rooms={channels}
        currentSlug={currentSlug}
        empty={
          <p className="px-2 text-xs text-slate-700">
            {entryPoints ? "Join one from Browse rooms." : "No rooms yet."}
          </p>
        }
      >
        {entryPoints && <NewRoomForm onCreate={onCreate} />}
      </RoomGroup>
      <RoomGroup
        group="dms"
        title="Direct messages"
        rooms={dms}
        currentSlug={currentSlug}
        empty={<p className="px-2 text-xs text-slate-700">Start one with New message.</p>}
        action={<NewMessage />}
      />
    </nav>
  );
}

/**
 * One collapsible group: a heading with its "Collapse <title>" / "Expand
 * <title>" button (aria-expanded) and the list. Collapsed, the list keeps
 * the room on screen and rooms with unread messages (as Slack does), so
 * a mention badge is never folded away; the rest are hidden.
 */
function RoomGroup({
  group,
  title,
  rooms,
  currentSlug,
  empty,
  children,
  action,
}: {
  group: NavGroup;
  title: string;
  rooms: RoomSummary[];
  currentSlug: string;
  empty: ReactNode;
  children?: ReactNode;
  /** A button beside the heading's own (the DM group's "New message"). */
  action?: ReactNode;
}) {
  const headingId = useId();
  const listId = useId();
  const [collapsed, setCollapsed] = useNavGroups();
  const shut = collapsed.has(group);
  const shown = shut
    ? rooms.filter((room) => room.slug === currentSlug || unreadCount(room) > 0)
    : rooms;
  return (
    // biome-ignore lint/a11y/useSemanticElements: a <fieldset> is for form controls, not links
    <div role="group" aria-labelledby={headingId} className="flex flex-col gap-1">
      <div className="flex items-center justify-between gap-1 pr-1">
        <h2
          id={headingId}
          className="px-2 text-xs font-semibold tracking-wide text-slate-700 uppercase"
        >
          {title}
        </h2>
        <span className="flex-1" />
        {action}
        <button
          type="button"
          aria-label={`${shut ? "Expand" : "Collapse"} ${title}`}
          aria-expanded={!shut}
          aria-controls={listId}
          onClick={() => setCollapsed(group, !shut)}
          className="rounded p-0.5 text-slate-700 hover:bg-slate-200 focus-visible:outline-2 focus-visible:outline-indigo-500"
        >
          <svg
            aria-hidden="true"
            viewBox="0 0 16 16"
            className={`h-4 w-4 transition-transform ${shut ? "-rotate-90" : ""}`}
          >
            <path d="M4 6l4 4 4-4" fill="none" stroke="currentColor" strokeWidth="1.8" />
          </svg>
        </button>
      </div>
      <div id={listId} className="flex flex-col gap-1">
        {shown.length > 0 ? (
          <ul aria-labelledby={headingId} className="flex flex-col gap-0.5">
            {shown.map((room) => (
              <li key={room.id}>
                <RoomLink room={room} current={room.slug === currentSlug} />
              </li>
            ))}
          </ul>
        ) : (
          !shut && empty
        )}
        {!shut && children}
      </div>
    </div>
  );
}
