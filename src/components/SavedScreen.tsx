import { Link, useNavigate, useRouter } from "@tanstack/react-router";
import { useEffect, useMemo, useRef, useState } from "react";
import {
  useChatClient,
  useChatSelector,
  useConnectionStatus,
  useLiveRooms,
} from "../client/hooks/chat-context";
import { messageLinkSearch } from "../client/message-link";
import { messageSnippet } from "../client/message-snippet";
import { refusalOf } from "../client/room-actions";
import { navRooms } from "../client/unread";
import type { SavedHit } from "../ports";
import type { RoomSummary } from "../protocol/frames";
import { createRoomFn } from "../server/fns/rooms";
import { MessageTime } from "./MessageTime";
import { PageFrame } from "./PageFrame";

/**
 * The Saved page: the user's saved messages, newest saved first, each with
 * its room and a link to it in the room; "Unsave" takes one off at once.
 * Once the chat client is ready its saved ids decide what shows, so an
 * unsave from another tab removes it here too, and a save elsewhere
 * reloads the list.
 */
export function SavedScreen({ rooms, saved }: { rooms: RoomSummary[]; saved: SavedHit[] }) {
  const client = useChatClient();
  const router = useRouter();
  const navigate = useNavigate();
  const live = useLiveRooms();
  const connected = useConnectionStatus() === "connected";
  const nav = useMemo(() => navRooms(rooms, live, ""), [rooms, live]);
  const ids = useChatSelector((c) => (c.user ? c.savedIds() : null), null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const shown = ids ? saved.filter((hit) => ids.has(hit.message.id)) : saved;
  const reloadedFor = useRef<ReadonlySet<string> | null>(null);

  useEffect(() => {
    if (!ids || reloadedFor.current === ids) return;
    const listed = new Set(saved.map((hit) => hit.message.id));
    if ([...ids].some((id) => !listed.has(id))) {
      reloadedFor.current = ids;
      void router.invalidate();
    }
  }, [ids, saved, router]);

  /** The nav's "New room" form works here as in a room: create, then go there. */
  async function createRoom(name: string, isPrivate: boolean): Promise<string | null> {
    const result = await createRoomFn({ data: { name, private: isPrivate } });
    if (!result.ok) return result.error;
    await navigate({ to: "/r/$slug", params: { slug: result.room.slug } });
    return null;
  }

  const roomName = (hit: SavedHit) => nav.find((r) => r.id === hit.room.id)?.name ?? hit.room.name;

  async function unsave(hit: SavedHit) {
    setRefusal(null);
    try {
      if (!client) throw new Error("Not connected.");
      await client.save(hit.room.id, hit.message.id, false);
    } catch (error) {
      setRefusal(`Not unsaved. ${refusalOf(error)}`);
    }
  }

  return (
    <PageFrame rooms={nav} page="saved" onCreate={createRoom}>
      <h1 className="text-lg font-semibold text-slate-900">Saved messages</h1>
      <p className="mb-3 text-sm text-slate-600">Only you see what you save.</p>
      {refusal && (
        <p
          role="alert"
          className="mb-2 rounded border border-red-200 bg-red-50 px-2 py-1 text-sm text-red-800"
        >
          {refusal}
        </p>
      )}
      {shown.length === 0 ? (
        <p className="py-8 text-center text-sm text-slate-600">
          Nothing saved yet. Save a message from its “Message actions” menu.
        </p>
      ) : (
        <ul aria-label="Saved messages" className="flex flex-col divide-y divide-slate-200">
          {shown.map((hit) => (
            <li key={hit.message.id} className="flex items-start gap-3 py-2">
              <Link
                to="/r/$slug"
                params={{ slug: hit.room.slug }}
                search={messageLinkSearch(hit.message)}
                className="min-w-0 flex-1 rounded px-1 py-0.5 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-500"
              >
                <span className="flex flex-wrap items-baseline gap-x-2 text-xs text-slate-600">
                  <span className="font-medium text-indigo-700">
                    <span aria-hidden="true">{hit.room.kind === "dm" ? "@" : "#"}</span>
                    {roomName(hit)}
                  </span>
                  <span className="font-semibold text-slate-900">{hit.message.author.name}</span>
                  <MessageTime iso={hit.message.createdAt} />
                </span>
                <span className="block text-sm break-words text-slate-800">
                  {messageSnippet(hit.message, 300)}
                </span>
              </Link>
              <button
                type="button"
                onClick={() => void unsave(hit)}
                // Unsaving goes over the socket: not before it is up.
                disabled={!connected}
                className="shrink-0 rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500 disabled:opacity-50"
              >
                Unsave
              </button>
            </li>
          ))}
        </ul>
      )}
    </PageFrame>
  );
}
