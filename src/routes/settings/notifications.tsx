import { createFileRoute, redirect } from "@tanstack/react-router";
import { ChatProvider } from "../../client/hooks/chat-context";
import { NotificationSettingsPage } from "../../components/NotificationSettingsPage";
import { getSessionFn } from "../../server/fns/session";

// The user's notification settings (issue 13). Signed in, like /saved, with a
// chat client of its own: the settings come with `ready` and are saved over
// the socket, so a change here reaches the user's other tabs at once.
export const Route = createFileRoute("/settings/notifications")({
  beforeLoad: async ({ location }) => {
    const user = await getSessionFn();
    if (!user) throw redirect({ to: "/sign-in", search: { next: location.href } });
    return { user };
  },
  head: () => ({ meta: [{ title: "Notification settings · Parley" }] }),
  component: NotificationsRoute,
});

function NotificationsRoute() {
  const { user } = Route.useRouteContext();
  return (
    <ChatProvider user={user}>
      <NotificationSettingsPage />
    </ChatProvider>
  );
}
