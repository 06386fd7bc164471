import { StatusPage } from "./StatusPage";

/** An address that names no page (or no room the person may see), with a way back. */
export function NotFoundPage({
  title = "Page not found",
  message = "There is no page at this address. It may have moved, or the link may be mistyped.",
}: {
  title?: string;
  message?: string;
}) {
  return (
    <StatusPage title={title}>
      <p>{message}</p>
    </StatusPage>
  );
}
