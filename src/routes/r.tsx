import { createFileRoute, Outlet, redirect } from "@tanstack/react-router";
import { ChatProvider } from "../client/hooks/chat-context";
import { getSessionFn } from "../server/fns/session";

// Signed-in area: guards every /r/... page and keeps one socket across room changes.
export const Route = createFileRoute("/r")({
  beforeLoad: async () => {
    const user = await getSessionFn();
    if (!user) throw redirect({ to: "/sign-in" });
    return { user };
  },
  component: SignedIn,
});

function SignedIn() {
  const { user } = Route.useRouteContext();
  return (
    <ChatProvider user={user}>
      <Outlet />
    </ChatProvider>
  );
}
