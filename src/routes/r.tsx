import { createFileRoute, Outlet, redirect } from "@tanstack/react-router";
import { ChatProvider } from "../client/hooks/chat-context";
import { getSessionFn } from "../server/fns/session";

// Signed-in area: guards every /r/... page and keeps one chat client (one
// socket) across room changes, so switching rooms does not reconnect.
export const Route = createFileRoute("/r")({
  beforeLoad: async () => {
    const user = await getSessionFn();
    if (!user) throw redirect({ to: "/sign-in" });
    return { user };
  },
  component: SignedInLayout,
});

function SignedInLayout() {
  const { user } = Route.useRouteContext();
  return (
    <ChatProvider user={user}>
      <Outlet />
    </ChatProvider>
  );
}
