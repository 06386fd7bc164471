import { createFileRoute } from "@tanstack/react-router";
import { AdminUsersPage } from "../../components/admin/AdminUsersPage";

export const Route = createFileRoute("/admin/users")({
  head: () => ({ meta: [{ title: "Users · Admin · Parley" }] }),
  component: AdminUsersPage,
});
