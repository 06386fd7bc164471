import { type ErrorComponentProps, useRouter } from "@tanstack/react-router";
import { failedForConnection } from "../client/held-client";
import { OfflinePage } from "./OfflinePage";
import { StatusPage, StatusPageButton } from "./StatusPage";

/**
 * Every route's error page (the router's defaultErrorComponent): a failure
 * caused by the connection gets the offline page that recovers by itself;
 * anything else says the page could not be loaded, with "Try again" (which
 * reloads the route's data and resets the boundary) and a way back.
 */
export function RouteErrorPage({ error }: ErrorComponentProps) {
  const router = useRouter();
  if (failedForConnection(error)) return <OfflinePage />;
  return (
    <StatusPage
      title="This page could not be loaded"
      actions={
        <StatusPageButton onClick={() => void router.invalidate()}>Try again</StatusPageButton>
      }
    >
      <p>Parley ran into a problem showing this page. Trying again often helps.</p>
    </StatusPage>
  );
}
