import { type ReactNode, useCallback, useMemo, useState } from "react";
import type { RoomSummary } from "../protocol/frames";
import { RoomSidebar } from "./RoomSidebar";
import { otherUnread, RoomsButton } from "./RoomsButton";
import { RoomsDrawer } from "./RoomsDrawer";

/**
 * The frame of the nav's own pages (Saved, Browse rooms), laid out as a
 * room is: the room list as a column from 768 px up, and below it the
 * "Rooms" drawer opened from a header button, so the page gets the whole
 * screen on a phone. `children` is the page's content, inside <main>.
 */
export function PageFrame({
  rooms,
  page,
  onCreate,
  children,
}: {
  rooms: RoomSummary[];
  page: "saved" | "rooms";
  onCreate: (name: string, isPrivate: boolean) => Promise<string | null>;
  children: ReactNode;
}) {
  const [roomsOpen, setRoomsOpen] = useState(false);
  const closeRooms = useCallback(() => setRoomsOpen(false), []);
  const unread = useMemo(() => otherUnread(rooms, ""), [rooms]);
  return (
    <div className="flex h-full flex-col md:flex-row">
      <RoomSidebar rooms={rooms} currentSlug="" page={page} onCreate={onCreate} />
      {roomsOpen && (
        <RoomsDrawer
          rooms={rooms}
          currentSlug=""
          page={page}
          onCreate={onCreate}
          onClose={closeRooms}
        />
      )}
      <main className="flex min-h-0 min-w-0 flex-1 flex-col overflow-y-auto bg-white">
        {/* A flex row, so the button's wrapper is a box of its own (hit-testing an inline one fails). */}
        <div className="flex items-center border-b border-slate-200 px-4 py-2.5 md:hidden">
          <RoomsButton open={roomsOpen} onOpen={() => setRoomsOpen(true)} unread={unread} />
        </div>
        <div className="flex min-h-0 flex-1 flex-col px-4 py-3">{children}</div>
      </main>
    </div>
  );
}
