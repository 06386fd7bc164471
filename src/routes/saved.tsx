import { createFileRoute, redirect } from "@tanstack/react-router";
import { ChatProvider } from "../client/hooks/chat-context";
import { SavedScreen } from "../components/SavedScreen";
import { savedFn } from "../server/fns/saved";
import { getSessionFn } from "../server/fns/session";

// The Saved page: the signed-in user's saved messages. Outside /r (a room
// could be called "saved"), so it keeps a chat client of its own: unsaving
// here, or in another tab, reaches every tab of the user.
export const Route = createFileRoute("/saved")({
  beforeLoad: async ({ location }) => {
    const user = await getSessionFn();
    if (!user) throw redirect({ to: "/sign-in", search: { next: location.href } });
    return { user };
  },
  loader: () => savedFn(),
  head: () => ({ meta: [{ title: "Saved messages · Parley" }] }),
  component: SavedPage,
});

function SavedPage() {
  const { user } = Route.useRouteContext();
  const data = Route.useLoaderData();
  return (
    <ChatProvider user={user}>
      <SavedScreen rooms={data.rooms} saved={data.saved} />
    </ChatProvider>
  );
}
