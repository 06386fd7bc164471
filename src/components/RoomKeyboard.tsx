import { useNavigate } from "@tanstack/react-router";
import { focusRegion } from "../client/focus-regions";
import { useShortcuts } from "../client/hooks/useShortcuts";
import { adjacentRoom, navOrder } from "../client/shortcuts";
import type { RoomSummary } from "../protocol/frames";
import { JumpToRoomDialog } from "./JumpToRoomDialog";
import { ShortcutsDialog } from "./ShortcutsDialog";

export type KeyDialog = "jump" | "shortcuts" | null;

/**
 * The room screen's global shortcuts (Ctrl/Cmd+K, Alt+Up/Down, F6, ? and
 * Ctrl+/) and the two dialogs they open. The dialog state is the screen's,
 * so the "Keyboard shortcuts" button can sit in the sidebar while this
 * stays mounted at every width (a modal inside a hidden sidebar would not
 * show). Up arrow in the composer is the composer's own (it needs the messages).
 */
export function RoomKeyboard({
  rooms,
  room,
  dialog,
  onDialog,
}: {
  rooms: RoomSummary[];
  room: RoomSummary;
  dialog: KeyDialog;
  onDialog: (dialog: KeyDialog) => void;
}) {
  const navigate = useNavigate();
  const goTo = (slug: string) => navigate({ to: "/r/$slug", params: { slug } });
  useShortcuts((action) => {
    if (action === "jump-to-room") onDialog("jump");
    else if (action === "show-shortcuts") onDialog("shortcuts");
    else if (action === "next-region" || action === "previous-region") {
      focusRegion(action === "next-region" ? 1 : -1);
    } else {
      const next = adjacentRoom(navOrder(rooms), room.id, action === "previous-room" ? -1 : 1);
      if (next) void goTo(next.slug);
    }
  });
  if (dialog === "jump") {
    return (
      <JumpToRoomDialog
        rooms={rooms}
        currentId={room.id}
        onGo={(target) => {
          onDialog(null);
          if (target.id !== room.id) void goTo(target.slug);
        }}
        onClose={() => onDialog(null)}
      />
    );
  }
  if (dialog === "shortcuts") return <ShortcutsDialog onClose={() => onDialog(null)} />;
  return null;
}

/** The sidebar's "Keyboard shortcuts" button (the same list as ? and Ctrl+/). */
export function ShortcutsButton({ onOpen }: { onOpen: () => void }) {
  return (
    <button
      type="button"
      onClick={onOpen}
      className="self-start rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-200"
    >
      Keyboard shortcuts
    </button>
  );
}
