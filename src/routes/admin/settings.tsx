import { createFileRoute, redirect } from "@tanstack/react-router";
import { InviteLinks } from "../../components/InviteLinks";
import { getSessionFn } from "../../server/fns/session";

// Issue 14. Helper B's console owns /admin/settings; until it lands this
// page holds the invite links (the server functions refuse non-admins).
export const Route = createFileRoute("/admin/settings")({
  beforeLoad: async ({ location }) => {
    const user = await getSessionFn();
    if (!user) throw redirect({ to: "/sign-in", search: { next: location.href } });
    return { user };
  },
  head: () => ({ meta: [{ title: "Settings · Admin · Parley" }] }),
  component: AdminSettings,
});

function AdminSettings() {
  return (
    <main className="mx-auto max-w-4xl space-y-6 p-6">
      <h1 className="text-2xl font-semibold">Settings</h1>
      <InviteLinks />
    </main>
  );
}
