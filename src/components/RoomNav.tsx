import { Link } from "@tanstack/react-router";
import type { WireRoom } from "../protocol/frames";
import { NewRoomForm } from "./NewRoomForm";

/** The list of rooms as a navigation landmark, with the room creation form. */
export function RoomNav({
  rooms,
  currentSlug,
  onCreate,
}: {
  rooms: WireRoom[];
  currentSlug: string;
  onCreate: (name: string) => Promise<string | null>;
}) {
  return (
    <nav aria-label="Rooms" className="flex flex-col gap-3">
      <h2 className="px-2 text-xs font-semibold uppercase tracking-wide text-slate-500">Rooms</h2>
      <ul className="flex flex-col gap-0.5">
        {rooms.map((room) => (
          <li key={room.id}>
            <Link
              to="/r/$slug"
              params={{ slug: room.slug }}
              aria-current={room.slug === currentSlug ? "page" : undefined}
              className="block truncate rounded-md px-2 py-1.5 text-sm text-slate-700 hover:bg-slate-200 aria-[current=page]:bg-indigo-100 aria-[current=page]:font-medium aria-[current=page]:text-indigo-800"
            >
              # {room.name}
            </Link>
          </li>
        ))}
      </ul>
      <NewRoomForm onCreate={onCreate} />
    </nav>
  );
}
