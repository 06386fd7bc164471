import { createFileRoute, redirect } from "@tanstack/react-router";
import { TokensSettingsPage } from "../../components/TokensSettingsPage";
import { getSessionFn } from "../../server/fns/session";
import { myTokensFn } from "../../server/fns/tokens";

// Personal access tokens (issue 15). Signed in; no chat connection needed.
export const Route = createFileRoute("/settings/tokens")({
  beforeLoad: async ({ location }) => {
    const user = await getSessionFn();
    if (!user) throw redirect({ to: "/sign-in", search: { next: location.href } });
    return { user };
  },
  loader: () => myTokensFn(),
  head: () => ({ meta: [{ title: "Access tokens · Parley" }] }),
  component: TokensRoute,
});

function TokensRoute() {
  return <TokensSettingsPage data={Route.useLoaderData()} />;
}
