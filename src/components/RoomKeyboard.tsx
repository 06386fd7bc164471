import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { useShortcuts } from "../client/hooks/useShortcuts";
import { adjacentRoom, navOrder } from "../client/shortcuts";
import type { RoomSummary } from "../protocol/frames";
import { JumpToRoomDialog } from "./JumpToRoomDialog";
import { ShortcutsDialog } from "./ShortcutsDialog";

/**
 * The room screen's global shortcuts (Ctrl/Cmd+K, Alt+Up/Down, ? and
 * Ctrl+/), the "Keyboard shortcuts" button and the two dialogs they open.
 * Up arrow in the composer is the composer's own (it needs the messages).
 */
export function RoomKeyboard({ rooms, room }: { rooms: RoomSummary[]; room: RoomSummary }) {
  const navigate = useNavigate();
  const [dialog, setDialog] = useState<"jump" | "shortcuts" | null>(null);
  const goTo = (slug: string) => navigate({ to: "/r/$slug", params: { slug } });
  useShortcuts((action) => {
    if (action === "jump-to-room") setDialog("jump");
    else if (action === "show-shortcuts") setDialog("shortcuts");
    else {
      const next = adjacentRoom(navOrder(rooms), room.id, action === "previous-room" ? -1 : 1);
      if (next) void goTo(next.slug);
    }
  });
  return (
    <>
      <button
        type="button"
        onClick={() => setDialog("shortcuts")}
        className="self-start rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-200"
      >
        Keyboard shortcuts
      </button>
      {dialog === "jump" && (
        <JumpToRoomDialog
          rooms={rooms}
          currentId={room.id}
          onGo={(target) => {
            setDialog(null);
            if (target.id !== room.id) void goTo(target.slug);
          }}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === "shortcuts" && <ShortcutsDialog onClose={() => setDialog(null)} />}
    </>
  );
}
