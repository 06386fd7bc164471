import { createFileRoute, notFound, Outlet, redirect } from "@tanstack/react-router";
import { AdminShell } from "../components/admin/AdminShell";
import { mayAdminister } from "../core/admin-policy";
import { getSessionFn } from "../server/fns/session";

// The admin console (issue 14): owners and admins only. Anyone else gets
// the not-found page (the console's existence is no secret, but a member
// has nothing to do there); signed out goes to sign-in and back. The
// server functions behind each page check the role again, fresh.
export const Route = createFileRoute("/admin")({
  beforeLoad: async ({ location }) => {
    const user = await getSessionFn();
    if (!user) throw redirect({ to: "/sign-in", search: { next: location.href } });
    if (!mayAdminister(user.serverRole)) throw notFound();
    return { user };
  },
  component: () => (
    <AdminShell>
      <Outlet />
    </AdminShell>
  ),
});
