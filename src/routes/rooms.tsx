import { createFileRoute, redirect } from "@tanstack/react-router";
import { ChatProvider } from "../client/hooks/chat-context";
import { RoomDirectory } from "../components/RoomDirectory";
import { roomsPageFn } from "../server/fns/directory";
import { getSessionFn } from "../server/fns/session";

// The room directory ("Browse rooms"). Outside /r, as /saved is, with a
// chat client of its own: a join here reaches the sidebar live (room_added).
export const Route = createFileRoute("/rooms")({
  beforeLoad: async ({ location }) => {
    const user = await getSessionFn();
    if (!user) throw redirect({ to: "/sign-in", search: { next: location.href } });
    return { user };
  },
  loader: () => roomsPageFn(),
  head: () => ({ meta: [{ title: "Browse rooms · Parley" }] }),
  component: RoomsPage,
});

function RoomsPage() {
  const { user } = Route.useRouteContext();
  const data = Route.useLoaderData();
  return (
    <ChatProvider user={user}>
      <RoomDirectory
        rooms={data.rooms}
        initial={data.directory}
        initialMore={data.more}
        guest={data.guest}
      />
    </ChatProvider>
  );
}
