import { type KeyboardEvent, useId, useState } from "react";
import { matchRooms } from "../client/shortcuts";
import { unreadCount } from "../client/unread";
import type { RoomSummary } from "../protocol/frames";
import { Modal } from "./Modal";

/**
 * "Jump to room": a combobox filtering the user's rooms (WAI-ARIA
 * combobox with a listbox): typing filters, Up/Down move, Enter goes,
 * Escape closes (the dialog's own).
 */
export function JumpToRoomDialog({
  rooms,
  currentId,
  onGo,
  onClose,
}: {
  rooms: readonly RoomSummary[];
  currentId: string;
  onGo: (room: RoomSummary) => void;
  onClose: () => void;
}) {
  const id = useId();
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const matches = matchRooms(rooms, query);
  const current = matches[Math.min(active, matches.length - 1)];
  const optionId = (room: RoomSummary) => `${id}-option-${room.id}`;

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (matches.length === 0) return;
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive(
        (index) => (Math.min(index, matches.length - 1) + step + matches.length) % matches.length,
      );
    } else if (event.key === "Enter" && !event.nativeEvent.isComposing) {
      event.preventDefault();
      if (current) onGo(current);
    }
  }

  return (
    <Modal title="Jump to room" onClose={onClose}>
      <input
        role="combobox"
        aria-label="Room"
        aria-expanded={matches.length > 0}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={current ? optionId(current) : undefined}
        // The dialog exists to type into this box (see Modal).
        data-autofocus
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        placeholder="Type a room or person"
        className="w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-slate-900 outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200"
      />
      <div
        id={`${id}-list`}
        role="listbox"
        aria-label="Matching rooms"
        className="max-h-72 overflow-y-auto"
      >
        {matches.map((room) => (
          <div
            key={room.id}
            id={optionId(room)}
            tabIndex={-1}
            role="option"
            aria-selected={room === current}
            // Keep focus in the box; the click itself goes.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => onGo(room)}
            // The box owns the keys (aria-activedescendant); options are clicked.
            onKeyDown={() => undefined}
            className="flex cursor-pointer items-center gap-1.5 rounded-md px-2 py-1.5 text-sm text-slate-700 aria-selected:bg-indigo-100 aria-selected:text-indigo-800"
          >
            <span aria-hidden="true" className="w-3 text-center text-slate-500">
              {room.kind === "dm" ? "@" : "#"}
            </span>
            <span className="flex-1 truncate">{room.name}</span>
            {unreadCount(room) > 0 && (
              <span className="text-xs text-slate-600">{unreadCount(room)} unread</span>
            )}
            {room.id === currentId && <span className="text-xs text-slate-600">current</span>}
          </div>
        ))}
      </div>
      {matches.length === 0 && (
        <p role="status" className="text-sm text-slate-600">
          No room matches "{query.trim()}".
        </p>
      )}
    </Modal>
  );
}
