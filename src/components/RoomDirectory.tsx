import { useNavigate } from "@tanstack/react-router";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { countLabel, memberLabel } from "../client/directory";
import { useLiveRooms } from "../client/hooks/chat-context";
import { navRooms } from "../client/unread";
import type { DirectoryRoom } from "../ports";
import type { RoomSummary } from "../protocol/frames";
import { directoryFn } from "../server/fns/directory";
import { createRoomFn, joinRoomFn } from "../server/fns/rooms";
import { PageFrame } from "./PageFrame";

/** Typing pauses this long before the directory is asked (one look-up per word, not per key). */
const SEARCH_DELAY_MS = 200;

/**
 * The room directory (/rooms): every public room with its member count
 * and topic, filtered by name on the server as one types, with "Join"
 * (then the room is in the sidebar, live) or "Open" for each.
 */
export function RoomDirectory({
  rooms,
  initial,
  initialMore,
  guest = false,
}: {
  rooms: RoomSummary[];
  initial: DirectoryRoom[];
  initialMore: boolean;
  /** A guest (issue 14): the directory lists only their rooms; none yet says so. */
  guest?: boolean;
}) {
  const navigate = useNavigate();
  const live = useLiveRooms();
  const nav = useMemo(() => navRooms(rooms, live, ""), [rooms, live]);
  const [query, setQuery] = useState("");
  const [found, setFound] = useState({ rooms: initial, more: initialMore });
  const [error, setError] = useState<string | null>(null);
  const [searched, setSearched] = useState(false);
  const asked = useRef(0);
  const searchId = useId();
  const joinedIds = useMemo(() => new Set(nav.map((room) => room.id)), [nav]);

  useEffect(() => {
    if (query === "" && asked.current === 0) return; // the loader's answer stands
    const ticket = ++asked.current;
    const timer = setTimeout(async () => {
      try {
        const answer = await directoryFn({ data: { q: query } });
        if (ticket !== asked.current) return; // a later query is on its way
        if (!answer.ok) setError(answer.error);
        else {
          setError(null);
          setSearched(true);
          setFound({ rooms: answer.rooms, more: answer.more });
        }
      } catch {
        if (ticket === asked.current) setError("Could not search rooms. Try again.");
      }
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [query]);

  /** The nav's "New room" form works here as in a room: create, then go there. */
  async function createRoom(name: string, isPrivate: boolean): Promise<string | null> {
    const result = await createRoomFn({ data: { name, private: isPrivate } });
    if (!result.ok) return result.error;
    await navigate({ to: "/r/$slug", params: { slug: result.room.slug } });
    return null;
  }

  /** After a join the row says "Open" and counts the user; the sidebar hears room_added. */
  function joined(roomId: string) {
    setFound((prev) => ({
      ...prev,
      rooms: prev.rooms.map((room) =>
        room.id === roomId && !room.member
          ? { ...room, member: true, memberCount: room.memberCount + 1 }
          : room,
      ),
    }));
  }

  return (
    <PageFrame rooms={nav} page="rooms" onCreate={createRoom}>
      <div className="flex max-w-3xl flex-col">
        <h1 className="text-lg font-semibold text-slate-900">Browse rooms</h1>
        <p className="mb-3 text-sm text-slate-600">Every public room. Join one to follow it.</p>
        <label htmlFor={searchId} className="sr-only">
          Search rooms
        </label>
        <input
          id={searchId}
          type="search"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          placeholder="Search rooms by name"
          maxLength={100}
          autoComplete="off"
          className="mb-3 w-full max-w-md rounded-md border border-slate-500 bg-white px-3 py-1.5 text-sm text-slate-900 placeholder:text-slate-600 focus-visible:outline-2 focus-visible:outline-indigo-500"
        />
        {/* Announces what a search found (the list itself is not live). */}
        <p role="status" className="sr-only">
          {searched && !error ? countLabel(found.rooms.length, found.more) : ""}
        </p>
        {error && (
          <p
            role="alert"
            className="mb-2 rounded border border-red-200 bg-red-50 px-2 py-1 text-sm text-red-800"
          >
            {error}
          </p>
        )}
        {found.rooms.length === 0 ? (
          <p className="py-8 text-center text-sm text-slate-600">
            {query.trim()
              ? `No public room matches “${query.trim()}”.`
              : guest
                ? "You have not been invited to any rooms yet."
                : "No public rooms yet."}
          </p>
        ) : (
          <ul aria-label="Public rooms" className="flex flex-col divide-y divide-slate-200">
            {found.rooms.map((room) => (
              <DirectoryItem
                key={room.id}
                room={room}
                // A join in another tab shows here too (the socket's room list).
                member={room.member || joinedIds.has(room.id)}
                onJoined={() => joined(room.id)}
                onOpen={() => navigate({ to: "/r/$slug", params: { slug: room.slug } })}
              />
            ))}
          </ul>
        )}
        {found.more && (
          <p className="py-2 text-sm text-slate-600">
            Showing the first {found.rooms.length} rooms. Search to find the others.
          </p>
        )}
      </div>
    </PageFrame>
  );
}

function DirectoryItem({
  room,
  member,
  onJoined,
  onOpen,
}: {
  room: DirectoryRoom;
  member: boolean;
  onJoined: () => void;
  onOpen: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const nameId = useId();

  async function join() {
    setBusy(true);
    setError(null);
    try {
      const result = await joinRoomFn({ data: { roomId: room.id } });
      if (result.ok) onJoined();
      else setError(result.error);
    } catch {
      setError("Could not join the room. Try again.");
    } finally {
      setBusy(false);
    }
  }

  const count = memberLabel(room.memberCount);
  return (
    <li aria-labelledby={nameId} className="flex items-start gap-3 py-2">
      <div className="min-w-0 flex-1">
        <p className="flex flex-wrap items-baseline gap-x-2">
          <span id={nameId} className="font-medium text-slate-900">
            <span aria-hidden="true">#</span>
            {room.name}
          </span>
          <span className="text-xs text-slate-600">{count}</span>
        </p>
        {room.topic && <p className="text-sm break-words text-slate-700">{room.topic}</p>}
        {error && (
          <p role="alert" className="text-sm text-red-700">
            {error}
          </p>
        )}
      </div>
      <button
        type="button"
        onClick={() => (member ? onOpen() : void join())}
        disabled={busy}
        aria-describedby={nameId}
        className={`shrink-0 rounded-md px-3 py-1 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 disabled:opacity-60 ${
          member
            ? "border border-slate-500 text-slate-800 hover:bg-slate-100"
            : "bg-indigo-600 text-white hover:bg-indigo-700"
        }`}
      >
        {member ? "Open" : "Join"}
      </button>
    </li>
  );
}
