import { createFileRoute, Outlet, redirect } from "@tanstack/react-router";
import { useEffect } from "react";
import { failedForConnection, holdClient } from "../client/held-client";
import { ChatProvider, useChatClient } from "../client/hooks/chat-context";
import { cachedUser, keepOfflineCache } from "../client/offline-cache";
import { signedInUser } from "../client/signed-in";
import type { WireUser } from "../protocol/frames";

// Signed-in area: guards every /r/... page and keeps one chat client (one
// socket) across room changes, so switching rooms does not reconnect.
export const Route = createFileRoute("/r")({
  beforeLoad: async ({ location }) => {
    const user = await signedInUser().catch((error: unknown) => {
      // An offline reload (the service worker served the page): the user
      // this browser last signed in as, so the cached rooms show instead
      // of an error page. The socket still checks the session once back.
      const cached = failedForConnection(error) ? cachedUser() : null;
      if (cached) return cached;
      throw error;
    });
    // Back here after signing in (a deep link, say a search hit's ?m=).
    if (!user) throw redirect({ to: "/sign-in", search: { next: location.href } });
    return { user };
  },
  component: SignedInLayout,
});

function SignedInLayout() {
  const { user } = Route.useRouteContext();
  return (
    <ChatProvider user={user}>
      <HoldClient user={user} />
      <Outlet />
    </ChatProvider>
  );
}

/** Lends the chat client to the route loaders (see client/held-client.ts). */
function HoldClient({ user }: { user: WireUser }) {
  const client = useChatClient();
  useEffect(() => (client ? holdClient(client, user) : undefined), [client, user]);
  // The rooms and recent messages an offline reload shows (issue 13).
  useEffect(() => (client ? keepOfflineCache(client, user) : undefined), [client, user]);
  return null;
}
