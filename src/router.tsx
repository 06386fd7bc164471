import { createRouter } from "@tanstack/react-router";
import { routeTree } from "./routeTree.gen";

/** The app's router; TanStack Start calls this once per request and once in the browser. */
export function getRouter() {
  return createRouter({
    routeTree,
    // Room pages keep their own scroll (stick to the newest message, jump to
    // a search hit); restoring a stale offset onto the message log after a
    // navigation would undo that.
    scrollRestoration: ({ location }) => !location.pathname.startsWith("/r/"),
    defaultPreload: "intent",
  });
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof getRouter>;
  }
}
