// First: it configures zod before any module builds a schema.
import "./client/zod-config";
import { createRouter } from "@tanstack/react-router";
import { createIsomorphicFn } from "@tanstack/react-start";
import { getRequest } from "@tanstack/react-start/server";
import { NotFoundPage } from "./components/NotFoundPage";
import { RouteErrorPage } from "./components/RouteErrorPage";
import { routeTree } from "./routeTree.gen";
import { NONCE_KEY } from "./server/security-headers";

/** This request's CSP nonce (set by server/middleware/security-headers.ts); none in the browser. */
const cspNonce = createIsomorphicFn()
  .server(() => (getRequest() as unknown as Record<symbol, string | undefined>)[NONCE_KEY])
  .client(() => undefined);

/** The app's router; TanStack Start calls this once per request and once in the browser. */
export function getRouter() {
  return createRouter({
    routeTree,
    // Room pages keep their own scroll (stick to the newest message, jump to
    // a search hit); restoring a stale offset onto the message log after a
    // navigation would undo that.
    scrollRestoration: ({ location }) => !location.pathname.startsWith("/r/"),
    defaultPreload: "intent",
    // Never the framework's unstyled "Something went wrong!" or bare "Not
    // Found": styled pages with a way back (an offline failure gets the
    // page that recovers by itself).
    defaultErrorComponent: RouteErrorPage,
    defaultNotFoundComponent: () => <NotFoundPage />,
    ssr: { nonce: cspNonce() },
  });
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof getRouter>;
  }
}
