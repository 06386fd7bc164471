import { Link } from "@tanstack/react-router";
import { useId } from "react";
import type { RoomSummary } from "../protocol/frames";
import { NewRoomForm } from "./NewRoomForm";
import { RoomLink } from "./RoomLink";
import { ThreadsLink } from "./ThreadsLink";

/**
 * The navigation landmark "Rooms": rooms (public and private), the form to
 * create one, and a "Direct messages" group named after the other person.
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
  page?: "saved";
}) {
  const dmHeading = useId();
  const channels = rooms.filter((room) => room.kind !== "dm");
  const dms = rooms.filter((room) => room.kind === "dm");
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
            className="flex items-center gap-1.5 rounded-md px-2 py-1.5 text-sm text-slate-700 hover:bg-slate-200 aria-[current=page]:bg-indigo-100 aria-[current=page]:text-indigo-800"
          >
            <span aria-hidden="true" className="w-3 shrink-0 text-center text-slate-600">
              ★
            </span>
            Saved
          </Link>
        </li>
      </ul>
      <h2 className="px-2 text-xs font-semibold tracking-wide text-slate-600 uppercase">Rooms</h2>
      <ul className="flex flex-col gap-0.5">
        {channels.map((room) => (
          <li key={room.id}>
            <RoomLink room={room} current={room.slug === currentSlug} />
          </li>
        ))}
      </ul>
      <NewRoomForm onCreate={onCreate} />
      {/* biome-ignore lint/a11y/useSemanticElements: a <fieldset> is for form controls, not links */}
      <div role="group" aria-labelledby={dmHeading} className="mt-3 flex flex-col gap-1">
        <h2
          id={dmHeading}
          className="px-2 text-xs font-semibold tracking-wide text-slate-600 uppercase"
        >
          Direct messages
        </h2>
        {dms.length > 0 ? (
          <ul aria-labelledby={dmHeading} className="flex flex-col gap-0.5">
            {dms.map((room) => (
              <li key={room.id}>
                <RoomLink room={room} current={room.slug === currentSlug} />
              </li>
            ))}
          </ul>
        ) : (
          <p className="px-2 text-xs text-slate-600">Start one from a room's member list.</p>
        )}
      </div>
    </nav>
  );
}
