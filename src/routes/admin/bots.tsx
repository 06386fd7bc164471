import { createFileRoute } from "@tanstack/react-router";
import { AdminBotsPage } from "../../components/admin/AdminBotsPage";

export const Route = createFileRoute("/admin/bots")({
  head: () => ({ meta: [{ title: "Bots · Admin · Parley" }] }),
  component: AdminBotsPage,
});
