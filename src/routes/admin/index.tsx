import { createFileRoute, redirect } from "@tanstack/react-router";

// /admin opens on its first page, the users.
export const Route = createFileRoute("/admin/")({
  beforeLoad: () => {
    throw redirect({ to: "/admin/users", replace: true });
  },
});
