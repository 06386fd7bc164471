import {
  createFileRoute,
  isNotFound,
  isRedirect,
  notFound,
  redirect,
  useRouter,
} from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { z } from "zod";
import {
  failedForConnection,
  type HeldRoom,
  heldClient,
  heldRoom,
  rememberRooms,
} from "../../client/held-client";
import { useArrivalFocus } from "../../client/hooks/useArrivalFocus";
import { cachedRoom } from "../../client/offline-cache";
import { NotFoundPage } from "../../components/NotFoundPage";
import { OfflinePage } from "../../components/OfflinePage";
import { RoomScreen } from "../../components/RoomScreen";
import type { WireRoom, WireUser } from "../../protocol/frames";
import { joinRoomFn, openRoomFn } from "../../server/fns/rooms";

// `?m=<seq>` opens the room around that message (links from search results).
const searchSchema = z.object({
  m: z.coerce.number().int().positive().optional().catch(undefined),
  /** A thread to open (its root's id), from the Threads page. */
  t: z.string().min(1).max(64).optional().catch(undefined),
  /** With `t`: a reply to show in that thread (links to thread-only replies). */
  r: z.coerce.number().int().positive().optional().catch(undefined),
});

/**
 * The server could not be reached: the room as this tab's chat client holds
 * it (`held`), or null when it holds no log for it (the page then says it
 * will load when the connection is back).
 */
type OfflineRoom = { offline: true; user: WireUser; held: HeldRoom | null };

export const Route = createFileRoute("/r/$slug")({
  validateSearch: searchSchema,
  loaderDeps: ({ search }) => ({ m: search.m }),
  loader: async ({ params, deps, context }) => {
    try {
      const result = await openRoomFn({ data: { slug: params.slug, around: deps.m } });
      if (!result.found) {
        if (result.guestLanding) throw redirect({ href: result.guestLanding, replace: true });
        throw notFound();
      }
      return result;
    } catch (error) {
      // Only a failure of the connection is handled here; the rest is the error page's.
      if (isNotFound(error) || isRedirect(error) || !failedForConnection(error)) throw error;
      const client = heldClient();
      const offline: OfflineRoom = {
        offline: true,
        user: context.user,
        // A reload has no client log yet: the offline cache's copy (issue 13).
        held: (client && heldRoom(client, params.slug)) ?? cachedRoom(context.user.id, params.slug),
      };
      return offline;
    }
  },
  head: ({ loaderData }) => {
    const room = loaderData && ("offline" in loaderData ? loaderData.held?.room : loaderData.room);
    return {
      meta: [{ title: room ? `${room.kind === "dm" ? "" : "#"}${room.name} · Parley` : "Parley" }],
    };
  },
  notFoundComponent: () => (
    <NotFoundPage
      title="No such room"
      message="This room does not exist, or it is private and you are not a member."
    />
  ),
  component: RoomPage,
});

function RoomPage() {
  const data = Route.useLoaderData();
  const { m, t, r } = Route.useSearch();
  // After sign-in or sign-up: focus goes to this room's composer.
  useArrivalFocus();
  // The sidebar's rooms, for opening a room from the client while offline.
  const listed = "offline" in data || !data.joined ? null : data.rooms;
  useEffect(() => {
    if (listed) rememberRooms(listed);
  }, [listed]);
  let shown: HeldRoom;
  if ("offline" in data) {
    if (!data.held) return <OfflinePage what="room" />;
    // The room as the client holds it: its socket resumes the room by itself
    // once it is back, so nothing reloads the page (a reload would also
    // disable the composer while it runs).
    shown = data.held;
  } else {
    if (!data.joined) return <JoinRoom room={data.room} />;
    shown = data;
  }
  const { room, rooms, messages, pinned } = shown;
  // Keyed by room: per-visit state (divider, scroll, drafts) starts afresh.
  return (
    <RoomScreen
      key={room.id}
      room={room}
      rooms={rooms}
      user={data.user}
      initial={messages}
      focusSeq={m}
      threadRootId={t}
      threadFocusSeq={r}
      pinned={pinned}
    />
  );
}

/**
 * A public room the user reached from another site: they join only by
 * asking (a link elsewhere must not make them a member, issue 18 F-16).
 */
function JoinRoom({ room }: { room: WireRoom }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function join() {
    setBusy(true);
    setError(null);
    try {
      const result = await joinRoomFn({ data: { roomId: room.id } });
      if (!result.ok) setError(result.error);
      else await router.invalidate();
    } catch {
      setError("Could not join the room. Try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="mx-auto max-w-md space-y-4 p-8">
      <h1 className="text-xl font-semibold">#{room.name}</h1>
      <p className="text-sm text-slate-600">
        You are not a member of this public room. Join it to read and write messages.
      </p>
      <div className="flex gap-3">
        <button
          type="button"
          onClick={join}
          disabled={busy}
          className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
        >
          Join room
        </button>
        <a className="self-center text-sm text-indigo-600 underline" href="/r/general">
          Go to general
        </a>
      </div>
      {error && (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      )}
    </main>
  );
}
