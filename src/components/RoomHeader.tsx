import { useState } from "react";
import { useChatSelector } from "../client/hooks/chat-context";
import type { ConnectionStatus as Status } from "../client/socket";
import type { SearchHit } from "../ports";
import type { RoomSummary, WireUser } from "../protocol/frames";
import { BellIcon } from "./BellIcon";
import { ConnectionStatus, isBanner } from "./ConnectionStatus";
import { IntegrationsButton } from "./IntegrationsDialog";
import { NotificationSettingsDialog } from "./NotificationSettingsDialog";
import { PinIcon } from "./PinIcon";
import { RoomInviteLink } from "./RoomInviteLink";
import { RoomSettingsButton } from "./RoomSettingsDialog";
import { RoomsButton, type RoomsUnread } from "./RoomsButton";
import { SearchBox } from "./SearchBox";

type Props = {
  room: RoomSummary;
  user: WireUser;
  status: Status;
  membersOpen: boolean;
  membersId: string;
  onToggleMembers: () => void;
  /** Below 768 px: the "Rooms" drawer, and what is unread in the other rooms. */
  roomsOpen: boolean;
  onOpenRooms: () => void;
  roomsUnread: RoomsUnread;
  onSearch: (q: string) => Promise<SearchHit[]>;
  roomName: (room: SearchHit["room"]) => string;
  onSignOut: () => void;
  /** The room's pins: how many, and the "Pinned messages" region it toggles. */
  pinnedCount: number;
  pinnedOpen: boolean;
  pinnedId: string;
  onTogglePinned: () => void;
  /** The user moderates this room or the server: "Room settings" shows (issue 14). */
  administers?: boolean;
};

/**
 * The room's title bar: the "Rooms" drawer button (phones), name, search,
 * connection state, the pins and members toggles and sign out.
 */
export function RoomHeader(props: Props) {
  const { room, user, status, roomsUnread } = props;
  const [notifyOpen, setNotifyOpen] = useState(false);
  // Live (another tab may mute it); the loader's summary until the socket is ready.
  const muted = useChatSelector(
    (c) => (c.roomSummary(room.id) ? c.roomNotify(room.id).muted : room.notify?.muted === true),
    room.notify?.muted === true,
  );
  // Room at the bottom for the connection banner (h-9) under the controls.
  const pad = isBanner(status) ? "pt-2.5 pb-[2.875rem]" : "py-2.5";
  return (
    <header
      className={`relative flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-slate-200 px-4 ${pad}`}
    >
      <div className="flex min-w-0 items-center gap-2">
        <RoomsButton open={props.roomsOpen} onOpen={props.onOpenRooms} unread={roomsUnread} />
        <h1 className="flex min-w-0 items-center gap-1.5 text-lg font-semibold">
          <span aria-hidden="true" className="text-slate-400">
            {room.kind === "dm" ? "@" : "#"}
          </span>
          <span className="truncate">{room.name}</span>
        </h1>
        {room.kind === "private" && (
          <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">private</span>
        )}
        {room.topic && (
          <p className="max-w-xs truncate text-sm text-slate-600" title={room.topic}>
            <span className="sr-only">Topic: </span>
            {room.topic}
          </p>
        )}
      </div>
      {/* Full width on its own row on phones, beside the title from md up. */}
      <div className="order-last basis-full md:order-none md:flex md:flex-1 md:basis-auto md:justify-end">
        <SearchBox onSearch={props.onSearch} roomName={props.roomName} />
      </div>
      {/* Wraps when the thread and members columns leave main narrow (Sign out was cut off). */}
      <div className="ml-auto flex min-w-0 flex-wrap items-center justify-end gap-x-3 gap-y-1 whitespace-nowrap md:ml-0">
        <ConnectionStatus status={status} />
        {/* The count sits beside the button, not in it: the button's name stays "Pinned messages". */}
        <span className="relative">
          <button
            type="button"
            aria-expanded={props.pinnedOpen}
            aria-controls={props.pinnedId}
            onClick={props.onTogglePinned}
            // Focus stays here after opening: Escape closes from here too (the panel handles its own).
            onKeyDown={(event) => {
              if (event.key !== "Escape" || !props.pinnedOpen) return;
              event.preventDefault();
              props.onTogglePinned();
            }}
            className="flex items-center gap-1 rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500 aria-expanded:bg-amber-100 aria-expanded:text-slate-900"
          >
            <PinIcon />
            <span className="hidden sm:inline">Pinned messages</span>
            <span className="sr-only sm:hidden">Pinned messages</span>
          </button>
          {props.pinnedCount > 0 && (
            <span
              aria-hidden="true"
              className="pointer-events-none absolute -top-1.5 -right-1.5 min-w-4 rounded-full bg-amber-700 px-1 text-center text-[10px] leading-4 font-semibold text-white"
            >
              {props.pinnedCount}
            </span>
          )}
        </span>
        <button
          type="button"
          aria-haspopup="dialog"
          onClick={() => setNotifyOpen(true)}
          className="flex items-center gap-1 rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500"
        >
          <BellIcon muted={muted} />
          <span className="sr-only">Notification settings</span>
        </button>
        {notifyOpen && (
          <NotificationSettingsDialog room={room} onClose={() => setNotifyOpen(false)} />
        )}
        <RoomInviteLink room={room} />
        {props.administers && room.kind !== "dm" && <RoomSettingsButton room={room} />}
        {props.administers && room.kind !== "dm" && <IntegrationsButton room={room} />}
        {/* Open by default from 1100 px, closed below (RoomScreen); one name in both states. */}
        <button
          type="button"
          aria-expanded={props.membersOpen}
          aria-controls={props.membersId}
          onClick={props.onToggleMembers}
          className="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500 aria-expanded:bg-indigo-100 aria-expanded:text-indigo-800"
        >
          Members
        </button>
        <span className="hidden text-sm text-slate-600 lg:inline">{user.name}</span>
        <button
          type="button"
          onClick={props.onSignOut}
          className="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100"
        >
          Sign out
        </button>
      </div>
    </header>
  );
}
