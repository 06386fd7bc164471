import { createFileRoute, redirect } from "@tanstack/react-router";
import { SettingsPage } from "../../components/SettingsPage";
import { getSessionFn } from "../../server/fns/session";

// The settings pages' start, with the GDPR self-export (issue 15). Signed in.
export const Route = createFileRoute("/settings/")({
  beforeLoad: async ({ location }) => {
    const user = await getSessionFn();
    if (!user) throw redirect({ to: "/sign-in", search: { next: location.href } });
    return { user };
  },
  head: () => ({ meta: [{ title: "Settings · Parley" }] }),
  component: SettingsPage,
});
