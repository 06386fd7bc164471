import { useRouter } from "@tanstack/react-router";
import { useRetryWhenBack } from "../client/hooks/useRetryWhenBack";
import { StatusPage, StatusPageButton } from "./StatusPage";

/**
 * A page that could not load because the server is unreachable. It says so
 * in one polite live region and loads the page again by itself once the
 * connection is back (see useRetryWhenBack); "Try again" does it at once.
 */
export function OfflinePage({ what = "page" }: { what?: "room" | "page" }) {
  const router = useRouter();
  const retry = () => void router.invalidate();
  useRetryWhenBack(retry);
  return (
    <StatusPage
      title="Waiting for the connection"
      actions={<StatusPageButton onClick={retry}>Try again</StatusPageButton>}
    >
      <p role="status">You are offline; this {what} will load when the connection is back.</p>
    </StatusPage>
  );
}
