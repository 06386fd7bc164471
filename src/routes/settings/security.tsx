import { createFileRoute, redirect } from "@tanstack/react-router";
import { SecuritySettingsPage } from "../../components/SecuritySettingsPage";
import { securityPageFn } from "../../server/fns/security";
import { getSessionFn } from "../../server/fns/session";

// Two-factor authentication and the sessions (issue 14). Signed in; the
// page a server that requires two-factor sends users without it to.
export const Route = createFileRoute("/settings/security")({
  beforeLoad: async ({ location }) => {
    const user = await getSessionFn();
    if (!user) throw redirect({ to: "/sign-in", search: { next: location.href } });
    return { user };
  },
  loader: () => securityPageFn(),
  head: () => ({ meta: [{ title: "Security · Parley" }] }),
  component: SecurityRoute,
});

function SecurityRoute() {
  return <SecuritySettingsPage data={Route.useLoaderData()} />;
}
