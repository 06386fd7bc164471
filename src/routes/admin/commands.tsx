import { createFileRoute } from "@tanstack/react-router";
import { AdminCommandsPage } from "../../components/admin/AdminCommandsPage";

export const Route = createFileRoute("/admin/commands")({
  head: () => ({ meta: [{ title: "Slash commands · Admin · Parley" }] }),
  component: AdminCommandsPage,
});
