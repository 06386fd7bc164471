import { createFileRoute, notFound } from "@tanstack/react-router";
import { z } from "zod";
import { RoomScreen } from "../../components/RoomScreen";
import { openRoomFn } from "../../server/fns/rooms";

// `?m=<seq>` opens the room around that message (links from search results).
const searchSchema = z.object({
  m: z.coerce.number().int().positive().optional().catch(undefined),
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
  const { room, rooms, user, messages } = Route.useLoaderData();
  const { m } = Route.useSearch();
  // Keyed by room: per-visit state (divider, scroll, drafts) starts afresh.
  return (
    <RoomScreen
      key={room.id}
      room={room}
      rooms={rooms}
      user={user}
      initial={messages}
      focusSeq={m}
    />
  );
}
