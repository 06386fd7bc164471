import { createFileRoute, notFound, useNavigate, useRouter } from "@tanstack/react-router";
import { authClient } from "../../client/auth-client";
import { useConnectionStatus } from "../../client/hooks/chat-context";
import { useRoom } from "../../client/hooks/useRoom";
import { Composer } from "../../components/Composer";
import { ConnectionStatus } from "../../components/ConnectionStatus";
import { MessageLog } from "../../components/MessageLog";
import { RoomNav } from "../../components/RoomNav";
import { createRoomFn, openRoomFn } from "../../server/fns/rooms";

export const Route = createFileRoute("/r/$slug")({
  loader: async ({ params }) => {
    const result = await openRoomFn({ data: { slug: params.slug } });
    if (!result.found) throw notFound();
    return result;
  },
  head: ({ loaderData }) => ({
    meta: [{ title: loaderData ? `#${loaderData.room.name} · Parley` : "Parley" }],
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
  const { room, rooms, user, messages: initial } = Route.useLoaderData();
  const navigate = useNavigate();
  const router = useRouter();
  const status = useConnectionStatus();
  const chat = useRoom(room.id, initial, room.lastSeq);

  async function createRoom(name: string) {
    const result = await createRoomFn({ data: { name } });
    if (!result.ok) return result.error;
    await navigate({ to: "/r/$slug", params: { slug: result.room.slug } });
    return null;
  }

  async function signOut() {
    await authClient.signOut();
    await router.invalidate();
    await navigate({ to: "/sign-in" });
  }

  return (
    <div className="flex h-full flex-col md:flex-row">
      <aside className="max-h-56 shrink-0 overflow-y-auto border-b border-slate-200 bg-slate-100 p-3 md:max-h-none md:w-64 md:border-r md:border-b-0">
        <p className="mb-4 px-2 text-lg font-bold text-indigo-700">Parley</p>
        <RoomNav rooms={rooms} currentSlug={room.slug} onCreate={createRoom} />
      </aside>
      <main className="flex min-h-0 flex-1 flex-col bg-white">
        <header className="flex items-center justify-between gap-3 border-b border-slate-200 px-4 py-3">
          <h1 className="truncate text-lg font-semibold"># {room.name}</h1>
          <div className="flex items-center gap-4">
            <ConnectionStatus status={status} />
            <span className="hidden text-sm text-slate-600 sm:inline">{user.name}</span>
            <button
              type="button"
              onClick={signOut}
              className="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100"
            >
              Sign out
            </button>
          </div>
        </header>
        <MessageLog
          messages={chat.messages}
          pending={chat.pending}
          hasOlder={chat.hasOlder}
          loadingOlder={chat.loadingOlder}
          onLoadOlder={chat.loadOlder}
          onRetry={(id) => chat.client?.retry(id)}
        />
        <Composer onSend={(text) => chat.client?.send(room.id, text)} />
      </main>
    </div>
  );
}
