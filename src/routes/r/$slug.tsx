import { createFileRoute, notFound, useRouter } from "@tanstack/react-router";
import { useState } from "react";
import { z } from "zod";
import { RoomScreen } from "../../components/RoomScreen";
import type { WireRoom } from "../../protocol/frames";
import { joinRoomFn, openRoomFn } from "../../server/fns/rooms";

// `?m=<seq>` opens the room around that message (links from search results).
const searchSchema = z.object({
  m: z.coerce.number().int().positive().optional().catch(undefined),
  /** A thread to open (its root's id), from the Threads page. */
  t: z.string().min(1).max(64).optional().catch(undefined),
  /** With `t`: a reply to show in that thread (links to thread-only replies). */
  r: z.coerce.number().int().positive().optional().catch(undefined),
});

export const Route = createFileRoute("/r/$slug")({
  validateSearch: searchSchema,
  loaderDeps: ({ search }) => ({ m: search.m }),
  loader: async ({ params, deps }) => {
    const result = await openRoomFn({ data: { slug: params.slug, around: deps.m } });
    if (!result.found) throw notFound();
    return result;
  },
  head: ({ loaderData }) => ({
    meta: [
      {
        title: loaderData
          ? `${loaderData.room.kind === "dm" ? "" : "#"}${loaderData.room.name} · Parley`
          : "Parley",
      },
    ],
  }),
  notFoundComponent: () => (
    <main className="p-8">
      <h1 className="text-xl font-semibold">No such room</h1>
      <a className="text-indigo-600 underline" href="/r/general">
        Go to general
      </a>
    </main>
  ),
  component: RoomPage,
});

function RoomPage() {
  const data = Route.useLoaderData();
  const { m, t, r } = Route.useSearch();
  if (!data.joined) return <JoinRoom room={data.room} />;
  const { room, rooms, user, messages, pinned } = data;
  // Keyed by room: per-visit state (divider, scroll, drafts) starts afresh.
  return (
    <RoomScreen
      key={room.id}
      room={room}
      rooms={rooms}
      user={user}
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
